/**
 * Which Gemini model serves an OpenAI model name. The table is the original README's promise; `MODEL_MAP`
 * (parsed by config.ts into `overrides`) changes or extends it. Replies always echo the name the client sent.
 */

export const DEFAULT_MODEL_MAP = {
  'gpt-4o': 'gemini-2.5-flash',
  'gpt-3.5-turbo': 'gemini-2.5-flash-lite',
  'gpt-4': 'gemini-2.5-flash-lite',
  'gpt-4-turbo': 'gemini-2.5-flash-lite',
} as const satisfies Record<string, string>;

/** Any other name that is not Gemini's own is served by this model. */
export const FALLBACK_MODEL = 'gemini-2.5-flash-lite';

/** Gemini's own families, used as they are. */
const NATIVE_PREFIXES = ['gemini-', 'gemma-', 'learnlm-'] as const;

export function resolveModel(requested: string, overrides: ReadonlyMap<string, string>): string {
  const override = overrides.get(requested);
  if (override !== undefined) return override;
  if (Object.hasOwn(DEFAULT_MODEL_MAP, requested)) return DEFAULT_MODEL_MAP[requested as keyof typeof DEFAULT_MODEL_MAP];
  if (requested.startsWith('models/')) return requested.slice('models/'.length);
  if (NATIVE_PREFIXES.some((prefix) => requested.startsWith(prefix))) return requested;
  return FALLBACK_MODEL;
}

/** The aliases `/v1/models` lists besides the upstream models: the table's names and MODEL_MAP's. */
export function listModelAliases(overrides: ReadonlyMap<string, string>): string[] {
  return [...new Set([...Object.keys(DEFAULT_MODEL_MAP), ...overrides.keys()])];
}
