/**
 * What a Gemini model can do, decided from its name in one place: every surface asks this module and none
 * looks at a model-name prefix itself. It is a small table plus one rule for names the table does not know:
 * an unknown `gemini-*` name, a rolling `-latest` alias or a future `gemini-4-*` gets the newest
 * generation's behaviour (Google's aliases always point at the newest model of their tier).
 * Sources and dates: docs/compatibility.md, "Models".
 */

export type ThinkingLevel = 'minimal' | 'low' | 'medium' | 'high';

/** How much a client wants the model to think, in the words clients use (OpenAI's reasoning effort). */
export type ThinkingEffort = 'none' | ThinkingLevel;

export type ThinkingControl =
  /** The model does not think: a thinkingConfig is refused there. */
  | { kind: 'none' }
  /** Gemini 2.5: a token budget; `min` is the smallest non-zero budget, `canTurnOff` whether 0 is accepted. */
  | { kind: 'budget'; min: number; max: number; canTurnOff: boolean }
  /** Gemini 3: a level, from the model's own list (thinking cannot be turned off). */
  | { kind: 'level'; levels: readonly ThinkingLevel[] };

export type ModelFamily = 'pro' | 'flash' | 'flash-lite' | 'image' | 'embedding' | 'open' | 'other';

export interface ModelCapabilities {
  /** Gemini generation (2.5, 3, 3.8 …); Infinity for a name the table does not know (the newest). */
  generation: number;
  family: ModelFamily;
  thinking: ThinkingControl;
  /** Tool-call history must carry the thought signatures the model issued (Gemini 3 and later). */
  thoughtSignatures: boolean;
  /** The model can answer with images (responseModalities IMAGE). */
  imageOutput: boolean;
  /**
   * Built-in tools (Google Search) and function declarations may share a request, with
   * `toolConfig.includeServerSideToolInvocations` (Gemini 3 text models; https://ai.google.dev/gemini-api/docs/tool-combination).
   */
  toolCombination: boolean;
}

const NO_THINKING: ThinkingControl = { kind: 'none' };
const ALL_LEVELS: readonly ThinkingLevel[] = ['minimal', 'low', 'medium', 'high'];
/**
 * The levels of Gemini 3.7 Flash, 3.8 Flash and 3.1 Pro, which refuse `minimal` with a 400; every current
 * text tier also takes them, so a name the table does not know gets exactly these.
 */
const NO_MINIMAL: readonly ThinkingLevel[] = ['low', 'medium', 'high'];

interface Row {
  pattern: RegExp;
  capabilities: ModelCapabilities;
}

const older = (
  generation: number,
  family: ModelFamily,
  thinking: ThinkingControl = NO_THINKING,
): ModelCapabilities => ({
  generation,
  family,
  thinking,
  thoughtSignatures: false,
  imageOutput: false,
  toolCombination: false,
});

const gemini3 = (
  generation: number,
  family: ModelFamily,
  levels: readonly ThinkingLevel[],
  imageOutput = false,
): ModelCapabilities => ({
  generation,
  family,
  thinking: { kind: 'level', levels },
  thoughtSignatures: true,
  imageOutput,
  // Google documents the combination for its Gemini 3 text models; the image models do not call functions.
  toolCombination: !imageOutput,
});

/**
 * First match wins; more specific patterns come first. Gemini 3 rows name their versions: a 3.x version
 * the table has not seen is newer than all of them and takes the newest generation's rule below.
 */
const TABLE: readonly Row[] = [
  { pattern: /^(gemini-embedding|text-embedding|embedding)-/, capabilities: older(0, 'embedding') },
  { pattern: /^(gemma|learnlm)-/, capabilities: older(0, 'open') },
  { pattern: /^(imagen|veo|aqa)(-|$)/, capabilities: older(0, 'other') },
  { pattern: /^gemini-1\./, capabilities: older(1, 'other') },
  { pattern: /^gemini-2\.0-/, capabilities: older(2, 'other') },
  { pattern: /^gemini-2\.5-.*image/, capabilities: { ...older(2.5, 'image'), imageOutput: true } },
  {
    pattern: /^gemini-2\.5-pro/,
    capabilities: older(2.5, 'pro', { kind: 'budget', min: 128, max: 32768, canTurnOff: false }),
  },
  {
    pattern: /^gemini-2\.5-flash-lite/,
    capabilities: older(2.5, 'flash-lite', { kind: 'budget', min: 512, max: 24576, canTurnOff: true }),
  },
  {
    pattern: /^gemini-2\.5-/,
    capabilities: older(2.5, 'flash', { kind: 'budget', min: 1, max: 24576, canTurnOff: true }),
  },
  // Nano Banana 2 takes only minimal and high; Nano Banana Pro is built on 3 Pro and takes its levels.
  { pattern: /^gemini-3\.1-flash-image/, capabilities: gemini3(3.1, 'image', ['minimal', 'high'], true) },
  { pattern: /^gemini-3-pro-image/, capabilities: gemini3(3, 'image', ['low', 'high'], true) },
  { pattern: /^gemini-3-pro/, capabilities: gemini3(3, 'pro', ['low', 'high']) },
  { pattern: /^gemini-3\.1-pro/, capabilities: gemini3(3.1, 'pro', NO_MINIMAL) },
  { pattern: /^gemini-3\.1-flash-lite/, capabilities: gemini3(3.1, 'flash-lite', ALL_LEVELS) },
  { pattern: /^gemini-3\.5-flash-lite/, capabilities: gemini3(3.5, 'flash-lite', ALL_LEVELS) },
  { pattern: /^gemini-3-flash/, capabilities: gemini3(3, 'flash', ALL_LEVELS) },
  { pattern: /^gemini-3\.5-flash/, capabilities: gemini3(3.5, 'flash', ALL_LEVELS) },
  { pattern: /^gemini-3\.6-flash/, capabilities: gemini3(3.6, 'flash', ALL_LEVELS) },
  { pattern: /^gemini-3\.7-flash/, capabilities: gemini3(3.7, 'flash', NO_MINIMAL) },
  { pattern: /^gemini-3\.8-flash/, capabilities: gemini3(3.8, 'flash', NO_MINIMAL) },
];

/**
 * Names the table does not know: the newest generation. The family is read from the name where it says
 * one (`gemini-flash-lite-latest`, `gemini-4-pro`); image models get only `high`, the one level every
 * Gemini image model has taken.
 */
function newest(name: string): ModelCapabilities {
  const generation = Number.POSITIVE_INFINITY;
  if (name.includes('image')) return gemini3(generation, 'image', ['high'], true);
  const family: ModelFamily = name.includes('flash-lite')
    ? 'flash-lite'
    : name.includes('flash')
      ? 'flash'
      : name.includes('pro')
        ? 'pro'
        : 'other';
  return gemini3(generation, family, NO_MINIMAL);
}

export function modelCapabilities(model: string): ModelCapabilities {
  const name = model.startsWith('models/') ? model.slice('models/'.length) : model;
  for (const row of TABLE) if (row.pattern.test(name)) return row.capabilities;
  return newest(name);
}
