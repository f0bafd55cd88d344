import type { GeminiUsage } from '../../gemini/read-gemini-response';
import type { OpenAIUsage } from '../openai-types';

/**
 * Gemini `usageMetadata` → OpenAI `usage`. Thinking tokens are billed as output, so `completion_tokens`
 * includes them (and reports them as `reasoning_tokens`), as OpenAI does for its reasoning models; tokens
 * of tool-use prompts (Google Search grounding) count as prompt tokens.
 */
export function fromGeminiUsage(usage: GeminiUsage | undefined): OpenAIUsage {
  const prompt = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  const reasoning = usage?.thoughtsTokenCount ?? 0;
  const completion = (usage?.candidatesTokenCount ?? 0) + reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.cachedContentTokenCount ?? 0 },
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}
