import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { fingerprint } from '../keys/fingerprint';
import { classifyUpstreamFailure } from './classify-upstream-failure';
import { linkAbort } from './link-abort';
import type { UpstreamRequest } from './upstream-request';
import { watchStream } from './watch-stream';

/** Largest upstream error body read to classify it; Gemini's are a few hundred bytes. */
const MAX_ERROR_BODY = 256 * 1024;

/**
 * Sends one logical request with the request's keys, one after another in the pool's order, until one
 * answer is final. Resolves with the upstream Response: a 2xx (body unread, still streaming), a client
 * error that no other key would fix, or — when every key failed — the last failure as the upstream sent it.
 * Rejects with a GatewayError only when no upstream answer came at all (network errors, timeouts) or the
 * client went away. Streaming requests fail over the same way: the stream has not started until the
 * upstream answers with its headers, and after that this function has returned.
 */
export async function fetchWithFailover(ctx: RequestContext, request: UpstreamRequest): Promise<Response> {
  const { config, deps, pool, log, stats } = ctx;
  if (ctx.keys.length === 0) throw new GatewayError(401, 'No Gemini API key provided.', { code: 'missing_api_key' });

  const url = `${config.geminiBaseUrl}${request.path}${request.search}`;
  const attemptTimeoutMs = request.stream ? config.streamIdleTimeoutMs : config.upstreamTimeoutMs;
  const deadline = linkAbort(ctx.signal);
  const deadlineMs = request.stream ? Math.max(config.requestDeadlineMs, config.streamIdleTimeoutMs) : config.requestDeadlineMs;
  const deadlineTimer = setTimeout(() => deadline.controller.abort(new DeadlineExceeded()), deadlineMs);
  let lastFailure: { status: number; body: string; contentType: string | null } | null = null;
  let lastNetworkError: 'timeout' | 'network' | null = null;
  let streaming = false;

  try {
    for (const key of pool.order(ctx.keys)) {
      if (deadline.controller.signal.aborted) break;
      const keyId = fingerprint(key);
      stats.attempts += 1;
      stats.keyFingerprint = keyId;
      const attempt = linkAbort(deadline.controller.signal);
      const attemptTimer = setTimeout(() => attempt.controller.abort(new AttemptTimeout()), attemptTimeoutMs);
      const startedAt = deps.now();
      let response: Response;
      try {
        response = await deps.fetch(url, {
          method: request.method,
          headers: { ...request.headers, 'x-goog-api-key': key },
          body: request.body ?? null,
          signal: attempt.controller.signal,
        });
      } catch (error) {
        clearTimeout(attemptTimer);
        attempt.unlink();
        if (ctx.signal.aborted) throw clientClosed();
        const reason = attempt.controller.signal.reason;
        lastNetworkError = reason instanceof AttemptTimeout || reason instanceof DeadlineExceeded ? 'timeout' : 'network';
        pool.reportFailure(key, { kind: 'transient' });
        log.warn('upstream attempt failed', {
          key: keyId,
          attempt: stats.attempts,
          error: lastNetworkError,
          detail: lastNetworkError === 'network' ? describe(error) : undefined,
          latencyMs: deps.now() - startedAt,
        });
        continue;
      }
      stats.upstreamStatus = response.status;

      if (response.ok && request.stream && response.body) {
        // The attempt's timer still runs while the first event is read: a stream that stalls before it
        // really starts fails over like one that never answered.
        const reader = response.body.getReader();
        const prefix = request.checkStreamStart ? await request.checkStreamStart(reader).catch(() => null) : [];
        clearTimeout(attemptTimer);
        if (prefix) {
          pool.reportSuccess(key);
          // The attempt stays linked to the client's signal: a client that leaves aborts the streaming body.
          streaming = true;
          const controller = attempt.controller;
          const body = watchStream(reader, {
            prefix,
            step: request.streamStep?.(response),
            idle: { ms: attemptTimeoutMs, now: deps.now, onIdle: () => controller.abort(new AttemptTimeout()) },
          });
          return withBody(response, body);
        }
        void reader.cancel().catch(() => {});
      }
      clearTimeout(attemptTimer);

      if (response.ok) {
        const accepted = request.stream ? null : request.acceptSuccess ? await acceptOrNull(request.acceptSuccess, response) : response;
        if (accepted) {
          pool.reportSuccess(key);
          // A whole answer is in hand (or about to be): release the client's signal, so a request that
          // makes many calls (embedding batches, model pages) does not pile up listeners on it.
          attempt.unlink();
          return accepted;
        }
        attempt.unlink();
        pool.reportFailure(key, { kind: 'transient' });
        lastFailure = { status: 502, body: JSON.stringify(EMPTY_SUCCESS), contentType: 'application/json; charset=utf-8' };
        log.warn('upstream attempt failed', { key: keyId, attempt: stats.attempts, upstreamStatus: response.status, failure: 'empty or malformed success' });
        continue;
      }

      const body = scrubSecrets(await readErrorBody(response), ctx.keys);
      attempt.unlink();
      const contentType = response.headers.get('content-type');
      const verdict = classifyUpstreamFailure(response.status, body);
      if (!verdict.failover) return new Response(body, { status: response.status, headers: errorHeaders(contentType) });

      pool.reportFailure(key, verdict.failure);
      lastFailure = { status: response.status, body, contentType };
      log.warn('upstream attempt failed', {
        key: keyId,
        attempt: stats.attempts,
        upstreamStatus: response.status,
        failure: verdict.failure.kind,
        cooldownMs: pool.cooldownRemaining(key) || undefined,
        latencyMs: deps.now() - startedAt,
      });
    }
  } finally {
    clearTimeout(deadlineTimer);
    // A stream stays linked to the client's signal for as long as it flows: a client that leaves aborts it.
    if (!streaming) deadline.unlink();
  }

  if (ctx.signal.aborted) throw clientClosed();
  if (lastFailure) {
    return new Response(lastFailure.body, { status: lastFailure.status, headers: errorHeaders(lastFailure.contentType) });
  }
  if (lastNetworkError === 'timeout' || deadline.controller.signal.aborted) {
    throw new GatewayError(504, 'The Gemini API did not answer in time with any of the provided keys.', { code: 'upstream_timeout' });
  }
  throw new GatewayError(502, 'The Gemini API could not be reached with any of the provided keys.', { code: 'upstream_unreachable' });
}

