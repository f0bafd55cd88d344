import { RateLimitError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/fingerprint';
import { nextPacificMidnight } from '../../src/keys/pacific-time';
import type { EdgeServer } from '../../src/local/serve-edge';
import { startGateway } from '../../src/local/start';
import type { StatsBody } from '../../src/stats/handle-stats';
import { RespClient } from '../redis/resp-client';
import { HAS_REDIS, type RedisServer, startRedis } from '../redis/start-redis';
import { startUpstashBridge, type UpstashBridge } from '../redis/upstash-bridge';
import { DAY_WINDOW_MS, keysInSlotOrder } from './support/keys-in-slot-order';
import { openaiClient } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * Issue 16's proof: two gateway servers (two edge instances) share one real Redis, reached through the
 * real @upstash/redis client and an Upstash-REST-compatible bridge. What one learns, the other skips; the
 * counters add up across both; and when Redis dies, no request is lost.
 */
if (!HAS_REDIS)
  console.warn(
    'SKIPPED: redis-server is not installed (apt-get install -y redis-server); the shared-state tests need it.',
  );

const TOKEN = 'shared-state-token';
const DAY_LIMITED = 'day-limited-server-key';
const FRESH = 'fresh-server-key';
const FLASH = 'gemini-3.8-flash';
const OTHER = 'gemini-3.6-flash';

let redis: RedisServer;
let bridge: UpstashBridge;
let raw: RespClient;
let a: Stack;
let b: EdgeServer;
const bLogs: string[] = [];

describe.skipIf(!HAS_REDIS)('two instances sharing key state through Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
    bridge = await startUpstashBridge(redis.port);
    raw = await RespClient.connect(redis.port);
    const env = {
      KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS),
      // The day-limited key is the round robin's first pick for the whole test.
      GEMINI_API_KEYS: keysInSlotOrder([DAY_LIMITED, FRESH]),
      ACCESS_TOKENS: TOKEN,
      UPSTASH_REDIS_REST_URL: bridge.url,
      UPSTASH_REDIS_REST_TOKEN: bridge.token,
      LOG_LEVEL: 'warn',
    };
    a = await startStack(env);
    b = await startGateway({ env: { ...env, GEMINI_BASE_URL: a.fake.origin }, onLog: (line) => bLogs.push(line) });
  });
  afterAll(async () => {
    raw?.close();
    await b?.close();
    await a?.close();
    await bridge?.close();
    await redis?.kill();
  });
  beforeEach(() => {
    a.fake.reset();
    a.fake.setKey(DAY_LIMITED, { kind: 'quotaday', retryDelay: '36s', models: [FLASH] });
  });

  const chat = (url: string, model: string, key = TOKEN) =>
    openaiClient(url, key).chat.completions.create({ model, messages: [{ role: 'user', content: 'shared' }] });
  const keysCalled = () => a.fake.requests.map((request) => request.key);
  /** Writes go out after the answer (waitUntil): wait until Redis holds the key's cooldown. */
  const storedCooldown = async (key: string) => {
    for (;;) {
      const fields = (await raw.command(['HGETALL', `gbl:cd:${fingerprint(key)}`])) as string[];
      if (fields.length > 0) return fields;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const stats = async (url: string, credential = TOKEN): Promise<StatsBody> => {
    const response = await fetch(`${url}/stats`, { headers: { authorization: `Bearer ${credential}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as StatsBody;
  };

  it('a per-day 429 seen by one instance is skipped by the other, for that model only', async () => {
    await chat(a.url, FLASH);
    expect(keysCalled()).toEqual([DAY_LIMITED, FRESH]);
    expect(await storedCooldown(DAY_LIMITED)).toEqual([FLASH, expect.stringMatching(/^\d+:\d+:quota$/)]);

    a.fake.requests.length = 0;
    await chat(b.url, FLASH);
    expect(keysCalled()).toEqual([FRESH]);
    // The native surface of the same instance knows it too.
    const native = await fetch(`${b.url}/v1beta/models/${FLASH}:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': TOKEN },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'shared' }] }] }),
    });
    expect(native.status).toBe(200);
    expect(keysCalled()).toEqual([FRESH, FRESH]);

    // Every other model still starts with the key, in round-robin order.
    a.fake.requests.length = 0;
    await chat(b.url, OTHER);
    expect(keysCalled()).toEqual([DAY_LIMITED]);
  });

  it('answers 429 at once, in each caller’s format with retry-after, when every key cools for the model', async () => {
    const keys = ['dayq-client-a', 'dayq-client-b'];
    for (const key of keys) a.fake.setKey(key, { kind: 'quotaday', retryDelay: '36s', models: [FLASH] });
    const first = await chat(a.url, FLASH, keys.join(',')).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(RateLimitError);
    expect(keysCalled().sort()).toEqual([...keys].sort());
    for (const key of keys) await storedCooldown(key);

    a.fake.requests.length = 0;
    const expected = Math.ceil((nextPacificMidnight(Date.now()) - Date.now()) / 1000);
    const openai = await fetch(`${b.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.join(',')}` },
      body: JSON.stringify({ model: FLASH, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(openai.status).toBe(429);
    expect(await openai.json()).toEqual({
      error: {
        message: expect.stringContaining(`over its quota for ${FLASH}`),
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    const retryAfter = Number(openai.headers.get('retry-after'));
    expect(Math.abs(retryAfter - expected)).toBeLessThan(60);

    const native = await fetch(`${b.url}/v1beta/models/${FLASH}:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': keys.join(',') },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }),
    });
    expect(native.status).toBe(429);
    expect(await native.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
    expect(native.headers.get('retry-after')).toBe(openai.headers.get('retry-after'));
    expect(keysCalled()).toEqual([]);

    // The same keys for another model: Google is asked as usual.
    await chat(b.url, OTHER, keys.join(','));
    expect(keysCalled()).toHaveLength(1);
  });

  it('adds the counters up across both instances, under fingerprints only', async () => {
    const before = await stats(a.url);
    await chat(a.url, OTHER);
    await chat(b.url, OTHER);
    await chat(b.url, FLASH);
    const expectRequests = (body: StatsBody) => body.totals.requests - before.totals.requests;
    let fromA: StatsBody;
    for (;;) {
      fromA = await stats(a.url);
      if (expectRequests(fromA) === keysCalled().length) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const fromB = await stats(b.url);
    expect(fromA.scope).toBe('shared');
    expect(fromB.totals).toEqual(fromA.totals);
    expect(fromB.keys.map((key) => key.key)).toEqual(fromA.keys.map((key) => key.key));
    expect(fromA.keySource).toBe('server');
    const flash = fromA.keys
      .find((key) => key.key === fingerprint(DAY_LIMITED))
      ?.models.find((row) => row.model === FLASH);
    expect(flash).toMatchObject({
      rateLimited: 1,
      successes: 0,
      coolingUntil: new Date(nextPacificMidnight(Date.now())).toISOString(),
    });

    // A caller with its own keys sees those keys only.
    const own = await stats(b.url, 'dayq-client-a');
    expect(own.keySource).toBe('client');
    expect(own.keys.map((key) => key.key)).toEqual([fingerprint('dayq-client-a')]);

    const stored = JSON.stringify(await raw.command(['KEYS', '*']));
    for (const key of [DAY_LIMITED, FRESH, 'dayq-client-a', TOKEN]) expect(stored).not.toContain(key);
    expect(JSON.stringify(bridge.commands)).not.toContain(DAY_LIMITED);
  });

  it('loses no request when Redis dies mid-test, with one warning per instance', async () => {
    await redis.kill();
    const answers = await Promise.all([a.url, b.url, a.url, b.url, a.url, b.url].map((url) => chat(url, OTHER)));
    expect(answers.map((answer) => answer.choices[0]?.message.content)).toEqual(
      answers.map(() => expect.stringContaining('shared')),
    );
    for (const url of [a.url, b.url]) expect((await stats(url)).scope).toBe('instance');
    const warnings = (logs: string[]) => logs.filter((line) => line.includes('shared key state unavailable'));
    expect(warnings(a.logs)).toHaveLength(1);
    expect(warnings(bLogs)).toHaveLength(1);
    // What an instance learnt before is still in its memory: the day-limited key stays skipped for Flash.
    a.fake.requests.length = 0;
    await chat(b.url, FLASH);
    expect(keysCalled()).toEqual([FRESH]);
  });
});
