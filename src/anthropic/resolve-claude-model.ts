import { GatewayError } from '../errors';
import { assertModelName } from '../gemini/assert-model-name';

/**
 * Which Gemini model serves a Claude model name. Claude Code asks for a `claude-*` name of each family
 * (its main model, and a small fast one for background work), so families map to Gemini's tiers by the
 * word in the name: Opus, the strongest, to Pro; Sonnet to Flash; Haiku, the small fast one, to Flash-Lite.
 * The targets are Google's rolling aliases, which follow the newest model of each tier. `MODEL_MAP` entries
 * win over the table; Gemini's own names pass as they are. Replies echo the name the client asked for.
 */
export const CLAUDE_FAMILIES = {
  opus: 'gemini-pro-latest',
  sonnet: 'gemini-flash-latest',
  haiku: 'gemini-flash-lite-latest',
} as const satisfies Record<string, string>;

/** A `claude-*` name of a family this table does not know (a new one) gets the middle tier. */
export const CLAUDE_FALLBACK = CLAUDE_FAMILIES.sonnet;

const NATIVE_PREFIXES = ['gemini-', 'gemma-', 'learnlm-'] as const;

export function resolveClaudeModel(requested: string, overrides: ReadonlyMap<string, string>): string {
  const override = overrides.get(requested);
  if (override !== undefined) return assertModelName(override);
  const name = requested.startsWith('models/') ? requested.slice('models/'.length) : requested;
  if (NATIVE_PREFIXES.some((prefix) => name.startsWith(prefix))) return assertModelName(name);
  if (name.startsWith('claude-')) {
    for (const [family, model] of Object.entries(CLAUDE_FAMILIES)) if (name.includes(family)) return model;
    return CLAUDE_FALLBACK;
  }
  // As Anthropic answers a model it does not serve.
  throw new GatewayError(404, `model: ${requested}`, { param: 'model', code: 'model_not_found' });
}
