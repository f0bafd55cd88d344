import type { GatewayError } from '../errors';
import { parseRetryDelay } from '../upstream/classify-upstream-failure';

/** Anthropic's error types by HTTP status (https://docs.anthropic.com/en/api/errors). */
export const ANTHROPIC_ERROR_TYPES = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
} as const satisfies Record<number, string>;

export type AnthropicErrorType = (typeof ANTHROPIC_ERROR_TYPES)[keyof typeof ANTHROPIC_ERROR_TYPES];

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
}

/**
 * The status an Anthropic client sees for a gateway error. Gemini reports a bad key as 400 API_KEY_INVALID
 * (the OpenAI surface keeps that status, with code `invalid_api_key`); Anthropic's clients expect 401,
 * and Claude Code tells its user to check the key only then. Gemini's 503 (overloaded) is Anthropic's 529,
 * which the SDK and Claude Code retry as they do for Anthropic's own overload.
 */
export function anthropicStatus(error: GatewayError): number {
  if (error.code === 'invalid_api_key' || error.code === 'missing_api_key') return 401;
  if (error.status === 503) return 529;
  return error.status;
}

export function anthropicErrorType(status: number): AnthropicErrorType {
  if (Object.hasOwn(ANTHROPIC_ERROR_TYPES, status))
    return ANTHROPIC_ERROR_TYPES[status as keyof typeof ANTHROPIC_ERROR_TYPES];
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

export function anthropicErrorBody(error: GatewayError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(anthropicStatus(error)), message: error.message } };
}

/**
 * The error as Anthropic's `{"type": "error", "error": {type, message}}`, with the status above. A quota
 * error carries `retry-after` in seconds when Gemini said how long to wait (its RetryInfo, in the body only):
 * the Anthropic SDK and Claude Code wait that long before they retry.
 */
export function toAnthropicError(error: GatewayError): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (error.status === 429 && error.upstream) {
    const delayMs = parseRetryDelay(error.upstream.body);
    if (delayMs !== null) headers['retry-after'] = String(Math.max(1, Math.ceil(delayMs / 1000)));
  }
  return new Response(JSON.stringify(anthropicErrorBody(error)), { status: anthropicStatus(error), headers });
}
