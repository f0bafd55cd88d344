/**
 * The structure of the Gemini API's request messages (v1beta protos), as strict zod schemas. Structure only:
 * unknown fields, wrong JSON types and unknown enum names fail here with the parser's wording; rules that
 * need the whole request (one data field per part, roles, ranges) live in validate-generate-request.ts.
 * Reference: https://ai.google.dev/api/generate-content and https://ai.google.dev/api/caching#Schema
 */
import { z } from 'zod';
import {
  pBool,
  pBytes,
  pDouble,
  pEnum,
  pFloat,
  pInt32,
  pInt64,
  pList,
  pMap,
  pMessage,
  pString,
  pStruct,
  pValue,
} from './proto-json';

export const SCHEMA_TYPES = [
  'TYPE_UNSPECIFIED',
  'STRING',
  'NUMBER',
  'INTEGER',
  'BOOLEAN',
  'ARRAY',
  'OBJECT',
  'NULL',
] as const;

/**
 * Google's OpenAPI subset. No `additionalProperties`, `$ref`, `$defs`, `const`, `oneOf`, `allOf`, `$schema`:
 * those are unknown fields here, exactly the 400s a gateway meets when it forwards a client's JSON Schema
 * into `responseSchema` or `parameters` instead of `responseJsonSchema` / `parametersJsonSchema`.
 */
export interface GeminiSchema {
  type?: (typeof SCHEMA_TYPES)[number];
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  maxItems?: number;
  minItems?: number;
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  minProperties?: number;
  maxProperties?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  example?: unknown;
  anyOf?: GeminiSchema[];
  propertyOrdering?: string[];
  default?: unknown;
  items?: GeminiSchema;
  minimum?: number;
  maximum?: number;
}

export const schemaSchema: z.ZodType<GeminiSchema> = pMessage('Schema', {
  type: pEnum('Type', SCHEMA_TYPES),
  format: pString(),
  title: pString(),
  description: pString(),
  nullable: pBool(),
  enum: pList(pString()),
  maxItems: pInt64(),
  minItems: pInt64(),
  properties: pMap(z.lazy(() => schemaSchema)),
  required: pList(pString()),
  minProperties: pInt64(),
  maxProperties: pInt64(),
  minLength: pInt64(),
  maxLength: pInt64(),
  pattern: pString(),
  example: pValue(),
  anyOf: pList(z.lazy(() => schemaSchema)),
  propertyOrdering: pList(pString()),
  default: pValue(),
  items: z.lazy(() => schemaSchema),
  minimum: pDouble(),
  maximum: pDouble(),
});

const blobSchema = pMessage('Blob', { mimeType: pString(), data: pBytes() });

const partSchema = pMessage('Part', {
  text: pString(),
  inlineData: blobSchema,
  fileData: pMessage('FileData', { mimeType: pString(), fileUri: pString() }),
  functionCall: pMessage('FunctionCall', { id: pString(), name: pString(), args: pStruct() }),
  functionResponse: pMessage('FunctionResponse', {
    id: pString(),
    name: pString(),
    response: pStruct(),
    parts: pList(pMessage('FunctionResponsePart', { inlineData: blobSchema })),
    willContinue: pBool(),
    scheduling: pEnum('FunctionResponse.Scheduling', ['SCHEDULING_UNSPECIFIED', 'SILENT', 'WHEN_IDLE', 'INTERRUPT']),
  }),
  executableCode: pMessage('ExecutableCode', {
    language: pEnum('ExecutableCode.Language', ['LANGUAGE_UNSPECIFIED', 'PYTHON']),
    code: pString(),
  }),
  codeExecutionResult: pMessage('CodeExecutionResult', {
    outcome: pEnum('CodeExecutionResult.Outcome', [
      'OUTCOME_UNSPECIFIED',
      'OUTCOME_OK',
      'OUTCOME_FAILED',
      'OUTCOME_DEADLINE_EXCEEDED',
    ]),
    output: pString(),
  }),
  thought: pBool(),
  thoughtSignature: pBytes(),
  videoMetadata: pMessage('VideoMetadata', { startOffset: pString(), endOffset: pString(), fps: pDouble() }),
  mediaResolution: pMessage('Part.MediaResolution', {
    level: pEnum('Part.MediaResolution.Level', [
      'MEDIA_RESOLUTION_UNSPECIFIED',
      'MEDIA_RESOLUTION_LOW',
      'MEDIA_RESOLUTION_MEDIUM',
      'MEDIA_RESOLUTION_HIGH',
      'MEDIA_RESOLUTION_ULTRA_HIGH',
    ]),
  }),
});

