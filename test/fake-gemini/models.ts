/**
 * The model catalogue: resources shaped like `GET /v1beta/models` returns them, plus the traits the fake
 * enforces per model (thinking ranges, output modalities, embedding size). Values follow the live listing.
 */
import { GoogleApiError, modelNotFound, modelRetired } from './errors';

export interface ModelResource {
  name: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
  supportedGenerationMethods: string[];
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTemperature?: number;
  thinking?: boolean;
}

export interface ModelTraits {
  /** Allowed thinkingBudget range; absent when the model cannot think. 0 outside the range disables thinking. */
  thinkingBudget?: { min: number; max: number; canDisable: boolean };
  /** thinkingLevel values accepted (Gemini 3 only). */
  thinkingLevels?: readonly string[];
  outputModalities: readonly string[];
  /** Models that return logprobs; Gemini 2.5 and 3 answer 400 "Logprobs is not enabled". */
  logprobs: boolean;
  /** Gemini 3 validates thought signatures in the history of function calls. */
  requiresThoughtSignatures: boolean;
  /**
   * Takes `toolConfig.includeServerSideToolInvocations`, the switch that lets built-in tools (googleSearch)
   * and function declarations share one request (Gemini 3 text models; https://ai.google.dev/gemini-api/docs/tool-combination).
   */
  toolCombination: boolean;
  embeddingDimensions?: number;
  /** Gemma on the Gemini API takes no system instruction, tools or JSON mode. */
  systemInstruction: boolean;
  tools: boolean;
  jsonMode: boolean;
}

export interface ModelEntry {
  id: string;
  resource: ModelResource;
  traits: ModelTraits;
}

const GENERATE = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];
const TEXT = ['TEXT'] as const;
const SAMPLING = { temperature: 1, topP: 0.95, topK: 64, maxTemperature: 2 };
const LITE_BUDGET = { min: 512, max: 24576, canDisable: true };
const GEMINI_3_BUDGET = { min: 1, max: 32768, canDisable: true };
const TEXT_TRAITS = {
  outputModalities: TEXT,
  logprobs: false,
  requiresThoughtSignatures: false,
  toolCombination: false,
  systemInstruction: true,
  tools: true,
  jsonMode: true,
};

function gemini(
  id: string,
  displayName: string,
  description: string,
  extra: Partial<ModelResource> & { traits: ModelTraits },
): ModelEntry {
  const { traits, ...resource } = extra;
  return {
    id,
    resource: {
      name: `models/${id}`,
      version: '001',
      displayName,
      description,
      inputTokenLimit: 1048576,
      outputTokenLimit: 65536,
      supportedGenerationMethods: GENERATE,
      ...SAMPLING,
      ...resource,
    },
    traits,
  };
}

const lite = { thinking: true, traits: { ...TEXT_TRAITS, thinkingBudget: LITE_BUDGET } };
/**
 * Gemini 3 takes `thinkingLevel`; a `thinkingBudget` is still accepted for backward compatibility, except
 * that 3.5 Flash-Lite refuses a zero budget (googleapis/python-genai#2936).
 */
const gemini3 = (levels: readonly string[], budget: ModelTraits['thinkingBudget'] = GEMINI_3_BUDGET) => ({
  version: '3.0',
  thinking: true,
  traits: {
    ...TEXT_TRAITS,
    thinkingBudget: budget,
    thinkingLevels: levels,
    requiresThoughtSignatures: true,
    toolCombination: true,
  },
});
const ALL_LEVELS = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'];
/** 3.7 Flash, 3.8 Flash and 3.1 Pro answer `minimal` with a 400. */
const NO_MINIMAL = ['LOW', 'MEDIUM', 'HIGH'];
const imageModel = (levels: readonly string[]) => ({
  version: '3.0',
  inputTokenLimit: 131072,
  outputTokenLimit: 32768,
  thinking: true,
  supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'],
  traits: {
    ...TEXT_TRAITS,
    outputModalities: ['TEXT', 'IMAGE'],
    thinkingBudget: GEMINI_3_BUDGET,
    thinkingLevels: levels,
    requiresThoughtSignatures: true,
  },
});
const gemma = (id: string, displayName: string, inputTokenLimit = 32768, outputTokenLimit = 8192): ModelEntry =>
  gemini(id, displayName, '', {
    inputTokenLimit,
    outputTokenLimit,
    supportedGenerationMethods: ['generateContent', 'countTokens'],
    traits: { ...TEXT_TRAITS, systemInstruction: false, tools: false, jsonMode: false },
  });
