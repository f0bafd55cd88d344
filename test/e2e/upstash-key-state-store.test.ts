import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/fingerprint';
import { emptyCounts } from '../../src/keys/key-state-store';
import { UpstashKeyStateStore } from '../../src/keys/upstash-key-state-store';
import { RespClient } from '../redis/resp-client';
import { HAS_REDIS, type RedisServer, startRedis } from '../redis/start-redis';
import { startUpstashBridge, type UpstashBridge } from '../redis/upstash-bridge';

if (!HAS_REDIS)
  console.warn(
    'SKIPPED: redis-server is not installed (apt-get install -y redis-server); the shared-state tests need it.',
  );

// The store against a real redis-server, through the real @upstash/redis client and the REST bridge.
describe.skipIf(!HAS_REDIS)('UpstashKeyStateStore on a real Redis', () => {
  let redis: RedisServer;
  let bridge: UpstashBridge;
  let store: UpstashKeyStateStore;
  let raw: RespClient;
  const KEY = 'AIzaSyD-this-is-a-made-up-key-of-39-chars';
  const id = fingerprint(KEY);
  const now = Date.now();

  beforeAll(async () => {
    redis = await startRedis();
    bridge = await startUpstashBridge(redis.port);
    store = new UpstashKeyStateStore(
      new Redis({ url: bridge.url, token: bridge.token, enableTelemetry: false, retry: { retries: 0 } }),
    );
    raw = await RespClient.connect(redis.port);
  });
  afterAll(async () => {
    raw?.close();
    await bridge?.close();
    await redis?.kill();
  });

  it('stores cooldowns and usage under fingerprints, every entry with a TTL, and reads them back', async () => {
    const cooldown = { id, model: 'gemini-3.8-flash', until: now + 60_000, since: now, reason: 'quota' as const };
    const whole = { id, model: null, until: now + 5_000, since: now, reason: 'rejected' as const };
    await store.write({
      day: '2026-12-01',
      cooldowns: [cooldown, whole],
      cleared: [],
      usage: [
        {
          id,
          model: 'gemini-3.8-flash',
          ...emptyCounts(),
          requests: 2,
          successes: 1,
          rateLimited: 1,
          inputTokens: 12,
          outputTokens: 30,
        },
      ],
    });
    expect(await store.readCooldowns([id, fingerprint('other')])).toEqual(expect.arrayContaining([cooldown, whole]));
    expect(await store.readUsage('2026-12-01', [id])).toEqual([
      {
        id,
        model: 'gemini-3.8-flash',
        requests: 2,
        successes: 1,
        rateLimited: 1,
        failures: 0,
        inputTokens: 12,
        outputTokens: 30,
      },
    ]);

    const keys = (await raw.command(['KEYS', '*'])) as string[];
    expect(keys.sort()).toEqual([`gbl:cd:${id}`, `gbl:u:2026-12-01:${id}`]);
    for (const key of keys) expect(await raw.command(['PTTL', key])).toBeGreaterThan(0);
    // The hash lives as long as its longest cooldown.
    expect(await raw.command(['PTTL', `gbl:cd:${id}`])).toBeGreaterThan(50_000);
    expect(JSON.stringify(bridge.commands)).not.toContain(KEY);
  });

  it('clears a cooldown only if it is still the one the success ended', async () => {
    const older = { id, model: 'gemini-3.6-flash', until: now + 60_000, since: now - 10, reason: 'quota' as const };
    await store.write({ day: '2026-12-01', cooldowns: [older], cleared: [], usage: [] });
    const newer = { ...older, since: now, until: now + 90_000 };
    await store.write({ day: '2026-12-01', cooldowns: [newer], cleared: [older], usage: [] });
    expect(await store.readCooldowns([id])).toContainEqual(newer);
    await store.write({ day: '2026-12-01', cooldowns: [], cleared: [newer], usage: [] });
    expect(await store.readCooldowns([id])).not.toContainEqual(newer);
  });

  it('adds usage up across writers', async () => {
    const row = { id, model: 'gemini-3.1-pro', ...emptyCounts(), requests: 1, failures: 1 };
    await Promise.all(
      [1, 2, 3].map(() => store.write({ day: '2026-12-02', cooldowns: [], cleared: [], usage: [row] })),
    );
    expect(await store.readUsage('2026-12-02', [id])).toEqual([{ ...row, requests: 3, failures: 3 }]);
  });
});
