import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/local/start';
import { textChunks } from '../fake-gemini';
import { DAY_WINDOW_MS, keysInSlotOrder } from './support/keys-in-slot-order';
import { type Stack, startStack } from './support/stack';

/**
 * Upstream faults on the native surface, through the real server: each ends in failover where the key or
 * the moment is at fault, or in a clean Gemini-shaped error — never a hang, a 500 with a stack, or a
 * silent cut.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS),
    UPSTREAM_TIMEOUT_MS: '400',
    STREAM_IDLE_TIMEOUT_MS: '600',
    HEARTBEAT_MS: '150',
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const body = JSON.stringify({ contents: [{ parts: [{ text: 'fault test' }] }] });
const call = (
  method: 'generateContent' | 'streamGenerateContent',
  keys: string,
  search = method === 'streamGenerateContent' ? '?alt=sse' : '',
) =>
  fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:${method}${search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': keys },
    body,
  });

describe.each(['generateContent', 'streamGenerateContent'] as const)('%s', (method) => {
  it.each([
    ['a dropped connection', 'drop-1'],
    ['a stall (per-attempt timeout)', 'stall-1'],
    ['429 with RetryInfo', 'quota-1'],
    ['503 overloaded', 'down-1'],
    ['500', 'err500-1'],
    ['an invalid key', 'bad-1'],
    ['a leaked key', 'leaked-1'],
  ])('fails over %s to the next key', async (_name, prefix) => {
    // A fresh name per case: a key that failed before is cooling down and would rightly be tried last.
    const failing = `${prefix}-${method}`;
    const response = await call(method, keysInSlotOrder([failing, 'good-2']));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Echo');
    expect(stack.fake.requests.map((r) => r.key)).toEqual([failing, 'good-2']);
  });

  it.each([
    ['an empty 200', { raw: '', status: 200 }],
    [
      'an HTML error page from a CDN',
      { raw: '<html><body><h1>502 Bad Gateway</h1></body></html>', status: 502, contentType: 'text/html' },
    ],
    [
      'an HTML page sent as 200',
      { raw: '<html><body>Please wait…</body></html>', status: 200, contentType: 'text/html' },
    ],
    ['JSON without candidates', { raw: '{"usageMetadata":{}}', status: 200, contentType: 'application/json' }],
  ])('fails over %s', async (_name, step) => {
    stack.fake.script(step);
    const response = await call(method, 'k1,k2');
    expect(response.status).toBe(200);
    expect(stack.fake.requests).toHaveLength(2);
  });

  it('answers 502 in Gemini shape when the upstream refuses connections', async () => {
    const gateway = await startGateway({ env: { GEMINI_BASE_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'error' } });
    try {
      const response = await fetch(`${gateway.url}/v1beta/models/gemini-3.8-flash:${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k1,k2' },
        body,
      });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ error: { code: 502, status: 'INTERNAL' } });
    } finally {
      await gateway.close();
    }
  });

  it('answers 504 when every key stalls', async () => {
    const response = await call(method, 'stall-1,stall-2');
    if (method === 'generateContent') {
      expect(response.status).toBe(504);
      expect(await response.json()).toMatchObject({ error: { code: 504, status: 'DEADLINE_EXCEEDED' } });
    } else {
      // The stream had to start (keep-alive) before the timeouts ran out: the 504 is its last event.
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text.startsWith(': keep-alive')).toBe(true);
      expect(
        JSON.parse(
          text
            .trim()
            .split(/\r?\n\r?\n/)
            .at(-1)!
            .replace(/^data: /, ''),
        ),
      ).toMatchObject({ error: { code: 504 } });
    }
  });

  it('answers the last real error when every key is rate-limited', async () => {
    const response = await call(method, 'quota-1,quota-2');
    expect(response.status).toBe(429);
    expect(await response.json()).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED' } });
  });
});

describe('native SSE streams that break', () => {
  it('ends a stream dropped mid-way with a Gemini-shaped error event', async () => {
    stack.fake.script({ fault: 'drop-mid-stream', afterChunks: 2 });
    const response = await call('streamGenerateContent', 'k1');
    expect(response.status).toBe(200);
    const text = await response.text();
    const events = text.trim().split(/\r?\n\r?\n/);
    expect(events.length).toBe(3);
    expect(JSON.parse(events.at(-1)!.replace(/^data: /, ''))).toMatchObject({
      error: { code: 502, status: 'INTERNAL' },
    });
  });

  it('ends a stream that stalls mid-way with an error event after STREAM_IDLE_TIMEOUT_MS', async () => {
    stack.fake.script({ chunks: textChunks('one two three'), delayMs: 3_000 });
    const started = Date.now();
    const text = await (await call('streamGenerateContent', 'k1')).text();
    expect(text).toContain('one');
    expect(
      text
        .trim()
        .split(/\r?\n\r?\n/)
        .at(-1),
    ).toMatch(/^data: \{"error":\{"code":502/);
    expect(Date.now() - started).toBeLessThan(2_500);
    await expect.poll(() => stack.fake.requests[0]?.aborted).toBe(true);
  });

  it('keeps a slow-to-start stream alive with comments, then delivers it', async () => {
    stack.fake.script({ chunks: textChunks('slow thinker answers'), startDelayMs: 450 });
    const response = await call('streamGenerateContent', 'k1');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith(': keep-alive')).toBe(true);
    expect(text).toContain('slow');
  });
});
