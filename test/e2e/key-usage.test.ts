import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/fingerprint';
import type { StatsBody } from '../../src/stats/handle-stats';
import { textChunks, textReply } from '../fake-gemini';
import { openaiClient } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * Usage numbers without shared state (issue 16): every surface reports the tokens of Gemini's usageMetadata —
 * a whole answer's, or a stream's last chunk's — to the key and model that answered, and `GET /stats` says
 * the numbers are this instance's.
 */
const TOKEN = 'usage-token';
const KEY = 'usage-server-key';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ GEMINI_API_KEYS: KEY, ACCESS_TOKENS: TOKEN });
});
afterAll(() => stack.close());

const native = (path: string, search = '') =>
  fetch(`${stack.url}/v1beta/models/gemini-3.6-flash:${path}${search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': TOKEN },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'count me' }] }] }),
  });

describe('usage numbers', () => {
  it('counts requests and tokens of every surface, streamed or whole', async () => {
    const client = openaiClient(stack.url, TOKEN);
    const messages = [{ role: 'user' as const, content: 'count me' }];
    stack.fake.script(
      { reply: textReply('one two three', { promptTokenCount: 10 }) },
      { chunks: textChunks('four five', { promptTokenCount: 20 }) },
      { reply: textReply('six', { promptTokenCount: 30 }) },
      { chunks: textChunks('seven eight nine ten', { promptTokenCount: 40 }) },
      { chunks: textChunks('eleven', { promptTokenCount: 50 }) },
    );
    await client.chat.completions.create({ model: 'gemini-3.8-flash', messages });
    for await (const _chunk of await client.chat.completions.create({
      model: 'gemini-3.8-flash',
      messages,
      stream: true,
    }));
    expect((await native('generateContent')).status).toBe(200);
    expect(await (await native('streamGenerateContent', '?alt=sse')).text()).toMatch(/^data: /);
    expect(await (await native('streamGenerateContent')).text()).toMatch(/^\[/);

    const response = await fetch(`${stack.url}/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.headers.get('cache-control')).toBe('no-store');
    const stats = (await response.json()) as StatsBody;
    expect(stats).toMatchObject({
      object: 'key_pool.stats',
      scope: 'instance',
      keySource: 'server',
      timeZone: 'America/Los_Angeles',
    });
    const row = (model: string) => stats.keys[0]?.models.find((entry) => entry.model === model);
    expect(stats.keys.map((key) => key.key)).toEqual([fingerprint(KEY)]);
    expect(row('gemini-3.8-flash')).toEqual({
      model: 'gemini-3.8-flash',
      requests: 2,
      successes: 2,
      rateLimited: 0,
      failures: 0,
      inputTokens: 30,
      outputTokens: 5,
      coolingUntil: null,
    });
    expect(row('gemini-3.6-flash')).toEqual({
      model: 'gemini-3.6-flash',
      requests: 3,
      successes: 3,
      rateLimited: 0,
      failures: 0,
      inputTokens: 120,
      outputTokens: 6,
      coolingUntil: null,
    });
    expect(stats.totals).toMatchObject({ requests: 5, inputTokens: 150, outputTokens: 11 });
    expect(JSON.stringify(stats)).not.toContain(KEY);
  });

  it('counts the tokens of the Anthropic and Responses surfaces too, streamed or whole', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${stack.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${TOKEN}`,
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify(body),
      });
    const model = 'gemini-3.1-flash-lite';
    stack.fake.script(
      { reply: textReply('one', { promptTokenCount: 1 }) },
      { chunks: textChunks('two', { promptTokenCount: 2 }) },
      { reply: textReply('three', { promptTokenCount: 4 }) },
      { chunks: textChunks('four', { promptTokenCount: 8 }) },
    );
    const messages = { model, max_tokens: 100, messages: [{ role: 'user', content: 'count me' }] };
    expect((await post('/v1/messages', messages)).status).toBe(200);
    expect(await (await post('/v1/messages', { ...messages, stream: true })).text()).toContain('message_stop');
    expect((await post('/v1/responses', { model, input: 'count me' })).status).toBe(200);
    expect(await (await post('/v1/responses', { model, input: 'count me', stream: true })).text()).toContain(
      'response.completed',
    );

    const response = await fetch(`${stack.url}/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const stats = (await response.json()) as StatsBody;
    const row = stats.keys[0]?.models.find((entry) => entry.model === model);
    expect(row).toMatchObject({ requests: 4, successes: 4, inputTokens: 15 });
  });

  // Gemini sends no Retry-After (its delay is in the body); the openai and Anthropic SDKs honour the header.
  it('sets retry-after on a 429 passed on from Gemini, in both formats', async () => {
    stack.fake.setKey('minute-a', { kind: 'quota', retryDelay: '34s' });
    stack.fake.setKey('minute-b', { kind: 'quota', retryDelay: '20s' });
    const openai = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer minute-a,minute-b' },
      body: JSON.stringify({ model: 'gemini-3.8-flash', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(openai.status).toBe(429);
    expect(await openai.json()).toMatchObject({
      error: { message: expect.stringContaining('You exceeded your current quota'), code: 'rate_limit_exceeded' },
    });
    expect(Number(openai.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
    expect(Number(openai.headers.get('retry-after'))).toBeLessThanOrEqual(20);

    stack.fake.setKey('minute-c', { kind: 'quota', retryDelay: '34s' });
    const native = await fetch(`${stack.url}/v1beta/models/gemini-3.6-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'minute-c' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }),
    });
    expect(native.status).toBe(429);
    expect(await native.json()).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED', details: expect.any(Array) } });
    expect(Number(native.headers.get('retry-after'))).toBeGreaterThanOrEqual(33);
    expect(Number(native.headers.get('retry-after'))).toBeLessThanOrEqual(34);
  });

  it('needs a credential: the server pool’s numbers for an access token only', async () => {
    expect((await fetch(`${stack.url}/stats`)).status).toBe(401);
    const own = (await (
      await fetch(`${stack.url}/stats`, { headers: { authorization: 'Bearer my-own-key' } })
    ).json()) as StatsBody;
    expect(own).toMatchObject({ keySource: 'client', keys: [{ key: fingerprint('my-own-key'), models: [] }] });
    expect(
      (await fetch(`${stack.url}/stats`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(405);
  });
});
