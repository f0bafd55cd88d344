import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { textChunks } from '../fake-gemini';
import { DAY_WINDOW_MS } from './support/keys-in-slot-order';
import { openaiClient } from './support/openai-client';
import { readSse } from './support/read-sse';
import { type Stack, startStack } from './support/stack';

/**
 * Responses streams that are slow to start (a thinking model and the Edge 25 s first-byte rule) or fail after
 * they started: keep-alive comments first, and an `error` event plus `response.failed` instead of a silent cut.
 */
const HEARTBEAT_MS = 300;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS),
    UPSTREAM_TIMEOUT_MS: '600',
    STREAM_IDLE_TIMEOUT_MS: '2000',
    HEARTBEAT_MS: String(HEARTBEAT_MS),
    REQUEST_DEADLINE_MS: '3000',
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const post = (keys: string) =>
  fetch(`${stack.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys}` },
    body: JSON.stringify({ model: 'gemini-flash-latest', input: 'slow question', stream: true }),
  });

describe('slow thinkers', () => {
  it('a slow-to-start stream receives keep-alive comments, then the whole event sequence', async () => {
    stack.fake.script({ chunks: textChunks('slow thinker answers'), startDelayMs: HEARTBEAT_MS * 3 });
    const response = await post('k1');
    expect(response.status).toBe(200);
    const read = await readSse(response);
    expect(read.events[0]?.comment).toBe('keep-alive');
    const data = read.events
      .filter((e) => e.data !== undefined)
      .map((e) => JSON.parse(e.data ?? '') as { type: string; sequence_number: number });
    expect(data[0]).toMatchObject({ type: 'response.created', sequence_number: 0 });
    expect(data.at(-1)?.type).toBe('response.completed');
  });

  it('the SDK streams a response that started with keep-alives', async () => {
    stack.fake.script({ chunks: textChunks('patient answer'), startDelayMs: HEARTBEAT_MS * 3 });
    const stream = openaiClient(stack.url, 'k1').responses.stream({ model: 'gemini-flash-latest', input: 'x' });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('patient answer');
  });

  it('a stream whose keys all stall is kept alive, then ends with an error event and response.failed', async () => {
    const response = await post('stall-r-1,stall-r-2');
    expect(response.status).toBe(200);
    const read = await readSse(response);
    expect(read.raw.startsWith(': keep-alive')).toBe(true);
    const data = read.events
      .filter((e) => e.data !== undefined)
      .map(
        (e) =>
          JSON.parse(e.data ?? '') as { type: string; code?: string; response?: { status: string; error: unknown } },
      );
    expect(data.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'error', 'response.failed']);
    expect(data[2]).toMatchObject({ code: 'server_error', message: expect.any(String) });
    expect(data[3]?.response).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
  });
});
