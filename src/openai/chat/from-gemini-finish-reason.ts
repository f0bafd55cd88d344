import {
  classifyFinishReason,
  FINISH_KINDS,
  type FinishKind,
  type GeminiFinishReason,
} from '../../gemini/classify-finish-reason';
import type { OpenAIFinishReason } from '../openai-types';

/**
 * Gemini `finishReason` → OpenAI `finish_reason`, by the reason's kind (classify-finish-reason.ts). OpenAI has
 * four values, so every policy stop is `content_filter`, and a failed function call, OTHER and anything newer
 * are `stop`: the reply ended without being cut by a limit or a filter, and `content_filter` would make
 * clients blame a policy that did not apply.
 * Gemini says STOP also when the reply calls functions; `fromGeminiFinishReason` turns that into `tool_calls`.
 */
const BY_KIND = {
  stop: 'stop',
  length: 'length',
  filtered: 'content_filter',
  'tool-error': 'stop',
  other: 'stop',
} as const satisfies Record<FinishKind, OpenAIFinishReason>;

/** The table per Gemini reason, for reading and tests; built from the kinds so the two cannot drift. */
export const FINISH_REASONS = Object.fromEntries(
  Object.entries(FINISH_KINDS).map(([reason, kind]) => [reason, BY_KIND[kind]]),
) as {
  readonly [R in GeminiFinishReason]: (typeof BY_KIND)[(typeof FINISH_KINDS)[R]];
};

export function fromGeminiFinishReason(reason: string | null | undefined, hasToolCalls: boolean): OpenAIFinishReason {
  const mapped: OpenAIFinishReason = BY_KIND[classifyFinishReason(reason)];
  return mapped === 'stop' && hasToolCalls ? 'tool_calls' : mapped;
}
