import { classifyFinishReason, type FinishKind } from '../gemini/classify-finish-reason';

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

/**
 * Gemini `finishReason` → Anthropic `stop_reason` (https://docs.anthropic.com/en/api/messages#response-stop-reason),
 * by the reason's kind (classify-finish-reason.ts): a policy stop is a `refusal`; a failed function call, OTHER
 * and anything newer end the turn. Gemini says STOP when the reply ends with function calls, so the caller
 * says whether it did. Gemini reports a stop sequence as STOP too, with no word of which one:
 * `stop_sequence` cannot be told apart and is reported as `end_turn`.
 */
export const STOP_REASONS = {
  stop: 'end_turn',
  length: 'max_tokens',
  filtered: 'refusal',
  'tool-error': 'end_turn',
  other: 'end_turn',
} as const satisfies Record<FinishKind, AnthropicStopReason>;

export function mapStopReason(finishReason: string | undefined, hasToolUse: boolean): AnthropicStopReason {
  const mapped: AnthropicStopReason = STOP_REASONS[classifyFinishReason(finishReason)];
  return mapped === 'end_turn' && hasToolUse ? 'tool_use' : mapped;
}
