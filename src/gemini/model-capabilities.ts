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
}

const NO_THINKING: ThinkingControl = { kind: 'none' };
const ALL_LEVELS: readonly ThinkingLevel[] = ['minimal', 'low', 'medium', 'high'];

interface Row {
  pattern: RegExp;
  capabilities: ModelCapabilities;
}

const older = (generation: number, family: ModelFamily, thinking: ThinkingControl = NO_THINKING): ModelCapabilities => ({
  generation,
  family,
  thinking,
  thoughtSignatures: false,
  imageOutput: false,
});

const gemini3 = (generation: number, family: ModelFamily, levels: readonly ThinkingLevel[], imageOutput = false): ModelCapabilities => ({
  generation,
  family,
  thinking: { kind: 'level', levels },
  thoughtSignatures: true,
  imageOutput,
});

/** First match wins; more specific patterns come first. */
const TABLE: readonly Row[] = [
  { pattern: /^(gemini-embedding|text-embedding|embedding)-/, capabilities: older(0, 'embedding') },
  { pattern: /^(gemma|learnlm)-/, capabilities: older(0, 'open') },
  { pattern: /^gemini-1\./, capabilities: older(1, 'other') },
  { pattern: /^gemini-2\.0-/, capabilities: older(2, 'other') },
  { pattern: /^gemini-2\.5-.*image/, capabilities: { ...older(2.5, 'image'), imageOutput: true } },
  { pattern: /^gemini-2\.5-pro/, capabilities: older(2.5, 'pro', { kind: 'budget', min: 128, max: 32768, canTurnOff: false }) },
  { pattern: /^gemini-2\.5-flash-lite/, capabilities: older(2.5, 'flash-lite', { kind: 'budget', min: 512, max: 24576, canTurnOff: true }) },
  { pattern: /^gemini-2\.5-/, capabilities: older(2.5, 'flash', { kind: 'budget', min: 1, max: 24576, canTurnOff: true }) },
  { pattern: /^gemini-3(\.\d+)?-.*image/, capabilities: gemini3(3, 'image', ['low', 'high'], true) },
  { pattern: /^gemini-3-pro/, capabilities: gemini3(3, 'pro', ['low', 'high']) },
  { pattern: /^gemini-3\.1-pro/, capabilities: gemini3(3.1, 'pro', ['low', 'medium', 'high']) },
  { pattern: /^gemini-3\.8-flash(?!-lite)/, capabilities: gemini3(3.8, 'flash', ['low', 'medium', 'high']) },
  { pattern: /^gemini-3(\.\d+)?-flash-lite/, capabilities: gemini3(3, 'flash-lite', ALL_LEVELS) },
  { pattern: /^gemini-3(\.\d+)?-flash/, capabilities: gemini3(3, 'flash', ALL_LEVELS) },
];

/** Names the table does not know: the newest generation, whose levels every current tier accepts. */
const NEWEST: ModelCapabilities = gemini3(Number.POSITIVE_INFINITY, 'other', ['low', 'medium', 'high']);

export function modelCapabilities(model: string): ModelCapabilities {
  const name = model.startsWith('models/') ? model.slice('models/'.length) : model;
  for (const row of TABLE) if (row.pattern.test(name)) return row.capabilities;
  return NEWEST;
}
