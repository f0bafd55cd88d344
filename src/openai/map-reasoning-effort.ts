import type { ReasoningEffort } from './chat-request-schema';
import type { GeminiThinkingConfig, GeminiThinkingLevel } from './gemini-types';

/**
 * `reasoning_effort` → Gemini 2.5 `thinkingBudget`, as Google's own OpenAI compatibility layer maps it
 * (low 1024, medium 8192, high 24576, none 0; https://ai.google.dev/gemini-api/docs/openai#thinking).
 * `minimal` has no entry there: 512 is the smallest budget every 2.5 model accepts (Flash-Lite's minimum).
 */
export const REASONING_BUDGETS = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
} as const satisfies Record<ReasoningEffort, number>;

/**
 * Gemini 3 takes `thinkingLevel` instead (sending a budget too is a 400). Gemini 3 Pro knows only `low` and
 * `high` (Flash adds `minimal` and `medium`), and no Gemini 3 model can turn thinking off, so every effort
 * maps to the nearest level that all Gemini 3 models accept.
 */
export const GEMINI_3_LEVELS = {
  none: 'low',
  minimal: 'low',
  low: 'low',
  medium: 'high',
  high: 'high',
} as const satisfies Record<ReasoningEffort, GeminiThinkingLevel>;

/** Gemini 2.5 Pro cannot stop thinking: budget 0 is a 400 there, 128 is its smallest. */
const PRO_25_MIN_BUDGET = 128;

/** Models that do not think: a thinkingConfig there is refused, so the effort is not forwarded. */
const NON_THINKING_PREFIXES = ['gemini-1.', 'gemini-2.0-', 'gemma-', 'learnlm-'] as const;

export function mapReasoningEffort(effort: ReasoningEffort, model: string): GeminiThinkingConfig | undefined {
  if (NON_THINKING_PREFIXES.some((prefix) => model.startsWith(prefix))) return undefined;
  const includeThoughts = effort !== 'none';
  const config: GeminiThinkingConfig = model.startsWith('gemini-3')
    ? { thinkingLevel: GEMINI_3_LEVELS[effort] }
    : { thinkingBudget: effort === 'none' && model.startsWith('gemini-2.5-pro') ? PRO_25_MIN_BUDGET : REASONING_BUDGETS[effort] };
  // Thoughts are shown to the client as `reasoning_content` whenever it asked for reasoning.
  if (includeThoughts) config.includeThoughts = true;
  return config;
}
