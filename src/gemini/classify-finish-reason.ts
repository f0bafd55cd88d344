/**
 * What a Gemini `finishReason` means, in words every client protocol has
 * (https://ai.google.dev/api/generate-content#FinishReason); each surface maps these kinds to its own values:
 * - `stop`: the reply is complete (Gemini says STOP also when the reply calls functions);
 * - `length`: cut by the output token limit;
 * - `filtered`: stopped by a policy — safety, recitation, blocklist, prohibited content, personal data,
 *   image safety, and LANGUAGE (an answer refused for its language);
 * - `tool-error`: the model's function calling went wrong (malformed, unexpected, too many calls);
 * - `other`: OTHER, unspecified, and any reason newer than this table.
 */
export type FinishKind = 'stop' | 'length' | 'filtered' | 'tool-error' | 'other';

export const FINISH_KINDS = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'filtered',
  RECITATION: 'filtered',
  LANGUAGE: 'filtered',
  BLOCKLIST: 'filtered',
  PROHIBITED_CONTENT: 'filtered',
  SPII: 'filtered',
  IMAGE_SAFETY: 'filtered',
  IMAGE_PROHIBITED_CONTENT: 'filtered',
  IMAGE_RECITATION: 'filtered',
  MALFORMED_FUNCTION_CALL: 'tool-error',
  UNEXPECTED_TOOL_CALL: 'tool-error',
  TOO_MANY_TOOL_CALLS: 'tool-error',
  OTHER: 'other',
  FINISH_REASON_UNSPECIFIED: 'other',
} as const satisfies Record<string, FinishKind>;

export type GeminiFinishReason = keyof typeof FINISH_KINDS;

export function classifyFinishReason(reason: string | null | undefined): FinishKind {
  // Object.hasOwn: a reason such as `constructor` must not read the prototype.
  return reason && Object.hasOwn(FINISH_KINDS, reason) ? FINISH_KINDS[reason as GeminiFinishReason] : 'other';
}
