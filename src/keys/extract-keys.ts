/**
 * The Gemini keys a request carries: comma-separated in `Authorization: Bearer …`, `x-goog-api-key: …` or
 * `?key=…` — all three accepted on every route, since OpenAI clients use the first, Google's SDK the second
 * and curl users the third. Trimmed, empty entries dropped, duplicates removed, first occurrence kept.
 */
export function extractKeys(headers: Headers, searchParams: URLSearchParams): string[] {
  const sources: string[] = [];
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^\s*bearer\s+(.*)$/i.exec(authorization);
    if (match?.[1]) sources.push(match[1]);
  }
  const header = headers.get('x-goog-api-key');
  if (header) sources.push(header);
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
