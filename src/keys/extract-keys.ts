/** The key headers after `Authorization`, in the order their keys are taken. */
const KEY_HEADERS = ['x-api-key', 'x-goog-api-key'];

/**
 * The Gemini keys a request carries: comma-separated in `Authorization: Bearer …`, `x-api-key: …`,
 * `x-goog-api-key: …` or `?key=…` — all accepted on every route, since OpenAI clients use the first,
 * Anthropic's (Claude Code with ANTHROPIC_API_KEY) the second, Google's SDK the third and curl users the
 * last. Trimmed, empty entries dropped, duplicates removed, first occurrence kept. `searchParams` is null
 * for a URL without a query: most requests have none, and `URL.searchParams` builds an object to say so.
 * Indexed loops: this runs once per request, long before V8 optimizes it (issue 18).
 */
export function extractKeys(headers: Headers, searchParams: URLSearchParams | null): string[] {
  const sources: string[] = [];
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^\s*bearer\s+(.*)$/i.exec(authorization);
    if (match?.[1]) sources.push(match[1]);
  }
  for (let i = 0; i < KEY_HEADERS.length; i++) {
    const header = headers.get(KEY_HEADERS[i] as string);
    if (header) sources.push(header);
  }
  if (searchParams) for (const value of searchParams.getAll('key')) sources.push(value);

  const keys = new Set<string>();
  for (let i = 0; i < sources.length; i++) {
    const parts = (sources[i] as string).split(',');
    for (let j = 0; j < parts.length; j++) {
      const key = (parts[j] as string).trim();
      if (key) keys.add(key);
    }
  }
  return [...keys];
}
