import { handleAnthropicModels, handleCountTokens, handleMessages, toAnthropicError } from './anthropic';
import { type Config, ConfigError, type Env, loadConfig } from './config';
import type { Deps, RequestContext, RequestStats } from './context';
import { asGatewayError, GatewayError, toGeminiError, toOpenAIError } from './errors';
import { type ContentMemo, createContentMemo } from './http/content-memo';
import { CORS_HEADERS, preflightResponse } from './http/cors';
import { createKeyState } from './keys/create-key-state';
import { extractKeys } from './keys/extract-keys';
import type { KeyState, WaitUntil } from './keys/key-state';
import { type ResolvedKeys, resolveKeys } from './keys/resolve-keys';
import { createLogger } from './log';
import { assertNativeMethod, handleNativeRequest } from './native/passthrough';
import {
  handleChatCompletions,
  handleEmbeddings,
  handleImageEdits,
  handleImageGenerations,
  handleModels,
} from './openai';
import { handleResponses, responseNotFound } from './responses/handle-responses';
import { matchRoute, type Route } from './route';
import { handleStats } from './stats/handle-stats';
import { statusResponse } from './status';
import { handleVerify } from './verify/handle-verify';

/** Most keys one request may carry: failover tries each, so this bounds one request's upstream calls. */
export const MAX_KEYS_PER_REQUEST = 100;

/**
 * What the platform passes beside the request: Vercel's Edge `RequestContext` (api/index.ts) offers
 * `waitUntil`, which keeps the function alive for work after the answer has started (shared-state writes).
 * Absent locally and in tests: the promise then just runs.
 */
export interface Platform {
  waitUntil?: WaitUntil;
}

export type Handler = (request: Request, platform?: Platform) => Promise<Response>;

export interface GatewayOptions {
  env: Env;
  deps?: Partial<Deps>;
}

/**
 * The whole gateway as `Request → Response`. Configuration is read once, here; an invalid configuration
 * turns every answer into an error naming the variable (on Edge there is no start-up to refuse).
 */
export function createGateway(options: GatewayOptions): Handler {
  const deps: Deps = {
    fetch: options.deps?.fetch ?? ((input, init) => fetch(input, init)),
    now: options.deps?.now ?? Date.now,
    newId: options.deps?.newId ?? (() => crypto.randomUUID()),
    logSink: options.deps?.logSink ?? ((line) => console.log(line)),
  };
  let config: Config;
  try {
    config = loadConfig(options.env);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : 'Invalid configuration.';
    deps.logSink(
      JSON.stringify({ time: new Date(deps.now()).toISOString(), level: 'error', event: 'config invalid', message }),
    );
    return async (request) =>
      finish(
        toErrorResponse(new GatewayError(500, message, { code: 'config_invalid' }), surfaceOf(request)),
        deps.newId(),
      );
  }
  const keyState = createKeyState(config, deps);
  const memo = createContentMemo();
  const serverSecrets = [...config.serverKeys, ...config.accessTokens];
  return (request, platform) => {
    // Called as the platform's method: Vercel's context and the Edge Runtime's FetchEvent need their `this`.
    const waitUntil: WaitUntil = platform?.waitUntil ? (promise) => platform.waitUntil?.(promise) : runDetached;
    return handle(request, config, deps, keyState, memo, serverSecrets, waitUntil);
  };
}

/** Without a platform's waitUntil, a write runs on its own; its failure is handled where it is made. */
const runDetached: WaitUntil = () => {};

