/**
 * Authentication and per-key behaviour. Keys behave by prefix (`bad-`, `quota-`, …) so the demo and tests need
 * no setup; `setKey` overrides a single key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { GoogleApiError, type GoogleErrorBody } from './errors';
import type { KeyBehaviour, KeyErrorKind } from './types';

export interface KeyUse {
  key: string | undefined;
  keyIn: 'header' | 'query' | undefined;
}

/** The header wins when both are sent, as with Google's front end; an empty value counts as no key. */
export function findKey(headers: IncomingHttpHeaders, query: URLSearchParams): KeyUse {
  const header = headers['x-goog-api-key'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader) return { key: fromHeader, keyIn: 'header' };
  const fromQuery = query.get('key');
  if (fromQuery) return { key: fromQuery, keyIn: 'query' };
  return { key: undefined, keyIn: undefined };
}

/**
 * Google reads any `Authorization` header as an OAuth token, so a gateway that forwards its client's
 * `Bearer` key upstream gets 401 even when it also sends a valid API key.
 */
export function authenticate(headers: IncomingHttpHeaders, use: KeyUse, rpcMethod: string): GoogleApiError | undefined {
  if (headers.authorization !== undefined) {
    return new GoogleApiError(
      401,
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other ' +
        'valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED',
          metadata: { service: 'generativelanguage.googleapis.com', method: rpcMethod },
        },
      ],
      { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
    );
  }
  if (use.key === undefined) {
    return new GoogleApiError(
      403,
      "Method doesn't allow unregistered callers (callers without established identity). " +
        'Please use API Key or other form of API consumer identity to call this API.',
    );
  }
  return undefined;
}

const PREFIXES: ReadonlyArray<readonly [string, KeyBehaviour]> = [
  ['bad-', 'bad'],
  ['leaked-', 'leaked'],
  ['quotaday-', 'quotaday'],
  ['quota-', 'quota'],
  ['down-', 'down'],
  ['err500-', 'err500'],
  // Not the key's doing on Google's side (every key of a deployment shares its location), but a key is the
  // one handle a test has on a single request.
  ['geo-', 'location'],
  ['drop-', 'drop'],
  ['stall-', 'stall'],
  ['hang-', 'stall-after-headers'],
];

export function behaviourOfKey(key: string, overrides: ReadonlyMap<string, KeyBehaviour>): KeyBehaviour {
  const override = overrides.get(key);
  if (override !== undefined) return override;
  return PREFIXES.find(([prefix]) => key.startsWith(prefix))?.[1] ?? 'ok';
}

export interface KeyErrorContext {
  model: string | undefined;
  /** Embedding calls are counted against a different quota metric. */
  embedding: boolean;
}

/** The error a key behaviour answers with; undefined for behaviours that are not error bodies. */
export function keyError(behaviour: KeyBehaviour, ctx: KeyErrorContext): GoogleApiError | undefined {
  if (typeof behaviour === 'object') {
    if (behaviour.models && !(ctx.model !== undefined && behaviour.models.includes(ctx.model))) return undefined;
    return quotaError(behaviour.kind === 'quotaday', behaviour.retryDelay, ctx);
  }
  switch (behaviour) {
    case 'ok':
    case 'drop':
    case 'stall':
    case 'stall-after-headers':
      return undefined;
    default:
      return keyErrorOfKind(behaviour, ctx);
  }
}

export function keyErrorOfKind(kind: KeyErrorKind, ctx: KeyErrorContext): GoogleApiError {
  switch (kind) {
    case 'bad':
      return new GoogleApiError(400, 'API key not valid. Please pass a valid API key.', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        {
          '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
          locale: 'en-US',
          message: 'API key not valid. Please pass a valid API key.',
        },
      ]);
    case 'leaked':
      return new GoogleApiError(403, 'Your API key was reported as leaked. Please use another API key.');
    case 'quota':
      return quotaError(false, '34s', ctx);
    case 'quotaday':
      return quotaError(true, undefined, ctx);
    case 'down':
      return new GoogleApiError(503, 'The model is overloaded. Please try again later.');
    case 'location':
      // What Gemini answers a caller in a country it does not serve (mainland China, Hong Kong, …):
      // https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
      return new GoogleApiError(
        400,
        'User location is not supported for the API use.',
        undefined,
        {},
        'FAILED_PRECONDITION',
      );
    case 'err500':
      return new GoogleApiError(
        500,
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      );
  }
}

/**
 * 429 as the free tier sends it: QuotaFailure naming the exhausted quota, and RetryInfo — but never a
 * Retry-After header. The per-day variant carries no RetryInfo by default: retrying it within the day is
 * pointless, and a gateway must tell it apart by the quota id.
 */
function quotaError(perDay: boolean, retryDelay: string | undefined, ctx: KeyErrorContext): GoogleApiError {
  const model = ctx.model ?? 'gemini-3.8-flash';
  const metric = ctx.embedding
    ? 'generativelanguage.googleapis.com/embed_content_free_tier_requests'
    : 'generativelanguage.googleapis.com/generate_content_free_tier_requests';
  const quotaId = ctx.embedding
    ? `EmbedContentRequestsPer${perDay ? 'Day' : 'Minute'}PerProjectPerModel-FreeTier`
    : `GenerateRequestsPer${perDay ? 'Day' : 'Minute'}PerProjectPerModel-FreeTier`;
  const limit = perDay ? '250' : '10';
  const retryLine = retryDelay === undefined ? '' : `\nPlease retry in ${retryDelay}.`;
  const details: unknown[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [{ quotaMetric: metric, quotaId, quotaDimensions: { location: 'global', model }, quotaValue: limit }],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        { description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' },
      ],
    },
  ];
  if (retryDelay !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay });
  return new GoogleApiError(
    429,
    'You exceeded your current quota, please check your plan and billing details. For more information on this ' +
      'error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: ' +
      `https://ai.dev/usage?tab=rate-limit. \n* Quota exceeded for metric: ${metric}, limit: ${limit}, model: ${model}` +
      retryLine,
    details,
  );
}

/** The status and body a key behaviour answers with, for tests that compare what a gateway passed on. */
export function keyErrorBody(kind: KeyErrorKind, model?: string): { status: number; body: GoogleErrorBody } {
  const error = keyErrorOfKind(kind, { model, embedding: false });
  return { status: error.status, body: error.body };
}
