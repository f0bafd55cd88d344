import { APIError, BadRequestError, InternalServerError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/local/start';
import { type Step, textChunks, textReply } from '../fake-gemini';
import { DAY_WINDOW_MS, keysInSlotOrder } from './support/keys-in-slot-order';
import { openaiClient } from './support/openai-client';
import { dataEvents, readSse } from './support/read-sse';
import { type Stack, startStack } from './support/stack';

/**
 * Upstream faults on the OpenAI surface, through the real server, streaming and not: each ends in failover
 * where the key or the moment is at fault, or in a clean OpenAI-shaped error — never a hang, a 500 of the
 * gateway's own, a silent cut or a fake finish_reason.
 */
const UPSTREAM_TIMEOUT_MS = 400;
const STREAM_IDLE_TIMEOUT_MS = 2_000;
const HEARTBEAT_MS = 400;
const REQUEST_DEADLINE_MS = 3_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS),
    UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
    STREAM_IDLE_TIMEOUT_MS: String(STREAM_IDLE_TIMEOUT_MS),
    HEARTBEAT_MS: String(HEARTBEAT_MS),
    REQUEST_DEADLINE_MS: String(REQUEST_DEADLINE_MS),
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const messages = [{ role: 'user' as const, content: 'fault test' }];
const post = (keys: string, stream: boolean, origin = stack.url) =>
  fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys}` },
    body: JSON.stringify({ model: 'gpt-4o', messages, stream }),
  });

/** The reply text, whatever the mode; throws what the SDK throws. */
async function complete(keys: string, stream: boolean): Promise<string> {
  const sdk = openaiClient(stack.url, keys);
  if (!stream)
    return (await sdk.chat.completions.create({ model: 'gpt-4o', messages })).choices[0]?.message.content ?? '';
  let text = '';
  for await (const chunk of await sdk.chat.completions.create({ model: 'gpt-4o', messages, stream: true }))
    text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

/** Chunks the SDK yielded before its iteration ended, and what it threw. */
async function iterate(keys: string): Promise<{ chunks: ChatCompletionChunk[]; error: unknown }> {
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const chunk of await openaiClient(stack.url, keys).chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
    }))
      chunks.push(chunk);
  } catch (error) {
    return { chunks, error };
  }
  return { chunks, error: undefined };
}

const lastEvent = (events: readonly { data?: string }[]) =>
  events.filter((e) => e.data !== undefined).at(-1)?.data ?? '';

describe.each([
  ['non-stream', false],
  ['stream', true],
] as const)('%s', (mode, stream) => {
  it.each([
    ['a dropped connection', 'drop'],
    ['a stall (per-attempt timeout)', 'stall'],
    ['429 with RetryInfo', 'quota'],
    ['503 overloaded', 'down'],
    ['500', 'err500'],
    ['an invalid key', 'bad'],
    ['a leaked key', 'leaked'],
  ])('fails over %s to the next key', async (_name, prefix) => {
    // A fresh key per case: one that failed before is cooling down and would rightly be tried last.
    const failing = `${prefix}-openai-${mode}`;
    const good = `good-${prefix}-${mode}`;
    expect(await complete(keysInSlotOrder([failing, good]), stream)).toBe('Echo: fault test');
    expect(stack.fake.requests.map((r) => r.key)).toEqual([failing, good]);
  });

  it.each<[string, Step]>([
    ['an empty 200', { raw: '', status: 200 }],
    ['a 200 that is not JSON', { raw: 'upstream hiccup', status: 200 }],
    [
      'a 200 HTML page from a CDN',
      {
        raw: '<html><body><h1>Service temporarily unavailable</h1></body></html>',
        status: 200,
        contentType: 'text/html',
      },
    ],
    [
      'a 502 HTML page from a CDN',
      { raw: '<html><body><h1>502 Bad Gateway</h1></body></html>', status: 502, contentType: 'text/html' },
    ],
    [
      'a 200 with neither candidates nor promptFeedback',
      { reply: { usageMetadata: { promptTokenCount: 2, totalTokenCount: 2 }, modelVersion: 'gemini-3.8-flash' } },
    ],
    ['a connection dropped before the headers', { fault: 'drop-before-headers' }],
    ['a body cut off half-way', { fault: 'drop-mid-stream', afterChunks: 0 }],
  ])('fails over %s to the next key', async (_name, step) => {
    stack.fake.script(step);
    expect(await complete(keysInSlotOrder(['k1', 'k2']), stream)).toBe('Echo: fault test');
    expect(stack.fake.requests.map((r) => r.key)).toEqual(['k1', 'k2']);
  });

  it('answers 502 in OpenAI’s shape when the upstream refuses connections', async () => {
    const gateway = await startGateway({ env: { GEMINI_BASE_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'error' } });
    try {
      const response = await post('k1,k2', stream, gateway.url);
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({
        error: { message: expect.any(String), type: 'server_error', param: null, code: 'upstream_unreachable' },
      });
      const error = await openaiClient(gateway.url, 'k1')
        .chat.completions.create({ model: 'gpt-4o', messages, stream })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).toMatchObject({ status: 502 });
    } finally {
      await gateway.close();
    }
  });

  it('answers an error known early — an invalid key on every key — with its real status', async () => {
    const started = Date.now();
    const response = await post(`bad-early-${mode}-1,bad-early-${mode}-2`, stream);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_api_key', type: 'invalid_request_error' } });
    expect(Date.now() - started).toBeLessThan(HEARTBEAT_MS * 4);
    const error = await complete(`bad-early-${mode}-3`, stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
  });

  it('fails over a 429 and then prefers the other key while the first one cools down (RetryInfo)', async () => {
    const limited = `quota-cooling-${mode}`;
    const good = `good-cooling-${mode}`;
    stack.fake.setKey(limited, { kind: 'quota', retryDelay: '30s' });
    const keys = keysInSlotOrder([limited, good]);
    expect(await complete(keys, stream)).toBe('Echo: fault test');
    expect(await complete(keys, stream)).toBe('Echo: fault test');
    expect(stack.fake.requests.map((r) => r.key)).toEqual([limited, good, good]);
  });
});

describe('every key stalls', () => {
  it('non-stream: 504 in OpenAI’s shape after the per-attempt timeouts', async () => {
    const started = Date.now();
    const response = await post('stall-all-1,stall-all-2', false);
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({
      error: { message: expect.any(String), type: 'server_error', param: null, code: 'upstream_timeout' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * UPSTREAM_TIMEOUT_MS - 50);
    expect(stack.fake.requests).toHaveLength(2);
  });

  it('non-stream: the overall deadline stops failover before it tries every stalling key', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `stall-deadline-${i}`);
    const started = Date.now();
    const error = await openaiClient(stack.url, keys.join(','))
      .chat.completions.create({ model: 'gpt-4o', messages })
      .catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 504 });
    expect(elapsed).toBeLessThan(REQUEST_DEADLINE_MS + 1_000);
    expect(stack.fake.requests.length).toBeLessThan(keys.length);
  });

  it('stream: the stream is kept alive, then ends with a 504 error event', async () => {
    const response = await post('stall-sall-1,stall-sall-2', true);
    expect(response.status).toBe(200);
    const read = await readSse(response);
    expect(read.raw.startsWith(': keep-alive')).toBe(true);
    expect(read.raw).not.toContain('[DONE]');
    expect(JSON.parse(lastEvent(read.events))).toMatchObject({
      error: { type: 'server_error', code: 'upstream_timeout' },
    });
  });
});

describe('OpenAI streams that break after they started', () => {
  it('a stream dropped mid-way ends with an error event: no silent cut, no fake finish_reason, no [DONE]', async () => {
    stack.fake.script({ fault: 'drop-mid-stream', afterChunks: 2 });
    const response = await post('k1', true);
    expect(response.status).toBe(200);
    const read = await readSse(response);
    expect(read.raw).not.toContain('[DONE]');
    const events = dataEvents<{
      choices?: { delta: { content?: string }; finish_reason: string | null }[];
      error?: unknown;
    }>(read);
    const last = events.at(-1);
    expect(last).toEqual({
      error: { message: expect.any(String), type: 'server_error', param: null, code: expect.any(String) },
    });
    const chunks = events.slice(0, -1);
    expect(chunks.map((c) => c.choices?.[0]?.delta.content ?? '').join('')).toBe('Echo: fault');
    for (const chunk of chunks) expect(chunk.choices?.[0]?.finish_reason).toBeNull();
  });

  it('the SDK’s stream iteration throws an APIError after the chunks that arrived', async () => {
    stack.fake.script({ fault: 'drop-mid-stream', afterChunks: 2 });
    const { chunks, error } = await iterate('k1');
    expect(error).toBeInstanceOf(APIError);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo: fault');
  });

  it('a stream that stalls mid-way ends with an error event after STREAM_IDLE_TIMEOUT_MS, and the upstream is released', async () => {
    stack.fake.script({ chunks: textChunks('one two three'), delayMs: 5_000 });
    const started = Date.now();
    const { chunks, error } = await iterate('k1');
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(APIError);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one');
    expect(elapsed).toBeGreaterThanOrEqual(STREAM_IDLE_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(STREAM_IDLE_TIMEOUT_MS + 2_000);
    await expect.poll(() => stack.fake.requests[0]?.aborted, { timeout: 5_000 }).toBe(true);
  });

  it('an error event from Gemini in the middle of the stream becomes an OpenAI error event', async () => {
    stack.fake.script({
      chunks: [
        textChunks('half an answer')[0]!,
        { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } },
      ],
    });
    const read = await readSse(await post('k1', true));
    expect(read.raw).not.toContain('[DONE]');
    expect(JSON.parse(lastEvent(read.events))).toMatchObject({
      error: { message: 'The model is overloaded. Please try again later.', type: 'server_error' },
    });
  });
});

describe('slow thinkers and the Edge first-byte limit', () => {
  it('a slow-to-start stream receives SSE keep-alive comments first, then the answer', async () => {
    stack.fake.script({ chunks: textChunks('slow thinker answers'), startDelayMs: HEARTBEAT_MS * 3 });
    const response = await post('k1', true);
    expect(response.status).toBe(200);
    const read = await readSse(response);
    expect(read.events[0]?.comment).toBe('keep-alive');
    // Order, not timing (the machine may be loaded): keep-alives while the upstream is silent, then the answer.
    const firstData = read.events.findIndex((e) => e.data !== undefined);
    expect(firstData).toBeGreaterThan(0);
    expect(read.events.slice(0, firstData).every((e) => e.comment === 'keep-alive')).toBe(true);
    expect(read.events.at(-1)?.data).toBe('[DONE]');
    const text = dataEvents<{ choices: { delta: { content?: string } }[] }>(read)
      .map((c) => c.choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('slow thinker answers');
  });

  it('the SDK parses a stream that started with keep-alives', async () => {
    stack.fake.script({ chunks: textChunks('patient answer'), startDelayMs: HEARTBEAT_MS * 3 });
    const { chunks, error } = await iterate('k1');
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('patient answer');
  });

  it('a fast non-stream answer is unaffected by the heartbeat', async () => {
    stack.fake.script({ reply: textReply('quick') });
    expect(await complete('k1', false)).toBe('quick');
  });
});