export const contentSchema = pMessage('Content', { parts: pList(partSchema), role: pString() });

const functionDeclarationSchema = pMessage('FunctionDeclaration', {
  name: pString(),
  description: pString(),
  parameters: schemaSchema,
  parametersJsonSchema: pValue(),
  response: schemaSchema,
  responseJsonSchema: pValue(),
  behavior: pEnum('FunctionDeclaration.Behavior', ['UNSPECIFIED', 'BLOCKING', 'NON_BLOCKING']),
});

const toolSchema = pMessage('Tool', {
  functionDeclarations: pList(functionDeclarationSchema),
  googleSearchRetrieval: pMessage('GoogleSearchRetrieval', {
    dynamicRetrievalConfig: pMessage('DynamicRetrievalConfig', {
      mode: pEnum('DynamicRetrievalConfig.Mode', ['MODE_UNSPECIFIED', 'MODE_DYNAMIC']),
      dynamicThreshold: pFloat(),
    }),
  }),
  codeExecution: pMessage('CodeExecution', {}),
  googleSearch: pMessage('Tool.GoogleSearch', {
    timeRangeFilter: pMessage('Interval', { startTime: pString(), endTime: pString() }),
  }),
  urlContext: pMessage('UrlContext', {}),
  googleMaps: pMessage('GoogleMaps', { enableWidget: pBool() }),
  fileSearch: pMessage('FileSearch', {
    fileSearchStoreNames: pList(pString()),
    metadataFilter: pString(),
    topK: pInt32(),
  }),
  computerUse: pMessage('Tool.ComputerUse', {
    environment: pEnum('Tool.ComputerUse.Environment', ['ENVIRONMENT_UNSPECIFIED', 'ENVIRONMENT_BROWSER']),
    excludedPredefinedFunctions: pList(pString()),
  }),
});

export const FUNCTION_CALLING_MODES = ['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED'] as const;

const toolConfigSchema = pMessage('ToolConfig', {
  functionCallingConfig: pMessage('FunctionCallingConfig', {
    mode: pEnum('FunctionCallingConfig.Mode', FUNCTION_CALLING_MODES),
    allowedFunctionNames: pList(pString()),
  }),
  retrievalConfig: pMessage('RetrievalConfig', {
    latLng: pMessage('LatLng', { latitude: pDouble(), longitude: pDouble() }),
    languageCode: pString(),
  }),
  includeServerSideToolInvocations: pBool(),
});

/** Every HarmCategory the enum knows; the PaLM-era ones parse but Gemini models refuse them. */
export const HARM_CATEGORIES = [
  'HARM_CATEGORY_UNSPECIFIED',
  'HARM_CATEGORY_DEROGATORY',
  'HARM_CATEGORY_TOXICITY',
  'HARM_CATEGORY_VIOLENCE',
  'HARM_CATEGORY_SEXUAL',
  'HARM_CATEGORY_MEDICAL',
  'HARM_CATEGORY_DANGEROUS',
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_CIVIC_INTEGRITY',
] as const;

const safetySettingSchema = pMessage('SafetySetting', {
  category: pEnum('HarmCategory', HARM_CATEGORIES),
  threshold: pEnum('SafetySetting.HarmBlockThreshold', [
    'HARM_BLOCK_THRESHOLD_UNSPECIFIED',
    'BLOCK_LOW_AND_ABOVE',
    'BLOCK_MEDIUM_AND_ABOVE',
    'BLOCK_ONLY_HIGH',
    'BLOCK_NONE',
    'OFF',
  ]),
});

