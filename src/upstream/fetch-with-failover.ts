import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { concatBytes } from '../http/concat-bytes';
import { fingerprint } from '../keys/fingerprint';
import { classifyUpstreamFailure } from './classify-upstream-failure';
import { linkAbort } from './link-abort';
import { modelOfPath } from './model-of-path';
import { DeadlineExceeded, deadlineOf } from './open-deadline';
import { readBoundedText } from './read-bounded-text';
import type { UpstreamRequest } from './upstream-request';
import { watchStream } from './watch-stream';

/** Largest upstream error body read to classify it; Gemini's are a few hundred bytes. */
const MAX_ERROR_BODY = 256 * 1024;
/**
 * Largest whole (non-stream) answer read: far above any real one (generateContent with images is a few
 * MiB), and below what an Edge isolate (128 MB) could hold, so a broken relay cannot fill the memory.
 */
const MAX_ANSWER_BODY = 64 * 1024 * 1024;

/**
 * Sends one logical request with the request's keys, one after another in the pool's order, until one
 * answer is final. Resolves with the upstream Response: a 2xx — read whole, or for a stream with its body
 * still streaming —, a client error that no other key would fix, or — when every key failed — the last
 * failure as the upstream sent it. Rejects with a GatewayError only when no upstream answer came at all
 * (network errors, timeouts, the request's deadline) or the client went away.
 *
 * Everything up to a whole body is under the request's one deadline (open-deadline.ts) and the attempt's
 * timeout: an upstream that sends its headers and then stalls fails over like one that never answered, and
 * its connection is closed. Streams fail over the same way until their first event; from then on they keep
 * only their own stall watch (STREAM_IDLE_TIMEOUT_MS, watch-stream.ts) and the client's signal; so does a
 * 2xx event stream for a request that `mayStream`.
 */
export async function fetchWithFailover(ctx: RequestContext, request: UpstreamRequest): Promise<Response> {
  const { config, pool, stats } = ctx;
  if (ctx.keys.length === 0) throw new GatewayError(401, 'No Gemini API key provided.', { code: 'missing_api_key' });
  // Gemini's quotas are per model: keys cooling on this model's quota are left out (docs/key-pool.md).
  const model = modelOfPath(request.path);
  const refreshing = ctx.keyState?.refresh(ctx.keys);
  if (refreshing) await refreshing;
  const keys = pool.plan(ctx.keys, model);
  if (keys.retryAt !== null) throw allKeysCooling(ctx, model, keys.retryAt);

  const plan: AttemptPlan = {
    url: `${config.geminiBaseUrl}${request.path}${request.search}`,
    timeoutMs: request.stream ? config.streamIdleTimeoutMs : config.upstreamTimeoutMs,
    deadlineAt: deadlineOf(ctx, request.stream ? config.streamIdleTimeoutMs : 0),
    model,
  };
  let lastFailure: FailedAnswer | null = null;
  let lastNetworkError: NetworkError | null = null;
  /** Until when the last 429's key cools, for the `retry-after` of a 429 passed on. */
  let lastCooldownUntil: number | null = null;
  let expired = false;

  // Indexed: a `for…of` steps an iterator object until V8 optimizes this, a thousand requests in (issue 18).
  for (let i = 0; i < keys.keys.length; i++) {
    const key = keys.keys[i] as string;
    if (ctx.signal.aborted) break;
    if (plan.deadlineAt - ctx.deps.now() <= 0) {
      expired = true;
      break;
    }
    const outcome = await attempt(ctx, request, plan, key);
    if (outcome.kind === 'final') return outcome.response;
    if (outcome.kind === 'fail-over') {
      lastFailure = outcome.answer;
      if (outcome.answer.status === 429) lastCooldownUntil = outcome.coolsUntil ?? lastCooldownUntil;
    } else {
      lastNetworkError = outcome.error;
      if (outcome.deadline) expired = true;
    }
  }

  if (ctx.signal.aborted) throw clientClosed();
  if (lastFailure) {
    if (lastFailure.status === 429) {
      const retryAt = pool.recoversAt(ctx.keys, model) ?? lastCooldownUntil;
      if (retryAt !== null) stats.retryAfterSeconds = secondsUntil(retryAt, ctx.deps.now());
    }
    return new Response(lastFailure.body, {
      status: lastFailure.status,
      headers: errorHeaders(lastFailure.contentType),
    });
  }
  if (lastNetworkError === 'timeout' || expired) {
    throw new GatewayError(504, 'The Gemini API did not answer in time with any of the provided keys.', {
      code: 'upstream_timeout',
    });
  }
  throw new GatewayError(502, 'The Gemini API could not be reached with any of the provided keys.', {
    code: 'upstream_unreachable',
  });
}

