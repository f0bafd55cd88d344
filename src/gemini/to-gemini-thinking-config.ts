import type { GeminiThinkingConfig } from './gemini-types';
import { modelCapabilities, type ThinkingEffort, type ThinkingLevel } from './model-capabilities';

/**
 * A client's wish for more or less thinking → the Gemini thinkingConfig the model takes, or undefined when
 * the model does not think (a thinkingConfig is refused there). Every surface maps through here.
 */

/**
 * Effort → Gemini 2.5 `thinkingBudget`, as Google's own OpenAI compatibility layer maps it (low 1024,
 * medium 8192, high 24576, none 0; https://ai.google.dev/gemini-api/docs/openai#thinking); `minimal` has no
 * entry there and takes the model's smallest budget.
 */
export const EFFORT_BUDGETS = { none: 0, minimal: 512, low: 1024, medium: 8192, high: 24576 } as const satisfies Record<
  ThinkingEffort,
  number
>;

const LEVEL_ORDER: readonly ThinkingLevel[] = ['minimal', 'low', 'medium', 'high'];

/** `effort` on `model`; thoughts are included whenever the client asked for any thinking. */
export function thinkingForEffort(model: string, effort: ThinkingEffort): GeminiThinkingConfig | undefined {
  const { thinking } = modelCapabilities(model);
  let config: GeminiThinkingConfig;
  if (thinking.kind === 'none') return undefined;
  if (thinking.kind === 'level') config = { thinkingLevel: nearestLevel(effort, thinking.levels) };
  else config = { thinkingBudget: clampBudget(EFFORT_BUDGETS[effort], thinking) };
  if (effort !== 'none') config.includeThoughts = true;
  return config;
}

/**
 * A token budget (Anthropic's `budget_tokens`) on `model`: a budget where the model takes one, otherwise
 * the level whose 2.5 budget is nearest at or above it.
 */
export function thinkingForBudget(model: string, budgetTokens: number): GeminiThinkingConfig | undefined {
  const { thinking } = modelCapabilities(model);
  if (thinking.kind === 'none') return undefined;
  const includeThoughts = budgetTokens > 0;
  if (thinking.kind === 'budget') {
    const config: GeminiThinkingConfig = { thinkingBudget: clampBudget(budgetTokens, thinking) };
    if (includeThoughts) config.includeThoughts = true;
    return config;
  }
  const effort: ThinkingEffort =
    budgetTokens <= 0
      ? 'none'
      : budgetTokens <= EFFORT_BUDGETS.low
        ? 'low'
        : budgetTokens <= EFFORT_BUDGETS.medium
          ? 'medium'
          : 'high';
  return thinkingForEffort(model, effort);
}

/** The requested level if the model takes it, else the next one up, else the model's highest. */
function nearestLevel(effort: ThinkingEffort, levels: readonly ThinkingLevel[]): ThinkingLevel {
  const wanted = effort === 'none' ? 0 : LEVEL_ORDER.indexOf(effort);
  for (let i = wanted; i < LEVEL_ORDER.length; i++) {
    const level = LEVEL_ORDER[i] as ThinkingLevel;
    if (levels.includes(level)) return level;
  }
  return levels[levels.length - 1] ?? 'high';
}

function clampBudget(budget: number, control: { min: number; max: number; canTurnOff: boolean }): number {
  if (budget <= 0) return control.canTurnOff ? 0 : control.min;
  return Math.min(Math.max(budget, control.min), control.max);
}
