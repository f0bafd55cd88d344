/**
 * The Gemini keys a request carries: comma-separated in `Authorization: Bearer …`, `x-api-key: …`,
 * `x-goog-api-key: …` or `?key=…` — all accepted on every route, since OpenAI clients use the first,
 * Anthropic's (Claude Code with ANTHROPIC_API_KEY) the second, Google's SDK the third and curl users the
 * last. Trimmed, empty entries dropped, duplicates removed, first occurrence kept.
 */
export function extractKeys(headers: Headers, searchParams: URLSearchParams): string[] {
  const sources: string[] = [];
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^\s*bearer\s+(.*)$/i.exec(authorization);
    if (match?.[1]) sources.push(match[1]);
  }
  for (const name of ['x-api-key', 'x-goog-api-key']) {
    const header = headers.get(name);
    if (header) sources.push(header);
  }
  for (const value of searchParams.getAll('key')) sources.push(value);

  const keys = new Set<string>();
  for (const source of sources) {
    for (const part of source.split(',')) {
      const key = part.trim();
      if (key) keys.add(key);
    }
  }
  return [...keys];
}
