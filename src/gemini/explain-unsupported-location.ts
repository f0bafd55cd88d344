/**
 * Gemini refuses a caller in a country it does not serve with `400 FAILED_PRECONDITION "User location is not
 * supported for the API use."` (https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes). The
 * caller it sees is this gateway, and on Vercel that is the Edge region nearest the user: Hong Kong for users
 * in mainland China, where Gemini is not offered. Google's sentence alone sends people checking their keys,
 * so the message gains what happened and what to do. Every key of a deployment shares its location: this is
 * never a reason to try another key or to rest this one (classify-upstream-failure.ts).
 */

const HINT =
  ' Gemini refused the request because of where this gateway runs, not because of the API key: the server ' +
  'region that called Gemini is in a country or territory Gemini does not serve (on Vercel, the Edge region ' +
  'nearest the caller, e.g. Hong Kong). Pin the function to regions Gemini serves (`regions` in api/index.ts, ' +
  'see docs/deploy.md) or deploy where Gemini is available: https://ai.google.dev/gemini-api/docs/available-regions';

/**
 * For Gemini's unsupported-location answer: the explained message, and Gemini's body with that message in
 * place of its own (status, code and details kept) for surfaces that answer in Gemini's shape. Otherwise null.
 */
export function explainUnsupportedLocation(status: number, body: string): { message: string; body: string } | null {
  if (status !== 400 || !body.includes('FAILED_PRECONDITION') || !/location is not supported/i.test(body)) return null;
  let parsed: { error?: { message?: unknown } };
  try {
    parsed = JSON.parse(body) as { error?: { message?: unknown } };
  } catch {
    return null;
  }
  if (typeof parsed?.error?.message !== 'string') return null;
  const message = `${parsed.error.message}${HINT}`;
  return { message, body: JSON.stringify({ ...parsed, error: { ...parsed.error, message } }) };
}
