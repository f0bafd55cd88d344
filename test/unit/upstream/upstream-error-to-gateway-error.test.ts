import { describe, expect, it } from 'vitest';
import { excerptOfPage, upstreamErrorToGatewayError } from '../../../src/upstream/upstream-error-to-gateway-error';

const geminiError = (code: number, status: string, message: string, details: unknown[] = []) =>
  new Response(JSON.stringify({ error: { code, message, status, details } }), {
    status: code,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
  });

describe('upstreamErrorToGatewayError', () => {
  it.each([
    [
      geminiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
      ]),
      400,
      'invalid_request_error',
      'invalid_api_key',
    ],
    [geminiError(400, 'INVALID_ARGUMENT', 'Please use a valid role: user, model.'), 400, 'invalid_request_error', null],
    [
      geminiError(403, 'PERMISSION_DENIED', 'Your API key was reported as leaked. Please use another API key.'),
      403,
      'permission_error',
      'invalid_api_key',
    ],
    [
      geminiError(403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers."),
      403,
      'permission_error',
      'permission_denied',
    ],
    [
      geminiError(404, 'NOT_FOUND', 'models/gemini-9 is not found for API version v1beta'),
      404,
      'not_found_error',
      'model_not_found',
    ],
    [
      geminiError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.'),
      429,
      'rate_limit_error',
      'rate_limit_exceeded',
    ],
    [geminiError(500, 'INTERNAL', 'An internal error has occurred.'), 500, 'server_error', 'upstream_error'],
    [
      geminiError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
      503,
      'server_error',
      'server_overloaded',
    ],
  ])('keeps status and message, maps type and code (%#)', async (response, status, type, code) => {
    const body = await response.clone().text();
    const error = await upstreamErrorToGatewayError(response);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.code).toBe(code);
    expect(error.message).toBe((JSON.parse(body) as { error: { message: string } }).error.message);
    expect(error.upstream).toEqual({ status, body, contentType: 'application/json; charset=UTF-8' });
  });

  it("explains Gemini's unsupported-location 400: what happened and what to do, with OpenAI's code for it", async () => {
    const error = await upstreamErrorToGatewayError(
      geminiError(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'),
    );
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.code).toBe('unsupported_country_region_territory');
    expect(error.message).toMatch(
      /^User location is not supported for the API use\. Gemini refused the request because of where this gateway runs/,
    );
    expect(error.message).toContain('Pin the function to regions Gemini serves');
  });

  it('quotes a short excerpt of a non-JSON body', async () => {
    const error = await upstreamErrorToGatewayError(
      new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
        status: 502,
        headers: { 'content-type': 'text/html' },
      }),
    );
    expect(error.status).toBe(502);
    expect(error.message).toBe('The Gemini API answered HTTP 502: 502 Bad Gateway');
  });

  it('says the status when the body is empty', async () => {
    const error = await upstreamErrorToGatewayError(new Response(null, { status: 504 }));
    expect(error.message).toBe('The Gemini API answered HTTP 504.');
    expect(error.type).toBe('server_error');
  });

  // Issue 12 item 6: a regex tag strip rescanned the rest of the body from every unclosed `<` (44 s here).
  it.each([
    ['unclosed tags', '<'.repeat(256 * 1024)],
    ['a tag that never closes', `<${'a'.repeat(256 * 1024)}`],
    ['a long run of whitespace between tags', `<p>${' \t'.repeat(128 * 1024)}x</p>`],
  ])('quotes an excerpt of a hostile 256 kB page (%s) in one bounded pass', async (_name, page) => {
    const error = await upstreamErrorToGatewayError(
      new Response(page, { status: 502, headers: { 'content-type': 'text/html' } }),
    );
    expect(error.status).toBe(502);
    expect(error.message.length).toBeLessThanOrEqual('The Gemini API answered HTTP 502: '.length + 201);
    expect(error.upstream?.body).toBe(page);
  });

  it.each([
    ['<p>a</p> < b <i>c</i>', 'a c'],
    ['x < y', 'x < y'],
    ['<b>bold</b>\n\n  text', 'bold text'],
  ])('drops tags from %j as a tag-stripping regex would', async (page, text) => {
    expect(excerptOfPage(page)).toBe(text);
  });
});
