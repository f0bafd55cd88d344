/**
 * The floor every measurement is set against: the same Request → fetch → Response plumbing as the gateway,
 * with no logic — the path appended to the upstream origin, headers and body passed on, the upstream
 * answer returned as it came. Only hop-by-hop headers are dropped, which any HTTP relay must do.
 */

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length'];

export function createTrivialForwarder(
  upstream: string,
  fetchImpl: typeof fetch = fetch,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    for (const name of HOP_BY_HOP) headers.delete(name);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const answer = await fetchImpl(upstream + url.pathname + url.search, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : null,
      signal: request.signal,
    });
    const responseHeaders = new Headers(answer.headers);
    for (const name of HOP_BY_HOP) responseHeaders.delete(name);
    return new Response(answer.body, { status: answer.status, headers: responseHeaders });
  };
}
