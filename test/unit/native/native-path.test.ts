import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { toNativeUpstreamPath, toNativeUpstreamPathBySegment } from '../../../src/native/native-path';
import { readPlainNativePath } from '../../../src/native/read-plain-native-path';

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

describe('readPlainNativePath', () => {
  /** The segment-by-segment answer: the path, or the error's status and message. */
  const bySegment = (raw: string) => {
    try {
      return toNativeUpstreamPathBySegment(raw);
    } catch (error) {
      return error instanceof GatewayError ? `${error.status} ${error.message}` : String(error);
    }
  };

  it('takes what clients send, as the segment-by-segment check answers it', () => {
    for (const raw of [
      '/v1beta/models/gemini-2.5-flash:generateContent',
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      '/v1/models/gemini-3.8-flash:countTokens',
      '/v1alpha/models/',
      '/upload/v1beta/files',
      '/v1beta/cachedContents/abc~1',
    ]) {
      expect(readPlainNativePath(raw)).toBe(bySegment(raw));
    }
  });

  it('answers as the segment-by-segment check whenever it answers, on any path', () => {
    const segment = fc.oneof(
      fc.constantFrom('v1beta', 'v1', 'v1alpha', 'upload', 'models', 'files', '', '.', '..', '.a', 'a.', '...'),
      fc.constantFrom('gemini-2.5-flash:generateContent', '%2e%2e', '%2F', '%40', '%3A', 'a%2Db', '%E0%A4%A'),
      fc.string({
        maxLength: 6,
        unit: fc.constantFrom('a', 'Z', '0', '-', '_', '.', '~', ':', '@', '%', '!', '+', ',', '=', ';', '$', ' ', 'é'),
      }),
    );
    const root = fc.constantFrom('', '/v1beta', '/v1', '/v1alpha', '/upload/v1beta', '/upload', '/v2', '/v1beta/');
    let taken = 0;
    fc.assert(
      fc.property(root, fc.array(segment, { maxLength: 5 }), fc.boolean(), (start, segments, slash) => {
        const raw = `${start}/${segments.join('/')}${slash ? '/' : ''}`;
        const plain = readPlainNativePath(raw);
        if (plain === undefined) return;
        taken++;
        expect(plain).toBe(bySegment(raw));
      }),
      { numRuns: 20_000 },
    );
    // Not vacuous: a fair share of the generated paths are plain ones.
    expect(taken).toBeGreaterThan(500);
  });
});
