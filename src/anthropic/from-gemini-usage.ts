import type { GeminiUsage } from '../gemini/read-gemini-response';

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** Present when the request offered web search: how many searches Google ran for the answer. */
  server_tool_use?: { web_search_requests: number };
}

/**
 * Gemini `usageMetadata` → Anthropic `usage`. Anthropic counts cache reads apart from `input_tokens`, where
 * Gemini's prompt count includes its cached tokens; thoughts are output tokens on both sides. Gemini
 * creates no cache implicitly that one would pay for, so cache creation is 0.
 */
export function fromGeminiUsage(usage: GeminiUsage | undefined): AnthropicUsage {
  const cached = usage?.cachedContentTokenCount ?? 0;
  const prompt = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  return {
    input_tokens: Math.max(0, prompt - cached),
    output_tokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}
