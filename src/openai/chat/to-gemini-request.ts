import { GatewayError } from '../../errors';
import { MIN_SCHEMA_BUDGET, type SchemaBudget } from '../../gemini/create-schema-budget';
import type {
  GeminiGenerateContentRequest,
  GeminiGenerationConfig,
  GeminiModality,
  GeminiThinkingConfig,
} from '../../gemini/gemini-types';
import { modelCapabilities } from '../../gemini/model-capabilities';
import { recallGeminiTools } from '../../gemini/recall-gemini-tools';
import { toGeminiSchema } from '../../gemini/to-gemini-schema';
import { thinkingForEffort } from '../../gemini/to-gemini-thinking-config';
import { toGeminiToolCombination } from '../../gemini/to-gemini-tool-combination';
import { type ContentMemo, rememberJson } from '../../http/content-memo';
import type { MediaMap } from '../../media/fetch-media-urls';
import type { ChatRequest } from './chat-request-schema';
import { findWebSearch } from './find-web-search';
import { toGeminiMessages } from './to-gemini-messages';
import { toGeminiTools } from './to-gemini-tools';

export interface ToGeminiRequestOptions {
  /** The Gemini model that will serve the request (after resolveModel). */
  model: string;
  media: MediaMap;
  /** What all the request's converted schemas may take (createSchemaBudget); MIN_SCHEMA_BUDGET when absent. */
  schemaBudget?: SchemaBudget;
  /** The instance's memo: tools converted and system instruction serialised once per distinct content (content-memo.ts). */
  memo?: ContentMemo;
}

/**
 * A validated OpenAI chat request → the body of Gemini's generateContent. Only what the client set is
 * sent: no default temperature, token cap or safety setting is invented. docs/compatibility.md lists every
 * field and what it becomes.
 */
export function toGeminiRequest(request: ChatRequest, options: ToGeminiRequestOptions): GeminiGenerateContentRequest {
  if (request.audio != null || request.modalities?.includes('audio')) {
    throw new GatewayError(400, 'Audio output is not supported: Gemini models answer in text here.', {
      param: request.audio != null ? 'audio' : 'modalities',
    });
  }
  const capabilities = modelCapabilities(options.model);
  const imageOutput = capabilities.imageOutput;
  if (request.modalities?.includes('image') && !imageOutput) {
    throw new GatewayError(
      400,
      `Gemini model '${options.model}' cannot answer with images; use an image model such as gemini-3.1-flash-image.`,
      { param: 'modalities' },
    );
  }
  if (request.top_logprobs != null && request.logprobs !== true) {
    throw new GatewayError(400, "Invalid 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used.", {
      param: 'top_logprobs',
    });
  }

  const { systemInstruction, contents } = toGeminiMessages(request.messages, {
    media: options.media,
    requireSignatures: capabilities.thoughtSignatures,
  });
  const result: GeminiGenerateContentRequest = { contents };
  // The same on every turn of an agent: remembered, and spliced into the body as JSON already made.
  if (systemInstruction) result.systemInstruction = rememberJson(options.memo, 'system-instruction', systemInstruction);

  const schemaBudget = options.schemaBudget ?? { limit: MIN_SCHEMA_BUDGET, left: MIN_SCHEMA_BUDGET };
  const { webSearch, tools: functionTools } = findWebSearch(request);
  const { tools, toolConfig } = recallGeminiTools(
    options.memo,
    'openai-chat-tools',
    [functionTools, request.tool_choice, webSearch],
    schemaBudget,
    (budget) => toGeminiTools(functionTools, request.tool_choice, webSearch, budget),
  );
  if (tools) result.tools = tools;
  if (toolConfig) result.toolConfig = toolConfig;
  const hasFunctions = (tools ?? []).some((tool) => 'functionDeclarations' in tool);
  const combination = toGeminiToolCombination(
    options.model,
    hasFunctions,
    webSearch,
    request.web_search_options != null ? 'web_search_options' : 'tools',
  );
  // The switch needs a toolConfig; without a tool_choice it carries AUTO, which is Gemini's default anyway.
  if (combination)
    result.toolConfig = {
      functionCallingConfig: result.toolConfig?.functionCallingConfig ?? { mode: 'AUTO' },
      ...combination,
    };

  // The openai SDK merges `extra_body` into the top level, so `google` arrives there; raw HTTP clients may
  // send `extra_body` literally.
  const google = request.google ?? request.extra_body?.google;
  const safetySettings = google?.safety_settings ?? request.safety_settings;
  if (safetySettings)
    result.safetySettings = safetySettings.map(({ category, threshold }) => ({ category, threshold }));
  if (google?.cached_content) result.cachedContent = google.cached_content;

  const generationConfig = convertGenerationConfig(request, options.model, google?.thinking_config, schemaBudget);
  // Image models answer with text and images (Google's default for them, said out loud); `modalities` narrows it.
  if (imageOutput)
    generationConfig.responseModalities = request.modalities
      ? toGeminiModalities(request.modalities)
      : ['TEXT', 'IMAGE'];
  if (Object.keys(generationConfig).length > 0) result.generationConfig = generationConfig;
  return result;
}

