/**
 * What this surface reads from Gemini's generateContent / streamGenerateContent responses
 * (https://ai.google.dev/api/generate-content#generatecontentresponse), read leniently: only the fields
 * used here are copied, a field of an unexpected type counts as absent and unknown fields are ignored, so
 * a new upstream field never breaks a reply. Hand-written rather than a zod schema because it runs once
 * per stream chunk: the Edge runtime forbids the code generation zod's fast path needs, and without it a
 * schema costs about 2 µs per chunk — the whole budget of a chunk's conversion.
 */

import { type Grounding, readGroundingMetadata } from './read-grounding-metadata';

export interface GeminiResponsePart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name: string; args: Record<string, unknown> };
  inlineData?: { mimeType: string; data: string };
}

export interface GeminiLogprobsCandidate {
  token?: string;
  logProbability?: number;
}

export interface GeminiLogprobsResult {
  topCandidates: { candidates: GeminiLogprobsCandidate[] }[];
  chosenCandidates: GeminiLogprobsCandidate[];
}

export interface GeminiCandidate {
  parts: GeminiResponsePart[];
  finishReason?: string;
  index?: number;
  logprobsResult?: GeminiLogprobsResult;
  /** Google Search grounding (read-grounding-metadata.ts). */
  groundingMetadata?: Grounding;
}

export interface GeminiUsage {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

export interface GeminiResponse {
  candidates: GeminiCandidate[];
  blockReason?: string;
  usageMetadata?: GeminiUsage;
  /** Sent inside a stream when the upstream fails after it started. */
  error?: { code?: number; message?: string };
}

type Json = Record<string, unknown>;

/** The response, or undefined if it is not a JSON object at all. */
export function readGeminiResponse(value: unknown): GeminiResponse | undefined {
  if (!isObject(value)) return undefined;
  const response: GeminiResponse = { candidates: [] };
  if (Array.isArray(value.candidates)) {
    for (const candidate of value.candidates)
      if (isObject(candidate)) response.candidates.push(readCandidate(candidate));
  }
  const blockReason = isObject(value.promptFeedback) ? string(value.promptFeedback.blockReason) : undefined;
  if (blockReason) response.blockReason = blockReason;
  if (isObject(value.usageMetadata)) response.usageMetadata = readUsage(value.usageMetadata);
  if (isObject(value.error)) response.error = { code: number(value.error.code), message: string(value.error.message) };
  return response;
}

function readCandidate(candidate: Json): GeminiCandidate {
  const out: GeminiCandidate = { parts: [] };
  const parts = isObject(candidate.content) ? candidate.content.parts : undefined;
  if (Array.isArray(parts)) for (const part of parts) if (isObject(part)) out.parts.push(readPart(part));
  const finishReason = string(candidate.finishReason);
  if (finishReason) out.finishReason = finishReason;
  const index = number(candidate.index);
  if (index !== undefined) out.index = index;
  if (isObject(candidate.logprobsResult)) out.logprobsResult = readLogprobs(candidate.logprobsResult);
  if (candidate.groundingMetadata !== undefined) {
    const grounding = readGroundingMetadata(candidate.groundingMetadata);
    if (grounding) out.groundingMetadata = grounding;
  }
  return out;
}

function readPart(part: Json): GeminiResponsePart {
  const out: GeminiResponsePart = {};
  if (typeof part.text === 'string') out.text = part.text;
  if (part.thought === true) out.thought = true;
  if (typeof part.thoughtSignature === 'string') out.thoughtSignature = part.thoughtSignature;
  const call = part.functionCall;
  if (isObject(call) && typeof call.name === 'string')
    out.functionCall = { name: call.name, args: isObject(call.args) ? call.args : {} };
  const inline = part.inlineData;
  if (isObject(inline) && typeof inline.mimeType === 'string' && typeof inline.data === 'string')
    out.inlineData = { mimeType: inline.mimeType, data: inline.data };
  return out;
}

function readUsage(usage: Json): GeminiUsage {
  return {
    promptTokenCount: number(usage.promptTokenCount),
    candidatesTokenCount: number(usage.candidatesTokenCount),
    thoughtsTokenCount: number(usage.thoughtsTokenCount),
    cachedContentTokenCount: number(usage.cachedContentTokenCount),
    toolUsePromptTokenCount: number(usage.toolUsePromptTokenCount),
    totalTokenCount: number(usage.totalTokenCount),
  };
}

function readLogprobs(result: Json): GeminiLogprobsResult {
  const candidates = (list: unknown): GeminiLogprobsCandidate[] =>
    Array.isArray(list)
      ? list
          .filter(isObject)
          .map((entry) => ({ token: string(entry.token), logProbability: number(entry.logProbability) }))
      : [];
  return {
    topCandidates: Array.isArray(result.topCandidates)
      ? result.topCandidates.filter(isObject).map((top) => ({ candidates: candidates(top.candidates) }))
      : [],
    chosenCandidates: candidates(result.chosenCandidates),
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