const voiceConfigSchema = pMessage('VoiceConfig', {
  prebuiltVoiceConfig: pMessage('PrebuiltVoiceConfig', { voiceName: pString() }),
});

export const THINKING_LEVELS = ['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH'] as const;

const generationConfigSchema = pMessage('GenerationConfig', {
  candidateCount: pInt32(),
  stopSequences: pList(pString()),
  maxOutputTokens: pInt32(),
  temperature: pFloat(),
  topP: pFloat(),
  topK: pInt32(),
  seed: pInt32(),
  responseMimeType: pString(),
  responseSchema: schemaSchema,
  responseJsonSchema: pValue(),
  presencePenalty: pFloat(),
  frequencyPenalty: pFloat(),
  responseLogprobs: pBool(),
  logprobs: pInt32(),
  enableEnhancedCivicAnswers: pBool(),
  responseModalities: pList(pEnum('GenerationConfig.Modality', ['MODALITY_UNSPECIFIED', 'TEXT', 'IMAGE', 'AUDIO'])),
  speechConfig: pMessage('SpeechConfig', {
    voiceConfig: voiceConfigSchema,
    multiSpeakerVoiceConfig: pMessage('MultiSpeakerVoiceConfig', {
      speakerVoiceConfigs: pList(
        pMessage('SpeakerVoiceConfig', { speaker: pString(), voiceConfig: voiceConfigSchema }),
      ),
    }),
    languageCode: pString(),
  }),
  thinkingConfig: pMessage('ThinkingConfig', {
    includeThoughts: pBool(),
    thinkingBudget: pInt32(),
    thinkingLevel: pEnum('ThinkingConfig.ThinkingLevel', THINKING_LEVELS),
  }),
  imageConfig: pMessage('ImageConfig', { aspectRatio: pString(), imageSize: pString() }),
  mediaResolution: pEnum('GenerationConfig.MediaResolution', [
    'MEDIA_RESOLUTION_UNSPECIFIED',
    'MEDIA_RESOLUTION_LOW',
    'MEDIA_RESOLUTION_MEDIUM',
    'MEDIA_RESOLUTION_HIGH',
  ]),
});

export const generateContentRequestSchema = pMessage('GenerateContentRequest', {
  model: pString(),
  contents: pList(contentSchema),
  systemInstruction: contentSchema,
  tools: pList(toolSchema),
  toolConfig: toolConfigSchema,
  safetySettings: pList(safetySettingSchema),
  generationConfig: generationConfigSchema,
  cachedContent: pString(),
  labels: pMap(pString()),
});

export type GenerateContentRequest = z.output<typeof generateContentRequestSchema>;
export type Content = z.output<typeof contentSchema>;
export type Part = NonNullable<Content['parts']>[number];
export type GenerationConfig = NonNullable<GenerateContentRequest['generationConfig']>;
export type Tool = NonNullable<GenerateContentRequest['tools']>[number];

export const TASK_TYPES = [
  'TASK_TYPE_UNSPECIFIED',
  'RETRIEVAL_QUERY',
  'RETRIEVAL_DOCUMENT',
  'SEMANTIC_SIMILARITY',
  'CLASSIFICATION',
  'CLUSTERING',
  'QUESTION_ANSWERING',
  'FACT_VERIFICATION',
  'CODE_RETRIEVAL_QUERY',
] as const;

export const embedContentRequestSchema = pMessage('EmbedContentRequest', {
  model: pString(),
  content: contentSchema,
  taskType: pEnum('TaskType', TASK_TYPES),
  title: pString(),
  outputDimensionality: pInt32(),
});

export type EmbedContentRequest = z.output<typeof embedContentRequestSchema>;

export const batchEmbedContentsRequestSchema = pMessage('BatchEmbedContentsRequest', {
  model: pString(),
  requests: pList(embedContentRequestSchema),
});

export const countTokensRequestSchema = pMessage('CountTokensRequest', {
  contents: pList(contentSchema),
  generateContentRequest: generateContentRequestSchema,
});