function toGeminiModalities(modalities: readonly string[]): GeminiModality[] {
  const out: GeminiModality[] = [];
  if (modalities.includes('text')) out.push('TEXT');
  if (modalities.includes('image')) out.push('IMAGE');
  return out.length > 0 ? out : ['TEXT', 'IMAGE'];
}

type ThinkingConfigInput = NonNullable<NonNullable<ChatRequest['google']>['thinking_config']>;

function convertGenerationConfig(
  request: ChatRequest,
  model: string,
  thinking: ThinkingConfigInput | null | undefined,
  schemaBudget: SchemaBudget,
): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  if (request.top_k != null) config.topK = request.top_k;
  if (request.n != null) config.candidateCount = request.n;
  // max_tokens is the deprecated name of max_completion_tokens; the newer one wins when both are sent.
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) config.maxOutputTokens = maxTokens;
  if (request.stop != null) {
    const stops = typeof request.stop === 'string' ? [request.stop] : request.stop;
    if (stops.length > 0) config.stopSequences = [...stops];
  }
  if (request.presence_penalty != null) config.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) config.frequencyPenalty = request.frequency_penalty;
  if (request.seed != null) config.seed = request.seed;
  if (request.logprobs === true) {
    config.responseLogprobs = true;
    if (request.top_logprobs != null) config.logprobs = request.top_logprobs;
  }

  const format = request.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    if (format.json_schema.schema)
      config.responseSchema = toGeminiSchema(
        format.json_schema.schema,
        'response_format.json_schema.schema',
        schemaBudget,
      );
  }

  if (thinking && request.reasoning_effort != null) {
    // As Google's own layer: the two controls overlap, so one request may use only one of them.
    throw new GatewayError(400, "Use either 'reasoning_effort' or 'google.thinking_config', not both.", {
      param: 'reasoning_effort',
    });
  }
  const thinkingConfig = thinking
    ? convertThinkingConfig(thinking)
    : request.reasoning_effort != null
      ? thinkingForEffort(model, request.reasoning_effort)
      : undefined;
  if (thinkingConfig) config.thinkingConfig = thinkingConfig;
  return config;
}

/** Google's snake_case thinking_config; thoughts are shown unless the client said otherwise or turned thinking off. */
function convertThinkingConfig(thinking: ThinkingConfigInput): GeminiThinkingConfig {
  const config: GeminiThinkingConfig = {};
  if (thinking.thinking_budget != null) config.thinkingBudget = thinking.thinking_budget;
  if (thinking.thinking_level != null) config.thinkingLevel = thinking.thinking_level;
  const includeThoughts = thinking.include_thoughts ?? thinking.thinking_budget !== 0;
  if (includeThoughts) config.includeThoughts = true;
  else if (thinking.include_thoughts === false) config.includeThoughts = false;
  return config;
}
