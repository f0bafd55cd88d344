/**
 * The model a Gemini call is for, from its path: `/v1beta/models/gemini-3.8-flash:generateContent` →
 * `gemini-3.8-flash`. Every model call (generate, stream, count, embed, batch embed) names its model there,
 * whichever surface built it, so the key pool can apply per-model quotas without each surface saying so.
 * Null for calls that are not a model's (listing models, files).
 */
export function modelOfPath(path: string): string | null {
  const match = /\/models\/([^/:?]+):[A-Za-z]+$/.exec(path.split('?')[0] ?? '');
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}