/** What every attempt of one request shares. */
interface AttemptPlan {
  url: string;
  /** Per attempt: until the first stream event, or until a whole answer has been read. */
  timeoutMs: number;
  /** The request's one deadline (deps.now's clock): no attempt runs past it. */
  deadlineAt: number;
  /** The model called (from the path), for per-model cooldowns and usage; null for calls that are not a model's. */
  model: string | null;
}

/** An upstream answer that another key may do better than; the last one is what the client gets. */
interface FailedAnswer {
  status: number;
  body: string;
  contentType: string | null;
}

type NetworkError = 'timeout' | 'network';

/** How one attempt with one key ended. */
type AttemptOutcome =
  /** An answer to pass on: a success, or a failure no other key would change. */
  | { kind: 'final'; response: Response }
  /** The key's or the moment's failure, with an answer: try the next key. `coolsUntil`: the key's new cooldown. */
  | { kind: 'fail-over'; answer: FailedAnswer; coolsUntil?: number }
  /** No answer at all (timeout, network): try the next key. `deadline`: the request's deadline ended it. */
  | { kind: 'network-error'; error: NetworkError; deadline: boolean };

/**
 * One attempt with one key, start to end: send, then read a stream's start, a whole answer or an error
 * body, and report to the pool. Throws only when the client went away.
 */
async function attempt(
  ctx: RequestContext,
  request: UpstreamRequest,
  plan: AttemptPlan,
  key: string,
): Promise<AttemptOutcome> {
  const { deps, pool, log, stats } = ctx;
  const keyId = fingerprint(key);
  stats.attempts += 1;
  stats.keyFingerprint = keyId;
  // One controller and one timer per attempt, for the attempt's timeout or the request's deadline,
  // whichever comes first; linked to the client's signal, which a streaming body stays linked to.
  const link = linkAbort(ctx.signal);
  const left = plan.deadlineAt - deps.now();
  const timer =
    left < plan.timeoutMs
      ? setTimeout(
          () => link.controller.abort(new DeadlineExceeded('The request deadline (REQUEST_DEADLINE_MS) passed.')),
          left,
        )
      : setTimeout(() => link.controller.abort(new AttemptTimeout()), plan.timeoutMs);
  const end = () => {
    clearTimeout(timer);
    link.unlink();
  };
  // On the pool's clock: a success reports when its attempt began (see KeyPool.reportSuccess).
  const startedAt = deps.now();
  /** A 2xx that cannot be passed on (empty, malformed, too large): the moment's fault, the next key may do. */
  const { model } = plan;
  const unusableSuccess = (status: number, answer: FailedAnswer, failure: string): AttemptOutcome => {
    ctx.usage?.attempt(key, model, 'failure');
    log.warn('upstream attempt failed', { key: keyId, attempt: stats.attempts, upstreamStatus: status, failure });
    return { kind: 'fail-over', answer };
  };
  /** A fetch or body read that failed: the client left (thrown), or the moment's fault (next key). */
  const networkFailure = (error: unknown, phase: 'headers' | 'body'): AttemptOutcome => {
    end();
    if (ctx.signal.aborted) throw clientClosed();
    const reason = link.controller.signal.reason;
    const kind: NetworkError =
      reason instanceof AttemptTimeout || reason instanceof DeadlineExceeded ? 'timeout' : 'network';
    ctx.usage?.attempt(key, model, 'failure');
    log.warn('upstream attempt failed', {
      key: keyId,
      attempt: stats.attempts,
      error: kind,
      phase: phase === 'body' ? 'body' : undefined,
      detail: kind === 'network' ? describe(error) : undefined,
      latencyMs: deps.now() - startedAt,
    });
    return { kind: 'network-error', error: kind, deadline: reason instanceof DeadlineExceeded };
  };

  let response: Response;
  try {
    response = await deps.fetch(plan.url, {
      method: request.method,
      headers: { ...request.headers, 'x-goog-api-key': key },
      body: request.body ?? null,
      signal: link.controller.signal,
    });
  } catch (error) {
    return networkFailure(error, 'headers');
  }
  stats.upstreamStatus = response.status;

  if (response.ok && response.body && (request.stream || (request.mayStream && isEventStream(response)))) {
    // The attempt's timer still runs while the first event is read: a stream that stalls before it
    // really starts fails over like one that never answered.
    const reader = response.body.getReader();
    const prefix =
      request.stream && request.checkStreamStart ? await request.checkStreamStart(reader).catch(() => null) : [];
    clearTimeout(timer);
    if (prefix) {
      ctx.usage?.attempt(key, model, 'success', { cleared: pool.reportSuccess(key, startedAt, model) });
      // The attempt stays linked to the client's signal: a client that leaves aborts the streaming body.
      const controller = link.controller;
      const body = watchStream(reader, {
        prefix,
        step: request.streamStep?.(response),
        idle: {
          ms: ctx.config.streamIdleTimeoutMs,
          now: deps.now,
          onIdle: () => controller.abort(new AttemptTimeout()),
        },
      });
      return { kind: 'final', response: withBody(response, body) };
    }
    void reader.cancel().catch(() => {});
    if (link.controller.signal.aborted) return networkFailure(link.controller.signal.reason, 'body');
    end();
    return unusableSuccess(response.status, EMPTY_SUCCESS_ANSWER, 'empty or malformed success');
  }

  if (response.ok) {
    let bytes: Uint8Array<ArrayBuffer> | null;
    try {
      bytes = await readWhole(response, MAX_ANSWER_BODY);
    } catch (error) {
      return networkFailure(error, 'body');
    }
    end();
    // A stream request answered without a body has no stream to pass on: an empty success.
    const verdict = bytes && !request.stream ? accepts(request.acceptSuccess, bytes) : false;
    if (verdict) {
      ctx.usage?.attempt(key, model, 'success', { cleared: pool.reportSuccess(key, startedAt, model) });
      // Taken: the caller has the bytes and needs only the status and headers, which the upstream Response
      // (its body read) still carries; a copy of it would cost a Response and a Headers (docs/performance.md).
      if (verdict === 'taken') return { kind: 'final', response };
      const whole = new Response(bytes, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      return { kind: 'final', response: whole };
    }
    return bytes
      ? unusableSuccess(response.status, EMPTY_SUCCESS_ANSWER, 'empty or malformed success')
      : unusableSuccess(response.status, TOO_LARGE_ANSWER, 'answer too large');
  }

  const body = scrubSecrets(await readBoundedText(response, MAX_ERROR_BODY), ctx.keys);
  end();
  const contentType = response.headers.get('content-type');
  const verdict = classifyUpstreamFailure(response.status, body, model);
  if (!verdict.failover) {
    ctx.usage?.attempt(key, model, 'failure');
    return {
      kind: 'final',
      response: new Response(body, { status: response.status, headers: errorHeaders(contentType) }),
    };
  }
  const cooldowns = pool.reportFailure(key, verdict.failure, model);
  ctx.usage?.attempt(key, model, response.status === 429 ? 'rate-limited' : 'failure', { cooldowns });
  const coolsUntil = cooldowns[0]?.until;
  log.warn('upstream attempt failed', {
    key: keyId,
    attempt: stats.attempts,
    upstreamStatus: response.status,
    failure: verdict.failure.kind,
    model: model ?? undefined,
    cooldownMs: coolsUntil === undefined ? undefined : coolsUntil - deps.now(),
    latencyMs: deps.now() - startedAt,
  });
  return { kind: 'fail-over', answer: { status: response.status, body, contentType }, coolsUntil };
}

const JSON_TYPE = 'application/json; charset=utf-8';
const EMPTY_SUCCESS_ANSWER: FailedAnswer = {
  status: 502,
  body: JSON.stringify({
    error: { code: 502, message: 'The Gemini API answered 200 with an empty or malformed body.', status: 'INTERNAL' },
  }),
  contentType: JSON_TYPE,
};
const TOO_LARGE_ANSWER: FailedAnswer = {
  status: 502,
  body: JSON.stringify({
    error: {
      code: 502,
      message: `The Gemini API answered with a body larger than ${MAX_ANSWER_BODY} bytes.`,
      status: 'INTERNAL',
    },
  }),
  contentType: JSON_TYPE,
};

function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
}

