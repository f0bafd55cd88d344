/**
 * Error bodies shaped like generativelanguage.googleapis.com's: `{"error": {code, message, status, details?}}`.
 * Messages are copied from real responses seen in public issue trackers, so a gateway that classifies errors
 * by their body (as it should) is tested against the strings it will meet in production.
 */

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

/** An error answer: status, body and extra headers. Thrown by validators, caught once in the server. */
export class GoogleApiError extends Error {
  readonly status: number;
  readonly body: GoogleErrorBody;
  readonly headers: Record<string, string>;

  /** `statusName` for the few errors whose gRPC status is not the usual one for `code` (FAILED_PRECONDITION). */
  constructor(
    code: number,
    message: string,
    details?: unknown[],
    headers: Record<string, string> = {},
    statusName?: string,
  ) {
    super(message);
    this.name = 'GoogleApiError';
    this.status = code;
    this.body = { error: { code, message, status: statusName ?? STATUS_NAMES[code] ?? 'UNKNOWN' } };
    if (details !== undefined) this.body.error.details = details;
    this.headers = headers;
  }
}

export interface FieldViolation {
  field?: string;
  description: string;
}

/** 400 for a body the proto-JSON parser rejects; every violation is listed, as the real parser does. */
export function invalidPayload(violations: FieldViolation[]): GoogleApiError {
  return new GoogleApiError(400, violations.map((v) => v.description).join('\n'), [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations },
  ]);
}

/**
 * 400 for a request that parsed but breaks a rule; the service words these as `* Request.field: reason`,
 * one line per problem, with a trailing newline.
 */
export function invalidRequest(lines: string[]): GoogleApiError {
  return new GoogleApiError(400, lines.map((l) => `* ${l}\n`).join(''));
}

export function invalidArgument(message: string): GoogleApiError {
  return new GoogleApiError(400, message);
}

export function modelNotFound(model: string, apiVersion: string, method: string): GoogleApiError {
  return new GoogleApiError(
    404,
    `models/${model} is not found for API version ${apiVersion}, or is not supported for ${method}. ` +
      'Call ListModels to see the list of available models and their supported methods.',
  );
}

/** A model Google has shut down; the wording users met for gemini-2.0-flash and gemini-2.5-flash in 2026. */
export function modelRetired(model: string): GoogleApiError {
  return new GoogleApiError(
    404,
    `This model models/${model} is no longer available to new users. ` +
      'Please update your code to use a newer model for the latest features and improvements.',
  );
}

/** Google's front end answers an unknown path with its HTML error page, not JSON. */
export function notFoundHtml(path: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang=en>',
    '  <meta charset=utf-8>',
    '  <meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width">',
    '  <title>Error 404 (Not Found)!!1</title>',
    '  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>',
    '  <p><b>404.</b> <ins>That\u2019s an error.</ins>',
    `  <p>The requested URL <code>${escapeHtml(path)}</code> was not found on this server.  <ins>That\u2019s all we know.</ins>`,
    '',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function serializeError(error: GoogleApiError): string {
  return `${JSON.stringify(error.body, null, 2)}\n`;
}
