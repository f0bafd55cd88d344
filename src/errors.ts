/**
 * The one error type of the gateway. Everything that goes wrong — a client's bad input, a missing key, an
 * upstream failure — becomes a GatewayError, and `toOpenAIError` / `toGeminiError` turn it into a response in
 * the caller's format in one place.
 */

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'api_error';

/** What an upstream (Gemini) error looked like, kept so `/v1beta` can return it untouched. */
export interface UpstreamErrorBody {
  status: number;
  body: string;
  contentType: string | null;
}

export interface GatewayErrorOptions {
  /** OpenAI `code` (e.g. `invalid_api_key`, `model_not_found`). */
  code?: string | null;
  /** OpenAI `param`: the request field at fault. */
  param?: string | null;
  /** OpenAI `type`; derived from the status when absent. */
  type?: OpenAIErrorType;
  /** The upstream error this one reports, if any. */
  upstream?: UpstreamErrorBody;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly param: string | null;
  readonly type: OpenAIErrorType;
  readonly upstream: UpstreamErrorBody | undefined;

  constructor(status: number, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.status = status;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.type = options.type ?? openAITypeForStatus(status);
    this.upstream = options.upstream;
  }
}

/** OpenAI's error `type` for an HTTP status, as its API and SDKs name them. */
export function openAITypeForStatus(status: number): OpenAIErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Google's canonical status name for an HTTP status (google.rpc.Code). */
export function geminiStatusName(status: number): string {
  switch (status) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'UNIMPLEMENTED';
    case 409:
      return 'ABORTED';
    case 413:
      return 'INVALID_ARGUMENT';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 501:
      return 'UNIMPLEMENTED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

/** Any thrown value as a GatewayError; unknown failures become a 500 that reveals nothing internal. */
export function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError(500, 'The gateway failed to handle this request.', { cause: error });
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIErrorBody(error: GatewayError): OpenAIErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

export interface GeminiErrorBody {
  error: { code: number; message: string; status: string };
}

export function geminiErrorBody(error: GatewayError): GeminiErrorBody {
  return { error: { code: error.status, message: error.message, status: geminiStatusName(error.status) } };
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/** The error as OpenAI's `{error: {message, type, param, code}}` (every `/v1` OpenAI route). */
export function toOpenAIError(error: GatewayError): Response {
  return new Response(JSON.stringify(openAIErrorBody(error)), { status: error.status, headers: JSON_HEADERS });
}

/** The error as Gemini's `{error: {code, message, status}}`; an upstream error body goes back untouched. */
export function toGeminiError(error: GatewayError): Response {
  if (error.upstream) {
    const headers = { 'content-type': error.upstream.contentType ?? JSON_HEADERS['content-type'] };
    return new Response(error.upstream.body, { status: error.upstream.status, headers });
  }
  return new Response(JSON.stringify(geminiErrorBody(error)), { status: error.status, headers: JSON_HEADERS });
}
