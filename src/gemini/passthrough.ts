import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { readBody } from '../http/read-body';
import { fetchWithFailover } from '../upstream/fetch-with-failover';
import { toNativeUpstreamPath } from './native-path';
import { appendSseErrorEvent } from './append-sse-error-event';

/** Request headers a native call may carry upstream; everything else (Authorization, cookies, hosts) stays here. */
const FORWARDED_REQUEST_HEADERS = [
  'content-type',
  'accept',
  'x-goog-api-client',
  'x-goog-upload-protocol',
  'x-goog-upload-command',
  'x-goog-upload-header-content-length',
  'x-goog-upload-header-content-type',
  'x-goog-upload-offset',
  'x-server-timeout',
] as const;

/** Hop-by-hop headers (RFC 9110 §7.6.1) and those that no longer describe the body fetch hands us decoded. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-encoding',
  'content-length',
  'alt-svc',
]);

/**
 * Gemini's own API, forwarded: any method and path under an API root, the query kept (minus `key`), body
 * and status unchanged, bodies streamed through without parsing. Only the chosen key goes upstream, in
 * `x-goog-api-key`.
 */
export async function handleNativeRequest(request: Request, ctx: RequestContext): Promise<Response> {
  const url = new URL(request.url);
  const path = toNativeUpstreamPath(url.pathname);
  url.searchParams.delete('key');
  const search = url.searchParams.size > 0 ? `?${url.searchParams}` : '';

  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const body = hasBody ? await readBody(request, ctx.config.maxBodyBytes) : null;
  if (ctx.log.enabled('debug')) {
    ctx.log.debug('native request', { method: request.method, path, search, body: body ? new TextDecoder().decode(body) : undefined });
  }

  const upstream = await fetchWithFailover(ctx, { method: request.method, path, search, headers, body });

  const responseHeaders = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders.set(name, value);
  });
  const isSse = (upstream.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const responseBody = upstream.ok && isSse && upstream.body ? appendSseErrorEvent(upstream.body, ctx) : upstream.body;
  if (request.method === 'HEAD') return new Response(null, { status: upstream.status, headers: responseHeaders });
  return new Response(responseBody, { status: upstream.status, headers: responseHeaders });
}

export function assertNativeMethod(method: string): void {
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].includes(method)) {
    throw new GatewayError(405, `Method ${method} is not supported.`);
  }
}
