import { describe, expect, it } from 'vitest';
import { maskKey } from '../../../src/verify/mask-key';
import { gatewayWithStub, geminiError, invalidKey, jsonReply, quota, type StubCall } from '../support/stub-upstream';

const byKey = (call: StubCall): Response => {
  const key = call.headers.get('x-goog-api-key') ?? '';
  if (key.startsWith('bad')) return invalidKey();
  if (key.startsWith('leaked'))
    return geminiError(403, 'PERMISSION_DENIED', 'Your API key was reported as leaked. Please use another API key.');
  if (key.startsWith('quota')) return quota('12.5s');
  if (key.startsWith('down')) throw new TypeError('fetch failed');
  return jsonReply({ models: [{ name: 'models/gemini-3.8-flash' }] });
};

const verify = (keys: string, accept = 'application/json') =>
  new Request('https://gw.test/verify', { method: 'POST', headers: { authorization: `Bearer ${keys}`, accept } });

describe('POST /verify', () => {
  it('answers per key with a verdict, masked keys only, using a call that spends no generation quota', async () => {
    const { handler, calls } = gatewayWithStub({ fallback: byKey });
    const keys =
      'good-key-0123456789,bad-key-0123456789,leaked-key-012345678,quota-key-0123456789,down-key-01234567890';
    const response = await handler(verify(keys));
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const key of keys.split(',')) expect(text).not.toContain(key);
    const body = JSON.parse(text) as {
      results: { key: string; verdict: string; retryDelayMs: number | null }[];
      summary: Record<string, number>;
    };
    expect(body.results.map((r) => [r.key, r.verdict, r.retryDelayMs])).toEqual([
      ['good…6789', 'ok', null],
      ['bad-…6789', 'invalid', null],
      ['leak…5678', 'denied', null],
      ['quot…6789', 'rate-limited', 12_500],
      ['down…7890', 'unreachable', null],
    ]);
    expect(body.summary).toMatchObject({ total: 5, ok: 1, invalid: 1, denied: 1, 'rate-limited': 1, unreachable: 1 });
    expect(
      calls.every((call) => call.url === 'https://upstream.test/v1beta/models?pageSize=1' && call.method === 'GET'),
    ).toBe(true);
  });

  it('streams one event per key with Accept: text/event-stream', async () => {
    const { handler } = gatewayWithStub({ fallback: byKey });
    const response = await handler(verify('good-key-0123456789,bad-key-0123456789', 'text/event-stream'));
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await response.text())
      .trim()
      .split('\n\n')
      .map((block) => block.split('\n')[0]);
    expect(events).toEqual(['event: start', 'event: key', 'event: key', 'event: done']);
  });

  it('checks the server pool for a token', async () => {
    const { handler, calls } = gatewayWithStub({
      env: { GEMINI_API_KEYS: 'good-server-key-1234,bad-server-key-12345', ACCESS_TOKENS: 'pass' },
      fallback: byKey,
    });
    const body = (await (await handler(verify('pass'))).json()) as { source: string; results: { verdict: string }[] };
    expect(body.source).toBe('server');
    expect(body.results.map((r) => r.verdict)).toEqual(['ok', 'invalid']);
    expect(calls).toHaveLength(2);
  });

  it('refuses more than 50 keys and a call without keys', async () => {
    const { handler, calls } = gatewayWithStub({ fallback: byKey });
    const many = Array.from({ length: 51 }, (_, i) => `key-${i}`).join(',');
    expect((await handler(verify(many))).status).toBe(400);
    expect((await handler(new Request('https://gw.test/verify', { method: 'POST' }))).status).toBe(401);
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['AIzaSyA1234567890abcdefghijklmnopqrstu', 'AIza…rstu'],
    ['short-key-12', 'sh…12'],
    ['tiny', '…'],
  ])('maskKey(%s) = %s', (key, masked) => {
    expect(maskKey(key)).toBe(masked);
  });
});

describe('POST /verify and the key pool', () => {
  it('reports a key that hit its rate limit on this instance as rate-limited, with the remaining cooldown', async () => {
    let now = 1_700_000_000_000;
    const { handler } = gatewayWithStub({
      now: () => now,
      replies: [
        quota('30s'),
        jsonReply({ candidates: [{ content: { role: 'model', parts: [{ text: 'x' }] }, finishReason: 'STOP' }] }),
      ],
      fallback: byKey,
    });
    await handler(
      new Request('https://gw.test/v1beta/models/gemini-3.8-flash:generateContent', {
        method: 'POST',
        headers: { 'x-goog-api-key': 'good-key-aaaaaaaaaa,good-key-bbbbbbbbbb', 'content-type': 'application/json' },
        body: '{"contents":[{"parts":[{"text":"x"}]}]}',
      }),
    );
    now += 10_000;
    const body = (await (await handler(verify('good-key-aaaaaaaaaa,good-key-bbbbbbbbbb'))).json()) as {
      results: { verdict: string; retryDelayMs: number | null }[];
    };
    const verdicts = body.results.map((r) => [r.verdict, r.retryDelayMs]);
    expect(verdicts).toContainEqual(['rate-limited', 20_000]);
    expect(verdicts).toContainEqual(['ok', null]);
  });

  it('reads only the start of an endless answer to judge a key', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    const endless = () =>
      new Response(new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(chunk) }), {
        status: 403,
        headers: { 'content-type': 'text/html' },
      });
    const { handler } = gatewayWithStub({ fallback: endless });
    const body = (await (await handler(verify('endless-key-0123456789'))).json()) as {
      results: { verdict: string; message: string }[];
    };
    expect(body.results).toEqual([
      expect.objectContaining({ verdict: 'denied', message: 'Unexpected answer from the Gemini API.' }),
    ]);
  });
});
