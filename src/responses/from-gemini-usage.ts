import type { GeminiUsage } from '../gemini/read-gemini-response';
import type { ResponseUsage } from './response-types';

/**
 * Gemini `usageMetadata` → Responses `usage`. Thinking tokens are billed as output, so `output_tokens`
 * includes them and reports them as `reasoning_tokens`, as OpenAI does; tokens of tool-use prompts (Google
 * Search grounding) count as input. Gemini caches implicitly and reports no cache writes.
 */
export function fromGeminiUsage(usage: GeminiUsage | undefined): ResponseUsage {
  const input = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  const reasoning = usage?.thoughtsTokenCount ?? 0;
  const output = (usage?.candidatesTokenCount ?? 0) + reasoning;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.cachedContentTokenCount ?? 0, cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}
