import type { OpenAIFinishReason } from '../openai-types';

/**
 * Gemini `finishReason` → OpenAI `finish_reason`
 * (https://ai.google.dev/api/generate-content#FinishReason). OpenAI has four values, so:
 * - every policy stop (safety, recitation, blocklist, prohibited content, personal data, image safety, and
 *   LANGUAGE — an answer refused for its language) is `content_filter`;
 * - MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL, TOO_MANY_TOOL_CALLS, OTHER and anything newer are `stop`:
 *   the reply ended without being cut by a limit or a filter, and `content_filter` would make clients blame
 *   a policy that did not apply.
 * Gemini says STOP also when the reply calls functions; `fromGeminiFinishReason` turns that into `tool_calls`.
 */
export const FINISH_REASONS = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  LANGUAGE: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  IMAGE_PROHIBITED_CONTENT: 'content_filter',
  IMAGE_RECITATION: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'stop',
  UNEXPECTED_TOOL_CALL: 'stop',
  TOO_MANY_TOOL_CALLS: 'stop',
  OTHER: 'stop',
  FINISH_REASON_UNSPECIFIED: 'stop',
} as const satisfies Record<string, OpenAIFinishReason>;

export function fromGeminiFinishReason(reason: string | null | undefined, hasToolCalls: boolean): OpenAIFinishReason {
  const mapped: OpenAIFinishReason = reason && Object.hasOwn(FINISH_REASONS, reason) ? FINISH_REASONS[reason as keyof typeof FINISH_REASONS] : 'stop';
  return mapped === 'stop' && hasToolCalls ? 'tool_calls' : mapped;
}
