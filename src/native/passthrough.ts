// measured: run `npm run bench` before changing (docs/performance.md).
import type { RequestContext } from '../context';
import { GatewayError, geminiErrorBody } from '../errors';
import { explainUnsupportedLocation } from '../gemini/explain-unsupported-location';
import { readUsageMetadata } from '../gemini/read-usage-metadata';
import { FORWARDED_REQUEST_HEADERS } from '../http/forwarded-request-headers';
import { readBody } from '../http/read-body';
import { respondWithHeartbeat } from '../http/respond-with-heartbeat';
import { checkJsonArrayStart, checkSseStart } from '../upstream/check-stream-start';
import { fetchWithFailover } from '../upstream/fetch-with-failover';
import { isBraceDelimited } from '../upstream/is-brace-delimited';
import { isGenerateAnswer } from '../upstream/is-generate-answer';
import type { UpstreamRequest } from '../upstream/upstream-request';
import type { StreamStep } from '../upstream/watch-stream';
import { appendSseErrorEvent } from './append-sse-error-event';
import { toNativeUpstreamPath } from './native-path';

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
  // Only when there is one: deleting rewrites the URL's query even when it holds no key (~1 µs).
  if (url.searchParams.has('key')) url.searchParams.delete('key');
  const search = url.searchParams.size > 0 ? `?${url.searchParams}` : '';

  // One pass over what the client sent (a handful of headers) instead of a lookup per forwarded name.
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (FORWARDED.has(name)) headers[name] = value;
  });
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const body = hasBody ? await readBody(request, ctx.config.maxBodyBytes) : null;
  if (body && body.byteLength > 0 && !path.startsWith('/upload/')) assertJsonObject(body);
  if (ctx.log.enabled('debug')) {
    ctx.log.debug('native request', {
      method: request.method,
      path,
      search,
      body: body ? new TextDecoder().decode(body) : undefined,
    });
  }

  const isSseStream = path.endsWith(':streamGenerateContent') && url.searchParams.get('alt') === 'sse';
  // generateContent's answer arrives whole: its accepted bytes are taken for its token counts and the
  // client's body, so neither the check nor the count reads a Response again, and the answer is wrapped in
  // one Response, not one per step.
  let whole: Uint8Array<ArrayBuffer> | undefined;
  const acceptGenerateAnswer = (bytes: Uint8Array<ArrayBuffer>) => {
    if (!isGenerateAnswer(bytes)) return false;
    whole = bytes;
    return 'taken' as const;
  };
  const answer = forward(request, ctx, () => whole, {
    method: request.method,
    path,
    search,
    headers,
    body,
    stream: path.endsWith(':streamGenerateContent'),
    mayStream: true,
    streamStep: (response) => countStreamTokens(ctx, appendSseErrorEvent(ctx)(response)),
    acceptSuccess: path.endsWith(':generateContent') ? acceptGenerateAnswer : undefined,
    checkStreamStart: isSseStream ? checkSseStart : checkJsonArrayStart,
  });
  if (!isSseStream) return answer;
  return respondWithHeartbeat(answer, {
    afterMs: ctx.config.heartbeatMs,
    intervalMs: ctx.config.heartbeatMs,
    errorEvent: async (failure) => {
      const error = failure instanceof Response ? await failure.text() : JSON.stringify(geminiErrorBody(failure));
      return encoder.encode(`data: ${error.replace(/\r?\n/g, ' ')}\r\n\r\n`);
    },
  });
}

const encoder = new TextEncoder();
const FORWARDED: ReadonlySet<string> = new Set(FORWARDED_REQUEST_HEADERS);

async function forward(
  request: Request,
  ctx: RequestContext,
  accepted: () => Uint8Array<ArrayBuffer> | undefined,
  upstreamRequest: UpstreamRequest,
): Promise<Response> {
  const upstream = await fetchWithFailover(ctx, upstreamRequest);

  const responseHeaders = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders.set(name, value);
  });
  if (request.method === 'HEAD') return new Response(null, { status: upstream.status, headers: responseHeaders });
  if (upstream.status === 400) {
    // Gemini's error bodies are small; only this one is rewritten, to say what to do about it.
    const text = await upstream.text();
    return new Response(explainUnsupportedLocation(upstream.status, text)?.body ?? text, {
      status: upstream.status,
      headers: responseHeaders,
    });
  }
  const bytes = upstream.ok ? accepted() : undefined;
  if (bytes) {
    // The answer is whole already (fetchWithFailover read it); its token counts are at its end.
    if (ctx.usage) ctx.usage.tokens(readUsageMetadata(bytes));
    return new Response(bytes, { status: upstream.status, headers: responseHeaders });
  }
  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
}

/**
 * A native stream's token counts for the key pool's numbers: the bytes pass through unread, the last two
 * chunks are kept (a chunk boundary may cut the last usageMetadata) and searched once the stream ends.
 */
function countStreamTokens(ctx: RequestContext, step: StreamStep): StreamStep {
  const usage = ctx.usage;
  if (!usage) return step;
  let previous: Uint8Array | undefined;
  let last: Uint8Array | undefined;
  let reported = false;
  const report = () => {
    if (reported) return;
    reported = true;
    if (last) usage.tokens(readUsageMetadata(last, previous));
  };
  return {
    chunk: (bytes) => {
      previous = last;
      last = bytes;
      return bytes;
    },
    end: () => {
      report();
      return step.end?.();
    },
    fail: (error) => {
      report();
      return step.fail?.(error);
    },
  };
}

/**
 * Every Gemini API body outside uploads is a JSON object. A body that cannot be one — empty of braces, an
 * array, a bare value, form data — is the client's mistake, refused here with Google's wording rather than
 * spending an upstream call on it. Only the first and last non-blank bytes are looked at: the native path
 * never parses what it forwards (a JSON.parse of an 18 kB body cost more than the rest of the request), and
 * a body that is brace-delimited but malformed inside gets Google's own, more precise, 400.
 */
function assertJsonObject(body: Uint8Array): void {
  if (!isBraceDelimited(body)) {
    throw new GatewayError(400, 'Invalid JSON payload received. The request body must be a JSON object.', {
      code: 'invalid_json',
    });
  }
}

export function assertNativeMethod(method: string): void {
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].includes(method)) {
    throw new GatewayError(405, `Method ${method} is not supported.`);
  }
}