const embedder = (id: string, displayName: string, description: string, version: string, dims: number): ModelEntry => ({
  id,
  resource: {
    name: `models/${id}`,
    version,
    displayName,
    description,
    inputTokenLimit: 2048,
    outputTokenLimit: 1,
    supportedGenerationMethods: ['embedContent', 'countTextTokens', 'countTokens'],
  },
  traits: { ...TEXT_TRAITS, outputModalities: [], embeddingDimensions: dims },
});

/** Today's lineup (2026-12-01; docs/compatibility.md, "Models"): what ListModels returns and generate serves. */
export const MODELS: readonly ModelEntry[] = [
  gemini(
    'gemini-3.8-flash',
    'Gemini 3.8 Flash',
    'Gemini 3.8 Flash, our most intelligent workhorse model, released in September 2026.',
    gemini3(NO_MINIMAL),
  ),
  gemini('gemini-3.7-flash', 'Gemini 3.7 Flash', 'Gemini 3.7 Flash, released in August 2026.', gemini3(NO_MINIMAL)),
  gemini('gemini-3.6-flash', 'Gemini 3.6 Flash', 'Gemini 3.6 Flash, released in July 2026.', gemini3(ALL_LEVELS)),
  gemini('gemini-3.5-flash', 'Gemini 3.5 Flash', 'Gemini 3.5 Flash, released in May 2026.', gemini3(ALL_LEVELS)),
  gemini(
    'gemini-3.5-flash-lite',
    'Gemini 3.5 Flash-Lite',
    'Gemini 3.5 Flash-Lite, released in July 2026.',
    gemini3(ALL_LEVELS, { min: 1, max: 32768, canDisable: false }),
  ),
  gemini(
    'gemini-3.1-flash-lite',
    'Gemini 3.1 Flash-Lite',
    'Gemini 3.1 Flash-Lite, released in May 2026.',
    gemini3(ALL_LEVELS),
  ),
  gemini('gemini-3.1-pro-preview', 'Gemini 3.1 Pro Preview', 'Gemini 3.1 Pro Preview', gemini3(NO_MINIMAL)),
  gemini('gemini-3-flash-preview', 'Gemini 3 Flash Preview', 'Gemini 3 Flash Preview', gemini3(ALL_LEVELS)),
  // The rolling aliases follow the current model of their tier: 3.8 Flash, 3.5 Flash-Lite, 3.1 Pro.
  gemini('gemini-flash-latest', 'Gemini Flash Latest', 'Latest release of Gemini Flash', gemini3(NO_MINIMAL)),
  gemini(
    'gemini-flash-lite-latest',
    'Gemini Flash-Lite Latest',
    'Latest release of Gemini Flash-Lite',
    gemini3(ALL_LEVELS, { min: 1, max: 32768, canDisable: false }),
  ),
  gemini('gemini-pro-latest', 'Gemini Pro Latest', 'Latest release of Gemini Pro', gemini3(NO_MINIMAL)),
  gemini(
    'gemini-2.5-flash-lite',
    'Gemini 2.5 Flash-Lite',
    'Stable version of Gemini 2.5 Flash-Lite, released in July of 2025',
    lite,
  ),
  gemini('gemini-3.1-flash-image', 'Nano Banana 2', 'Gemini 3.1 Flash Image', imageModel(['MINIMAL', 'HIGH'])),
  gemini('gemini-3-pro-image', 'Nano Banana Pro', 'Gemini 3 Pro Image', imageModel(['LOW', 'HIGH'])),
  gemma('gemma-3-1b-it', 'Gemma 3 1B'),
  gemma('gemma-3-4b-it', 'Gemma 3 4B'),
  gemma('gemma-3-12b-it', 'Gemma 3 12B'),
  gemma('gemma-3-27b-it', 'Gemma 3 27B', 131072),
  gemma('gemma-3n-e4b-it', 'Gemma 3n E4B', 8192, 2048),
  embedder(
    'gemini-embedding-001',
    'Gemini Embedding 001',
    'Obtain a distributed representation of a text.',
    '001',
    3072,
  ),
  {
    id: 'aqa',
    resource: {
      name: 'models/aqa',
      version: '001',
      displayName: 'Model that performs Attributed Question Answering.',
      description:
        'Model trained to return answers to questions that are grounded in provided sources, along with estimating answerable probability.',
      inputTokenLimit: 7168,
      outputTokenLimit: 1024,
      supportedGenerationMethods: ['generateAnswer'],
      temperature: 0.2,
      topP: 1,
      topK: 40,
    },
    traits: { ...TEXT_TRAITS },
  },
  {
    id: 'imagen-4.0-generate-001',
    resource: {
      name: 'models/imagen-4.0-generate-001',
      version: '001',
      displayName: 'Imagen 4',
      description: 'Vertex served Imagen 4.0 model',
      inputTokenLimit: 480,
      outputTokenLimit: 8192,
      supportedGenerationMethods: ['predict'],
    },
    traits: { ...TEXT_TRAITS, outputModalities: ['IMAGE'] },
  },
  {
    id: 'veo-3.0-generate-001',
    resource: {
      name: 'models/veo-3.0-generate-001',
      version: '3.0',
      displayName: 'Veo 3',
      description: 'Veo 3',
      inputTokenLimit: 480,
      outputTokenLimit: 8192,
      supportedGenerationMethods: ['predictLongRunning'],
    },
    traits: { ...TEXT_TRAITS, outputModalities: ['VIDEO'] },
  },
];