/** The whole body, or null past `maxBytes` (the rest unread, the connection released); throws if it breaks off. */
async function readWhole(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!response.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = (response.body as ReadableStream<Uint8Array<ArrayBuffer>>).getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(chunks, size);
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
}

/** Whether the surface's check takes a whole answer; a check that throws refuses it. */
function accepts(check: UpstreamRequest['acceptSuccess'], bytes: Uint8Array<ArrayBuffer>): boolean | 'taken' {
  if (!check) return true;
  try {
    return check(bytes);
  } catch {
    return false;
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
  return result
    .replace(/([?&]key=)[^&\s"'<>]+/gi, '$1REDACTED')
    .replace(/AIza[0-9A-Za-z_-]{35}/g, (match) => fingerprint(match));
}

class AttemptTimeout extends Error {}

/**
 * Every key of the request cools on a quota for this model: another call would only get another 429, so the
 * client hears so at once, with `retry-after` (set by the gateway from `stats`) when the first recovers.
 */
function allKeysCooling(ctx: RequestContext, model: string | null, retryAt: number): GatewayError {
  const seconds = secondsUntil(retryAt, ctx.deps.now());
  ctx.stats.retryAfterSeconds = seconds;
  const which = model ? ` for ${model}` : '';
  return new GatewayError(
    429,
    `Every Gemini key of this request is over its quota${which}; the first is ready again in ${seconds} s, at ${new Date(retryAt).toISOString()}.`,
    { code: 'rate_limit_exceeded' },
  );
}

function secondsUntil(time: number, now: number): number {
  return Math.max(1, Math.ceil((time - now) / 1000));
}

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
