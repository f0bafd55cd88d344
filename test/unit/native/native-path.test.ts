import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { toNativeUpstreamPath } from '../../../src/native/native-path';

/** What the platform hands the handler: the request URL as the WHATWG parser normalises it. */
const pathnameOf = (raw: string) => new URL(raw, 'https://gateway.example').pathname;

describe('toNativeUpstreamPath', () => {
  it.each([
    ['/v1beta/models/gemini-3.8-flash:generateContent', '/v1beta/models/gemini-3.8-flash:generateContent'],
    ['/v1beta/models/gemini-3.8-flash:streamGenerateContent', '/v1beta/models/gemini-3.8-flash:streamGenerateContent'],
    ['/v1beta/models', '/v1beta/models'],
    ['/v1beta/models/', '/v1beta/models'],
    ['/v1/models/gemini-3.8-flash:generateContent', '/v1/models/gemini-3.8-flash:generateContent'],
    ['/upload/v1beta/files', '/upload/v1beta/files'],
    ['/v1beta/files/abc-123', '/v1beta/files/abc-123'],
    ['/v1beta/models/gemini%2D3.8-flash:countTokens', '/v1beta/models/gemini-3.8-flash:countTokens'],
  ])('%s → %s', (raw, expected) => {
    expect(toNativeUpstreamPath(pathnameOf(raw))).toBe(expected);
  });

  it.each([
    '/v1beta/../../etc/passwd',
    '/v1beta/%2e%2e/%2e%2e/x',
    '/v1beta/%2E%2E/secret',
    '/v1beta/models/..%2f..%2fadmin',
    '/v1beta/models/%2e%2e%2fx',
    '/v1beta/models/a%5c..%5cb',
    '/v1beta//evil.example/x',
    '/v1beta/models/%2F%2Fevil.example',
    '/v1beta/models/x%3Fkey=1',
    '/v1beta/models/x%23frag',
    '/v1beta/models/%E0%A4%A',
    '/v1beta/models/a%00b',
    '/v2/models',
    '/v1beta',
    '/etc/passwd',
  ])('refuses %s', (raw) => {
    let error: unknown;
    try {
      toNativeUpstreamPath(pathnameOf(raw));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect([400, 404]).toContain((error as GatewayError).status);
  });

  it('always yields a path that stays on the configured origin', () => {
    const origin = 'https://generativelanguage.googleapis.com';
    for (const raw of [
      '/v1beta/models/x',
      '/v1beta/models/@evil.example',
      '/v1beta/models/:80',
      '/upload/v1beta/files',
    ]) {
      const url = new URL(`${origin}${toNativeUpstreamPath(pathnameOf(raw))}`);
      expect(url.origin).toBe(origin);
      expect(url.pathname.startsWith('/v1beta/') || url.pathname.startsWith('/upload/v1beta/')).toBe(true);
    }
  });
});