/**
 * Models Google has shut down: 1.x, 2.0, 2.5 Pro and Flash (2026-12-01; 2.5 Flash-Lite is still served),
 * their previews and Nano Banana 2.5, 3 Pro Preview (2026-03-09), the old embedding models. They answer
 * with a 404 of their own wording, not the unknown-model one.
 */
const RETIRED =
  /^(gemini-1\.|gemini-2\.0-|gemini-2\.5-(pro|flash(?!-lite$))|gemini-3-pro-preview$|gemini-3-pro-image-preview$|gemini-3\.1-flash-image-preview$|text-embedding-00|embedding-00)/;

/** The model named in a URL, if it exists and supports `method` (the name Google uses in its 404). */
export function findModel(id: string, method: string, apiVersion: string): ModelEntry {
  if (RETIRED.test(id)) throw modelRetired(id);
  const entry = MODELS.find((m) => m.id === id);
  const needs =
    method === 'streamGenerateContent' ? 'generateContent' : method === 'batchEmbedContents' ? 'embedContent' : method;
  if (!entry?.resource.supportedGenerationMethods.includes(needs)) {
    throw modelNotFound(id, apiVersion, method);
  }
  return entry;
}

export function getModelResource(id: string, apiVersion: string): ModelResource {
  if (RETIRED.test(id)) throw modelRetired(id);
  const entry = MODELS.find((m) => m.id === id);
  if (!entry) {
    // The service words this 404 like the generate one.
    throw modelNotFound(id, apiVersion, 'generateContent');
  }
  return entry.resource;
}

/**
 * The real default page size is 50; the fake uses 10 so that any gateway listing models has to follow
 * `nextPageToken` to see the whole catalogue — a gateway that reads one page shows a truncated list.
 */
export const DEFAULT_PAGE_SIZE = 10;
/** Google caps `pageSize` at 1000; a fake started with a smaller `maxPageSize` makes paging testable. */
const MAX_PAGE_SIZE = 1000;

export interface ModelPage {
  models: ModelResource[];
  nextPageToken?: string;
}

export function listModels(query: URLSearchParams, maxPageSize: number = MAX_PAGE_SIZE): ModelPage {
  const sizeText = query.get('pageSize') ?? query.get('page_size');
  let size = Math.min(DEFAULT_PAGE_SIZE, maxPageSize);
  if (sizeText !== null && sizeText !== '') {
    const parsed = Number(sizeText);
    if (!Number.isInteger(parsed)) {
      throw new GoogleApiError(400, `Invalid value at 'page_size' (TYPE_INT32), "${sizeText}"`, [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [
            { field: 'page_size', description: `Invalid value at 'page_size' (TYPE_INT32), "${sizeText}"` },
          ],
        },
      ]);
    }
    if (parsed > 0) size = Math.min(parsed, maxPageSize);
  }
  const token = query.get('pageToken') ?? query.get('page_token') ?? '';
  const offset = token === '' ? 0 : decodePageToken(token);
  const models = MODELS.slice(offset, offset + size).map((m) => m.resource);
  const next = offset + size;
  return next < MODELS.length ? { models, nextPageToken: encodePageToken(next) } : { models };
}

function encodePageToken(offset: number): string {
  return Buffer.from(`fake-models:${offset}`).toString('base64url');
}

function decodePageToken(token: string): number {
  const match = /^fake-models:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  const offset = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(offset) || offset >= MODELS.length) {
    throw new GoogleApiError(400, 'Invalid page token.');
  }
  return offset;
}
