import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatewayWithStub, jsonReply } from '../support/stub-upstream';

/**
 * Random and adversarial requests on the native surface: whatever a client sends, the answer is JSON in
 * Gemini's error shape (or a real upstream answer), never a 5xx of ours, and nothing that cannot be a JSON object
 * goes upstream. The native path does not parse bodies: one that is brace-delimited but malformed inside is
 * Google's to refuse (test/e2e/native.test.ts checks that its 400 reaches the client as it is).
 */
const reply = { candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' }] };

const segment = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2E.',
    '',
    '%2f',
    '%5c',
    '%00',
    '%',
    '%zz',
    '@evil.example',
    'models',
    'gemini-3.8-flash:generateContent',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const path = fc
  .array(segment, { minLength: 0, maxLength: 6 })
  .chain((parts) =>
    fc
      .constantFrom('/v1beta/', '/v1/models/', '/upload/v1beta/', '/v1alpha/', '/')
      .map((root) => `${root}${parts.join('/')}`),
  );
const hostileJson = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.constantFrom(
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '[1,2,3]',
    'null',
    '"str"',
    '1e999999',
    '{',
    '{"a":',
    '',
  ),
  fc.nat({ max: 5_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.nat({ max: 5_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
);
const invalidUtf8 = fc
  .tuple(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.boolean())
  .map(([bytes, closed]) => new Uint8Array([0x7b, 0xff, 0xfe, ...bytes, ...(closed ? [0x7d] : [])]));

describe('native surface under hostile input', () => {
  it('never answers 5xx for a client’s request and sends upstream only bodies shaped like a JSON object', async () => {
    const { handler, calls } = gatewayWithStub({ fallback: () => jsonReply(reply) });
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.oneof(hostileJson, invalidUtf8),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        async (p, body, method) => {
          const before = calls.length;
          const response = await handler(
            new Request(`https://gw.test${p}`, {
              method,
              headers: { 'x-goog-api-key': 'k1,k2', 'content-type': 'application/json' },
              body: method === 'GET' ? undefined : body,
            }),
          );
          expect(response.status).toBeLessThan(500);
          expect(response.headers.get('access-control-allow-origin')).toBe('*');
          const text = await response.text();
          const parsed = JSON.parse(text) as { error?: { message: string; status?: string; type?: string } };
          if (response.status >= 400) {
            expect(parsed.error?.message).toEqual(expect.any(String));
            // Gemini's shape on native paths; `/v1/models/{id}` without a `:method` is OpenAI's surface.
            const native =
              /^\/(v1beta|v1alpha|upload)\//.test(new URL(`https://gw.test${p}`).pathname) || p.includes(':');
            if (native) expect(parsed.error?.status ?? parsed.error?.type).toEqual(expect.any(String));
            else expect(parsed.error?.type).toEqual(expect.any(String));
          }
          for (const call of calls.slice(before)) {
            expect(
              call.url.startsWith('https://upstream.test/v1beta/') ||
                call.url.startsWith('https://upstream.test/v1/') ||
                call.url.startsWith('https://upstream.test/v1alpha/') ||
                call.url.startsWith('https://upstream.test/upload/v1beta/'),
            ).toBe(true);
            if (call.body && !call.url.includes('/upload/')) expect(call.body.trim()).toMatch(/^\{[\s\S]*\}$/);
          }
        },
      ),
      { numRuns: 1_500 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers hostile headers without crashing', async () => {
    const { handler } = gatewayWithStub({ fallback: () => jsonReply(reply) });
    const headerValue = fc.string({ maxLength: 200 }).filter((value) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value));
    await fc.assert(
      fc.asyncProperty(headerValue, headerValue, headerValue, async (authorization, apiKey, accept) => {
        const response = await handler(
          new Request('https://gw.test/v1beta/models/gemini-3.8-flash:generateContent', {
            method: 'POST',
            headers: { authorization, 'x-goog-api-key': apiKey, accept, 'content-type': 'application/json' },
            body: '{"contents":[{"parts":[{"text":"x"}]}]}',
          }),
        );
        expect([200, 400, 401]).toContain(response.status);
        JSON.parse(await response.text());
      }),
      { numRuns: 500 },
    );
  });

  it('hostile credentials: only b64token keys go upstream, every log line stays JSON, no used key is logged in any form', async () => {
    const TOKEN = 'family-pass"with\\quote';
    const SERVER_KEY = 'AIzaSyServerKey0000000000000000000000001';
    const { handler, calls, logs } = gatewayWithStub({
      env: { LOG_LEVEL: 'debug', GEMINI_API_KEYS: SERVER_KEY, ACCESS_TOKENS: TOKEN },
      fallback: () => jsonReply(reply),
    });
    const b64token = /^[A-Za-z0-9._~+/-]+=*$/;
    // What a client can put in a credential: JSON syntax, control characters, Latin-1 mojibake, anything
    // (through `?key=`), plausible keys and the token; sometimes several, comma-separated.
    const piece = fc.oneof(
      fc.constantFrom(
        '"',
        '"path":"/x"',
        '\\',
        '\n',
        '\u0000',
        '\r\n',
        ' ',
        '=',
        'ç»\u0099',
        '给家人',
        '\ud800',
        '%0A',
        TOKEN,
      ),
      fc.string({ maxLength: 12, unit: 'binary' }),
      fc.stringMatching(/^AIza[A-Za-z0-9_-]{35}$/),
      fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,20}$/),
    );
    const credential = fc.array(piece, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));
    const credentials = fc.array(credential, { minLength: 1, maxLength: 3 }).map((list) => list.join(','));
    const latin1 = (value: string) => !/[^\t\x20-\x7e\x80-\xff]/.test(value) && value.trim() === value;
    await fc.assert(
      fc.asyncProperty(
        credentials,
        fc.constantFrom('query', 'x-goog-api-key', 'authorization'),
        async (sent, where) => {
          const url = new URL('https://gw.test/v1beta/models/gemini-2.5-flash:generateContent');
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (where === 'query' || !latin1(sent)) url.searchParams.set('key', sent);
          else if (where === 'x-goog-api-key') headers['x-goog-api-key'] = sent;
          else headers.authorization = `Bearer ${sent}`;
          const before = { calls: calls.length, logs: logs.length };
          // The credential is quoted in the prompt too, so the debug line of the body holds it JSON-escaped.
          const body = JSON.stringify({ contents: [{ parts: [{ text: `my key: ${sent}` }] }] });
          const response = await handler(new Request(url, { method: 'POST', headers, body }));
          expect([200, 401]).toContain(response.status);
          const upstreamKeys = calls.slice(before.calls).map((call) => call.headers.get('x-goog-api-key') ?? '');
          for (const key of upstreamKeys) expect(key).toMatch(b64token);
          if (response.status === 401) expect(upstreamKeys).toEqual([]);
          const lines = logs.slice(before.logs);
          const records = lines.map((line) => JSON.parse(line) as { event: string; path?: string });
          // The keys in use: the server's for the token, else every credential sent (all of them, when answered).
          const sentKeys = sent
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean);
          const inUse = response.status !== 200 ? [] : sentKeys.includes(TOKEN) ? [SERVER_KEY] : sentKeys;
          // A credential never rewrites a line, unless it is a key in use that the path really contains ("a").
          const request = records.find((record) => record.event === 'request');
          if (!inUse.some((key) => url.pathname.includes(key))) expect(request).toMatchObject({ path: url.pathname });
          for (const key of [...new Set([...inUse, ...upstreamKeys, TOKEN])].filter((k) => k.length >= 8)) {
            for (const line of lines)
              for (const form of [key, JSON.stringify(key).slice(1, -1)])
                expect(line.includes(form), `${key} in ${line}`).toBe(false);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuses a body that is not a JSON object with Google’s wording, before any upstream call', async () => {
    const { handler, calls } = gatewayWithStub();
    for (const body of ['{', '[1]', 'null', '"x"']) {
      const response = await handler(
        new Request('https://gw.test/v1beta/models/gemini-3.8-flash:generateContent', {
          method: 'POST',
          headers: { 'x-goog-api-key': 'k' },
          body,
        }),
      );
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /^Invalid JSON payload received\./,
      );
    }
    expect(calls).toHaveLength(0);
  });
});
