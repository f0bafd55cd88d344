import type { GeminiPart } from './gemini-types';

/**
 * Google's documented placeholder for a function call in history that has no thought signature (history
 * from another model or a client that dropped it): https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const DUMMY_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/**
 * A model turn of history, as Gemini 3 requires it (`required`): when none of its function calls got its
 * signature back from the client (carried in an id, an opaque field or a thinking block, by surface), the
 * first call gets the dummy (Gemini signs only the first of parallel calls, so it checks only that one).
 * The parts come back as they are when nothing is missing, else as a new array.
 */
export function ensureThoughtSignature(parts: GeminiPart[], required: boolean): GeminiPart[] {
  if (!required) return parts;
  let first = -1;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as GeminiPart;
    if (!('functionCall' in part)) continue;
    if (part.thoughtSignature) return parts;
    if (first < 0) first = i;
  }
  const call = parts[first];
  if (!call || !('functionCall' in call)) return parts;
  const signed = parts.slice();
  signed[first] = { ...call, thoughtSignature: DUMMY_THOUGHT_SIGNATURE };
  return signed;
}
