/**
 * The model a Gemini call is for, from its path: `/v1beta/models/gemini-3.8-flash:generateContent` →
 * `gemini-3.8-flash`. Every model call (generate, stream, count, embed, batch embed) names its model there,
 * whichever surface built it, so the key pool can apply per-model quotas without each surface saying so.
 * Null for calls that are not a model's (listing models, files).
 */
export function modelOfPath(path: string): string | null {
  const query = path.indexOf('?');
  const match = MODEL_CALL.exec(query === -1 ? path : path.slice(0, query));
  if (!match?.[1]) return null;
  // Every request asks: a name without an escape is its own decoding.
  if (!match[1].includes('%')) return match[1];
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

const MODEL_CALL = /\/models\/([^/:?]+):[A-Za-z]+$/;