async function handle(
  request: Request,
  config: Config,
  deps: Deps,
  keyState: KeyState,
  memo: ContentMemo,
  serverSecrets: readonly string[],
  waitUntil: WaitUntil,
): Promise<Response> {
  const startedAt = deps.now();
  const requestId = deps.newId();
  const url = new URL(request.url);
  const route = matchRoute(
    request.method,
    url.pathname,
    request.headers.has('x-goog-api-client'),
    request.headers.has('anthropic-version'),
  );
  const surface = surfaceOfRoute(route);
  const credentials = extractKeys(request.headers, url.search === '' ? null : url.searchParams);
  // Only what is really used as a key is a secret: a credential that is refused (or not needed) is never
  // sent anywhere, and scrubbing it would let a client rewrite the request's log lines at will.
  let log = createLogger({
    level: config.logLevel,
    sink: deps.logSink,
    now: deps.now,
    requestId,
    secrets: serverSecrets,
  });
  const stats: RequestStats = {
    route: route.kind,
    attempts: 0,
    upstreamStatus: null,
    keyFingerprint: null,
    keySource: 'none',
  };

  const usage = keyState.ledger(waitUntil);
  let response: Response;
  try {
    const needsKeys = route.kind !== 'preflight' && route.kind !== 'status' && route.kind !== 'not-found';
    const resolved: ResolvedKeys = needsKeys ? resolveKeys(credentials, config) : { keys: [], source: 'none' };
    stats.keySource = resolved.source;
    if (resolved.source === 'client') log = log.withSecrets(resolved.keys);
    const ctx: RequestContext = {
      requestId,
      config,
      deps,
      pool: keyState.pool,
      keyState,
      usage,
      memo,
      log,
      keys: resolved.keys,
      signal: request.signal,
      startedAt,
      stats,
    };
    response = await dispatch(route, request, ctx);
  } catch (error) {
    const gatewayError = asGatewayError(error);
    if (gatewayError.status >= 500 && !(error instanceof GatewayError)) {
      log.error('unhandled error', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
    response = toErrorResponse(gatewayError, surface);
  }
  // After the answer is in hand (a stream's tokens follow when it ends): writes go out through waitUntil.
  usage.commit();
  log.info('request', {
    method: request.method,
    path: url.pathname,
    route: stats.route,
    status: response.status,
    upstreamStatus: stats.upstreamStatus,
    attempts: stats.attempts,
    key: stats.keyFingerprint,
    keySource: stats.keySource,
    latencyMs: deps.now() - startedAt,
  });
  return finish(response, requestId, stats.retryAfterSeconds);
}

/** Not async: it hands back the surface's promise, one async frame less per request (issue 18). */
function dispatch(route: Route, request: Request, ctx: RequestContext): Response | Promise<Response> {
  switch (route.kind) {
    case 'preflight':
      return preflightResponse(request);
    case 'status':
      return statusResponse(request, ctx);
    case 'not-found':
      throw new GatewayError(404, `No route for ${request.method} ${new URL(request.url).pathname}.`, {
        code: 'not_found',
      });
    default:
      break;
  }
  if (ctx.keys.length === 0) {
    throw new GatewayError(
      401,
      'No Gemini API key provided. Send it as "Authorization: Bearer KEY1,KEY2", "x-api-key: KEY", "x-goog-api-key: KEY" or "?key=KEY".',
      {
        code: 'missing_api_key',
      },
    );
  }
  if (ctx.stats.keySource === 'client' && ctx.keys.length > MAX_KEYS_PER_REQUEST) {
    throw new GatewayError(
      400,
      `Too many keys in one request (${ctx.keys.length}); the limit is ${MAX_KEYS_PER_REQUEST}.`,
      { code: 'too_many_keys' },
    );
  }
  switch (route.kind) {
    case 'native':
      assertNativeMethod(request.method);
      return handleNativeRequest(request, ctx);
    case 'openai-chat':
      assertMethod(request, 'POST');
      return handleChatCompletions(request, ctx);
    case 'openai-embeddings':
      assertMethod(request, 'POST');
      return handleEmbeddings(request, ctx);
    case 'openai-image-generations':
      assertMethod(request, 'POST');
      return handleImageGenerations(request, ctx);
    case 'openai-image-edits':
      assertMethod(request, 'POST');
      return handleImageEdits(request, ctx);
    case 'openai-responses':
      // Stateless: retrieving, deleting or cancelling a stored response finds nothing (OpenAI's 404).
      if (route.id !== undefined) return responseNotFound(route.id);
      assertMethod(request, 'POST');
      return handleResponses(request, ctx);
    case 'openai-models':
      assertMethod(request, 'GET');
      return handleModels(request, ctx, route.id);
    case 'anthropic-messages':
      assertMethod(request, 'POST');
      return handleMessages(request, ctx);
    case 'anthropic-count-tokens':
      assertMethod(request, 'POST');
      return handleCountTokens(request, ctx);
    case 'anthropic-models':
      assertMethod(request, 'GET');
      return handleAnthropicModels(request, ctx, route.id);
    case 'verify':
      assertMethod(request, 'POST');
      return handleVerify(request, ctx);
    case 'stats':
      assertMethod(request, 'GET');
      return handleStats(request, ctx);
  }
}

function assertMethod(request: Request, method: string): void {
  if (request.method !== method && !(method === 'GET' && request.method === 'HEAD')) {
    throw new GatewayError(405, `Method ${request.method} is not allowed here; use ${method}.`, {
      code: 'method_not_allowed',
    });
  }
}

type Surface = 'openai' | 'gemini' | 'anthropic';

function surfaceOf(request: Request): Surface {
  return surfaceOfRoute(
    matchRoute(
      request.method,
      new URL(request.url).pathname,
      request.headers.has('x-goog-api-client'),
      request.headers.has('anthropic-version'),
    ),
  );
}

function surfaceOfRoute(route: Route): Surface {
  if (route.kind === 'native' || (route.kind === 'not-found' && route.surface === 'gemini')) return 'gemini';
  if (
    route.kind === 'anthropic-messages' ||
    route.kind === 'anthropic-count-tokens' ||
    route.kind === 'anthropic-models'
  )
    return 'anthropic';
  if (route.kind === 'not-found' && route.surface === 'anthropic') return 'anthropic';
  return 'openai';
}

function toErrorResponse(error: GatewayError, surface: Surface): Response {
  if (surface === 'anthropic') return toAnthropicError(error);
  return surface === 'gemini' ? toGeminiError(error) : toOpenAIError(error);
}

const CORS_NAMES = Object.keys(CORS_HEADERS);
const CORS_VALUES = Object.values(CORS_HEADERS);

/**
 * Indexed, not a destructuring `for…of`: every answer passes here, and until V8 optimizes it (a thousand
 * requests and more, issue 18) each entry's destructuring makes and steps two iterators.
 */
function setCorsHeaders(headers: Headers): void {
  for (let i = 0; i < CORS_NAMES.length; i++) headers.set(CORS_NAMES[i] as string, CORS_VALUES[i] as string);
}

/**
 * Every answer, errors included, carries CORS and the request id that its log lines carry; every 429 the
 * gateway sends or passes on carries `retry-after` (Gemini sends none, its delay is in the body), which the
 * openai and @anthropic-ai/sdk clients honour.
 */
function finish(response: Response, requestId: string, retryAfterSeconds?: number): Response {
  const retryAfter =
    response.status === 429 && retryAfterSeconds !== undefined && !response.headers.has('retry-after')
      ? String(retryAfterSeconds)
      : null;
  let headers: Headers;
  try {
    setCorsHeaders(response.headers);
    response.headers.set('x-request-id', requestId);
    if (retryAfter) response.headers.set('retry-after', retryAfter);
    return response;
  } catch {
    // Headers of a Response we did not build (fetch's) are immutable: copy them.
    headers = new Headers(response.headers);
  }
  setCorsHeaders(headers);
  headers.set('x-request-id', requestId);
  if (retryAfter) headers.set('retry-after', retryAfter);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
