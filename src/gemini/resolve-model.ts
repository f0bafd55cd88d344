/**
 * Which Gemini model serves an OpenAI model name. The defaults name Google's rolling aliases, which always
 * point at the current model of their tier, so they do not retire under a deployment the way
 * `gemini-2.5-flash` did on 2026-12-01; `MODEL_MAP` (parsed by config.ts into `overrides`) changes or
 * extends the table. Replies always echo the name the client sent. Why each name goes where it goes:
 * docs/compatibility.md, "Models".
 */

/** OpenAI's flagship chat names, and its reasoning names: today's Flash (3.8) is Google's best free-tier model. */
const FLASH = 'gemini-flash-latest';
/** OpenAI's small and cheap names, and every name nobody mapped: Flash-Lite has the largest free quota. */
const FLASH_LITE = 'gemini-flash-lite-latest';

/**
 * `gemini-pro-latest` is deliberately absent: Google made Gemini 3.1 Pro paid-only in April 2026, so a free
 * key would get 429 with a limit of 0 for `o3`. `MODEL_MAP=o3=gemini-pro-latest` opts in.
 */
export const DEFAULT_MODEL_MAP = {
  'gpt-4o': FLASH,
  'gpt-4.1': FLASH,
  'gpt-4': FLASH,
  'gpt-4-turbo': FLASH,
  'chatgpt-4o-latest': FLASH,
  'gpt-5': FLASH,
  'gpt-5-mini': FLASH,
  o1: FLASH,
  o3: FLASH,
  'o3-mini': FLASH,
  'o4-mini': FLASH,
  'gpt-4o-mini': FLASH_LITE,
  'gpt-4.1-mini': FLASH_LITE,
  'gpt-4.1-nano': FLASH_LITE,
  'gpt-5-nano': FLASH_LITE,
  'gpt-3.5-turbo': FLASH_LITE,
} as const satisfies Record<string, string>;

/** Any other name that is not Gemini's own is served by this model. */
export const FALLBACK_MODEL = FLASH_LITE;

/** Gemini's own families, used as they are. */
const NATIVE_PREFIXES = ['gemini-', 'gemma-', 'learnlm-'] as const;

export function resolveModel(requested: string, overrides: ReadonlyMap<string, string>): string {
  const override = overrides.get(requested);
  if (override !== undefined) return override;
  if (Object.hasOwn(DEFAULT_MODEL_MAP, requested))
    return DEFAULT_MODEL_MAP[requested as keyof typeof DEFAULT_MODEL_MAP];
  if (requested.startsWith('models/')) return requested.slice('models/'.length);
  if (NATIVE_PREFIXES.some((prefix) => requested.startsWith(prefix))) return requested;
  return FALLBACK_MODEL;
}

/** The aliases `/v1/models` lists besides the upstream models: the table's names and MODEL_MAP's. */
export function listModelAliases(overrides: ReadonlyMap<string, string>): string[] {
  return [...new Set([...Object.keys(DEFAULT_MODEL_MAP), ...overrides.keys()])];
}
