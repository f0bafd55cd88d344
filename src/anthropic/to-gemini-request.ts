import { MIN_SCHEMA_BUDGET, type SchemaBudget } from '../gemini/create-schema-budget';
import type { GeminiGenerateContentRequest, GeminiGenerationConfig } from '../gemini/gemini-types';
import { modelCapabilities } from '../gemini/model-capabilities';
import { recallGeminiTools } from '../gemini/recall-gemini-tools';
import { toGeminiSchema } from '../gemini/to-gemini-schema';
import { type ContentMemo, rememberJson } from '../http/content-memo';
import type { MediaMap } from '../media/fetch-media-urls';
import type { CountTokensRequest, MessagesRequest } from './messages-request-schema';
import { toGeminiContents } from './to-gemini-contents';
import { toGeminiThinking } from './to-gemini-thinking';
import { toGeminiTools } from './to-gemini-tools';

/**
 * The largest output any Gemini model takes (65,536 tokens for every current text model). Anthropic's
 * `max_tokens` is a cap, and Claude Code asks for 128,000; Gemini refuses a `maxOutputTokens` above the
 * model's limit, and "as much as the model allows" is what it does without the field.
 */
export const GEMINI_MAX_OUTPUT_TOKENS = 65_536;

export interface ToGeminiRequestOptions {
  /** The Gemini model that will serve the request (after resolveClaudeModel). */
  model: string;
  media: MediaMap;
  /** What all the request's converted schemas may take (createSchemaBudget); MIN_SCHEMA_BUDGET when absent. */
  schemaBudget?: SchemaBudget;
  /** The instance's memo: tools converted and system instruction serialised once per distinct content (content-memo.ts). */
  memo?: ContentMemo;
}

/**
 * A validated Anthropic Messages request (or count_tokens request) → the body of Gemini's generateContent.
 * Only what the client set is sent. docs/compatibility.md lists every field and what it becomes.
 */
export function toGeminiRequest(
  request: MessagesRequest | CountTokensRequest,
  options: ToGeminiRequestOptions,
): GeminiGenerateContentRequest {
  const { systemInstruction, contents } = toGeminiContents(request.system, request.messages, {
    media: options.media,
    requireSignatures: modelCapabilities(options.model).thoughtSignatures,
  });
  const result: GeminiGenerateContentRequest = { contents };
  // The same on every turn of an agent: remembered, and spliced into the body as JSON already made.
  if (systemInstruction) result.systemInstruction = rememberJson(options.memo, 'system-instruction', systemInstruction);
  const schemaBudget = options.schemaBudget ?? { limit: MIN_SCHEMA_BUDGET, left: MIN_SCHEMA_BUDGET };
  const { tools, toolConfig } = recallGeminiTools(
    options.memo,
    'anthropic-tools',
    [request.tools, request.tool_choice],
    schemaBudget,
    (budget) => toGeminiTools(request.tools, request.tool_choice, budget),
  );
  if (tools) result.tools = tools;
  if (toolConfig) result.toolConfig = toolConfig;

  const config: GeminiGenerationConfig = {};
  if ('max_tokens' in request && request.max_tokens < GEMINI_MAX_OUTPUT_TOKENS)
    config.maxOutputTokens = request.max_tokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.top_p !== undefined) config.topP = request.top_p;
  if (request.top_k !== undefined) config.topK = request.top_k;
  if (request.stop_sequences && request.stop_sequences.length > 0) config.stopSequences = [...request.stop_sequences];
  const format = request.output_config?.format ?? request.output_format;
  if (format) {
    config.responseMimeType = 'application/json';
    config.responseSchema = toGeminiSchema(
      format.schema,
      request.output_config?.format ? 'output_config.format.schema' : 'output_format.schema',
      schemaBudget,
    );
  }
  const thinkingConfig = toGeminiThinking(options.model, request.thinking, request.output_config?.effort);
  if (thinkingConfig) config.thinkingConfig = thinkingConfig;
  if (Object.keys(config).length > 0) result.generationConfig = config;
  return result;
}
