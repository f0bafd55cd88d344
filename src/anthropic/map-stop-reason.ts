/**
 * Gemini `finishReason` → Anthropic `stop_reason` (https://ai.google.dev/api/generate-content#FinishReason,
 * https://docs.anthropic.com/en/api/messages#response-stop-reason). Gemini says STOP when the reply ends
 * with function calls, so the caller says whether it did. Gemini reports a stop sequence as STOP too, with
 * no word of which one: `stop_sequence` cannot be told apart and is reported as `end_turn`.
 */
export const STOP_REASONS = {
  STOP: 'end_turn',
  MAX_TOKENS: 'max_tokens',
  SAFETY: 'refusal',
  RECITATION: 'refusal',
  LANGUAGE: 'refusal',
  BLOCKLIST: 'refusal',
  PROHIBITED_CONTENT: 'refusal',
  SPII: 'refusal',
  IMAGE_SAFETY: 'refusal',
  MALFORMED_FUNCTION_CALL: 'end_turn',
  OTHER: 'end_turn',
  FINISH_REASON_UNSPECIFIED: 'end_turn',
} as const satisfies Record<string, AnthropicStopReason>;

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

export function mapStopReason(finishReason: string | undefined, hasToolUse: boolean): AnthropicStopReason {
  const mapped: AnthropicStopReason =
    finishReason !== undefined && Object.hasOwn(STOP_REASONS, finishReason) ? STOP_REASONS[finishReason as keyof typeof STOP_REASONS] : 'end_turn';
  return mapped === 'end_turn' && hasToolUse ? 'tool_use' : mapped;
}