const EMPTY_SUCCESS = {
  error: { code: 502, message: 'The Gemini API answered 200 with an empty or malformed body.', status: 'INTERNAL' },
};

async function acceptOrNull(check: (response: Response) => Promise<Response | null>, response: Response): Promise<Response | null> {
  try {
    return await check(response);
  } catch {
    return null;
  }
}

function withBody(response: Response, body: ReadableStream<Uint8Array>): Response {
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * Upstream error messages may echo the request URL, `key=` included: no key reaches the client that way.
 * https://github.com/google-gemini/gemini-api-issues — errors quoting `?key=AIza…` are a known pattern.
 */
export function scrubSecrets(text: string, keys: readonly string[]): string {
  let result = text;
  for (const key of keys) if (result.includes(key)) result = result.split(key).join(fingerprint(key));
  return result.replace(/([?&]key=)[^&\s"'<>]+/gi, '$1REDACTED').replace(/AIza[0-9A-Za-z_-]{35}/g, (match) => fingerprint(match));
}

class AttemptTimeout extends Error {}
class DeadlineExceeded extends Error {}

function clientClosed(): GatewayError {
  return new GatewayError(499, 'The client closed the request.', { code: 'client_closed_request' });
}

function errorHeaders(contentType: string | null): Record<string, string> {
  return contentType ? { 'content-type': contentType } : {};
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return String(error);
}

async function readErrorBody(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      text += decoder.decode(value, { stream: true });
      if (size >= MAX_ERROR_BODY) {
        await reader.cancel();
        break;
      }
    }
  } catch {
    // A body cut off mid-way still tells us the status; keep what arrived.
  }
  return text + decoder.decode();
}
