import type { GeminiThinkingConfig } from '../gemini/gemini-types';
import type { ThinkingEffort } from '../gemini/model-capabilities';
import { modelCapabilities } from '../gemini/model-capabilities';
import { thinkingForBudget, thinkingForEffort } from '../gemini/to-gemini-thinking-config';
import type { Effort, ThinkingParam } from './messages-request-schema';

/** `output_config.effort` → the effort words the capabilities module takes; Gemini's top is `high`. */
export const EFFORTS_TO_GEMINI = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
} as const satisfies Record<Effort, ThinkingEffort>;

/**
 * `thinking` + `output_config.effort` → Gemini's thinkingConfig on `model`, or undefined to leave the
 * model's default. An effort, when given, sets how much (it is Anthropic's newer control, and Claude Code
 * sends both); otherwise `enabled` maps its `budget_tokens`, and `adaptive` leaves the amount to the model,
 * as Gemini's dynamic thinking does. Thoughts are shown, as thinking blocks, only when thinking is on and
 * its `display` is not `omitted` — Anthropic shows none when thinking is off.
 */
export function toGeminiThinking(
  model: string,
  thinking: ThinkingParam | undefined,
  effort: Effort | null | undefined,
): GeminiThinkingConfig | undefined {
  const wanted = effort ? EFFORTS_TO_GEMINI[effort] : undefined;
  switch (thinking?.type) {
    case undefined:
      return wanted ? hidden(thinkingForEffort(model, wanted)) : undefined;
    case 'disabled':
      return thinkingForEffort(model, 'none');
    case 'enabled': {
      const config = wanted ? thinkingForEffort(model, wanted) : thinkingForBudget(model, thinking.budget_tokens);
      return thinking.display === 'omitted' ? hidden(config) : config;
    }
    case 'adaptive':
    case 'between_tools': {
      if (modelCapabilities(model).thinking.kind === 'none') return undefined;
      const config = wanted ? thinkingForEffort(model, wanted) : { includeThoughts: true };
      return thinking.type === 'adaptive' && thinking.display === 'omitted' ? hidden(config) : config;
    }
  }
}

function hidden(config: GeminiThinkingConfig | undefined): GeminiThinkingConfig | undefined {
  if (!config) return undefined;
  const { includeThoughts: _shown, ...rest } = config;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
