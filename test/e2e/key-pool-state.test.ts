import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { textChunks } from '../fake-gemini';
import { DAY_WINDOW_MS, keysInSlotOrder } from './support/keys-in-slot-order';
import { type Stack, startStack } from './support/stack';

/**
 * The key pool's cooldowns as a client can reach them, through the real server (issue 12, item 7): made-up
 * client keys cannot push a server key's cooldown out, and a slow success cannot clear a newer 429.
 */
const TOKEN = 'pool-test-token';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS),
    // The quota key is the round robin's first pick for the whole test (a day-long window).
    GEMINI_API_KEYS: keysInSlotOrder(['quota-server-1', 'server-2']),
    ACCESS_TOKENS: TOKEN,
  });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const chat = (keys: string) =>
  fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys}` },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'pool test' }] }),
  });

describe('server-key cooldowns and client keys', () => {
  it('keeps a server key cooling after 10,100 junk client keys failed', { timeout: 120_000 }, async () => {
    expect((await chat(TOKEN)).status).toBe(200);
    expect(stack.fake.requests.map((r) => r.key)).toEqual(['quota-server-1', 'server-2']);

    // 101 requests of 100 made-up keys each: every key is refused upstream and cools down for an hour.
    const junk = (request: number) => Array.from({ length: 100 }, (_, i) => `bad-junk-${request}-${i}`).join(',');
    for (let batch = 0; batch < 101; batch += 4) {
      const requests = [];
      for (let request = batch; request < Math.min(batch + 4, 101); request++)
        requests.push(chat(junk(request)).then((r) => r.status));
      expect(await Promise.all(requests)).toEqual(requests.map(() => 400));
    }

    stack.fake.reset();
    expect((await chat(TOKEN)).status).toBe(200);
    // Still cooling: the quota key is tried last, so the working one answers first.
    expect(stack.fake.requests.map((r) => r.key)).toEqual(['server-2']);
  });
});

describe('a success from an attempt that started before a 429', () => {
  it('does not clear the newer cooldown', async () => {
    const keys = keysInSlotOrder(['slow-then-limited', 'other']);
    // 1st call: a slow success with the first key; 2nd call (another request, same key): 429.
    stack.fake.script({ chunks: textChunks('slow answer'), startDelayMs: 400 }, { keyError: 'quota' });
    const slow = chat(keys);
    await stack.fake.waitFor((requests) => requests.length === 1);
    expect((await chat(keys)).status).toBe(200);
    expect((await slow).status).toBe(200);
    expect(stack.fake.requests.map((r) => r.key)).toEqual(['slow-then-limited', 'slow-then-limited', 'other']);

    stack.fake.reset();
    expect((await chat(keys)).status).toBe(200);
    expect(stack.fake.requests.map((r) => r.key)).toEqual(['other']);
  });
});
