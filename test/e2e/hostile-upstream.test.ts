import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_SSE_EVENT_LENGTH } from '../../src/gemini/decode-sse-stream';
import { dataEvents, readSse } from './support/read-sse';
import { type Stack, startStack } from './support/stack';

/**
 * A hostile or broken upstream (a relay set as GEMINI_BASE_URL makes one real), through the real server:
 * what it sends is bounded before the gateway holds or scans it (issue 12, item 6).
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ STREAM_IDLE_TIMEOUT_MS: '5000' });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

describe('an SSE line that never ends', () => {
  it('ends the OpenAI stream with an error event once the event passes the limit, and releases the upstream', async () => {
    stack.fake.script({ fault: 'endless-sse-line' });
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k1' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hostile line' }], stream: true }),
    });
    expect(response.status).toBe(200);
    const read = await readSse(response);
    expect(read.raw).not.toContain('[DONE]');
    const events = dataEvents<{ choices?: unknown[]; error?: unknown }>(read);
    // The first, well-formed event still arrives; the endless one becomes the error event.
    expect(events[0]?.choices).toBeDefined();
    expect(events.at(-1)).toEqual({
      error: {
        message: `The Gemini API sent a stream event longer than ${MAX_SSE_EVENT_LENGTH} characters.`,
        type: 'server_error',
        param: null,
        code: 'upstream_event_too_large',
      },
    });
    await expect.poll(() => stack.fake.requests[0]?.aborted, { timeout: 5_000 }).toBe(true);
  });
});
