import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/keys/fingerprint';
import { KeyPool } from '../../../src/keys/key-pool';

const KEYS = ['k0', 'k1', 'k2', 'k3'];
const W = 10_000;

function poolAt(start: number) {
  const clock = { now: start };
  const pool = new KeyPool({ windowMs: W, now: () => clock.now });
  return { pool, clock };
}

describe('KeyPool time-window round robin', () => {
  it.each([
    [0, 0],
    [2_499, 0],
    [2_500, 1],
    [4_999, 1],
    [5_000, 2],
    [7_500, 3],
    [9_999, 3],
    [10_000, 0],
    [1_700_000_012_345, 0],
    [1_700_000_017_600, 3],
  ])('at t=%i the first key is slot %i of 4', (now, slot) => {
    expect(KeyPool.slot(now, 4, W)).toBe(slot);
    const { pool } = poolAt(now);
    expect(pool.order(KEYS)[0]).toBe(KEYS[slot]);
  });

  it('spreads first picks evenly over a window', () => {
    const { pool, clock } = poolAt(0);
    const counts = new Map<string, number>();
    for (let t = 0; t < W; t += 10) {
      clock.now = t;
      const first = pool.order(KEYS)[0] as string;
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([250, 250, 250, 250]);
  });

  it('continues in ring order after the first key, each key once', () => {
    const { pool } = poolAt(6_000);
    expect(pool.order(KEYS)).toEqual(['k2', 'k3', 'k0', 'k1']);
  });

  it('keeps a single key and an empty list as they are', () => {
    const { pool } = poolAt(6_000);
    expect(pool.order(['only'])).toEqual(['only']);
    expect(pool.order([])).toEqual([]);
  });
});

describe('KeyPool cooldowns', () => {
  it('moves a rate-limited key last for its retry delay, then back in place', () => {
    const { pool, clock } = poolAt(0);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: 34_000 });
    expect(pool.order(KEYS)).toEqual(['k1', 'k2', 'k3', 'k0']);
    expect(pool.cooldownRemaining('k0')).toBe(34_000);
    clock.now = 27_600; // still cooling; t mod W picks slot 3
    expect(pool.order(KEYS)).toEqual(['k3', 'k1', 'k2', 'k0']);
    clock.now = 40_000;
    expect(pool.order(KEYS)).toEqual(['k0', 'k1', 'k2', 'k3']);
  });

  it('uses 60 s when a 429 has no RetryInfo, and caps long delays', () => {
    const { pool } = poolAt(0);
    pool.reportFailure('k1', { kind: 'rate-limited', retryDelayMs: null });
    pool.reportFailure('k2', { kind: 'rate-limited', retryDelayMs: 86_400_000 });
    expect(pool.cooldownRemaining('k1')).toBe(60_000);
    expect(pool.cooldownRemaining('k2')).toBe(600_000);
  });

  it('cools a rejected (invalid or leaked) key for an hour', () => {
    const { pool, clock } = poolAt(0);
    pool.reportFailure('k0', { kind: 'rejected' });
    clock.now = 59 * 60_000;
    expect(pool.order(KEYS).at(-1)).toBe('k0');
    clock.now = 60 * 60_000;
    expect(pool.cooldownRemaining('k0')).toBe(0);
  });

  it('does not cool a key for a transient failure', () => {
    const { pool } = poolAt(0);
    pool.reportFailure('k0', { kind: 'transient' });
    expect(pool.order(KEYS)[0]).toBe('k0');
  });

  it('orders cooling keys by when they recover', () => {
    const { pool } = poolAt(0);
    pool.reportFailure('k0', { kind: 'rejected' });
    pool.reportFailure('k1', { kind: 'rate-limited', retryDelayMs: 5_000 });
    expect(pool.order(KEYS)).toEqual(['k2', 'k3', 'k1', 'k0']);
  });

  it('forgets a cooldown on success from an attempt that started after the failure', () => {
    const { pool, clock } = poolAt(0);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: 5_000 });
    clock.now = 10;
    pool.reportSuccess('k0', 5);
    expect(pool.order(KEYS)[0]).toBe('k0');
  });

  // Issue 12 item 7: a slow success that began before a 429 cleared that newer cooldown.
  it.each([
    ['before', 90],
    ['in the same millisecond as', 100],
  ])('keeps a cooldown when the successful attempt started %s the failure', (_when, startedAt) => {
    const { pool, clock } = poolAt(100);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: 5_000 });
    clock.now = 200;
    pool.reportSuccess('k0', startedAt);
    expect(pool.cooldownRemaining('k0')).toBe(4_900);
    expect(pool.order(KEYS).at(-1)).toBe('k0');
  });

  it('bounds the memory it keeps for cooldowns', () => {
    const clock = { now: 0 };
    const pool = new KeyPool({ windowMs: W, now: () => clock.now, maxTracked: 100 });
    for (let i = 0; i < 1_000; i++) pool.reportFailure(`key-${i}`, { kind: 'rejected' });
    expect(pool.cooldownRemaining('key-999')).toBeGreaterThan(0);
    expect(pool.cooldownRemaining('key-0')).toBe(0);
  });

  // Issue 12 item 7: 10,100 junk client keys evicted a server key's cooldown from the one shared map.
  it('never evicts a pinned (server) key, however many client keys fail', () => {
    const clock = { now: 0 };
    const pool = new KeyPool({ windowMs: W, now: () => clock.now, maxTracked: 100, pinnedKeys: ['server-key'] });
    pool.reportFailure('server-key', { kind: 'rate-limited', retryDelayMs: 60_000 });
    for (let i = 0; i < 10_100; i++) pool.reportFailure(`junk-${i}`, { kind: 'rejected' });
    clock.now = 1_000;
    expect(pool.cooldownRemaining('server-key')).toBe(59_000);
    expect(pool.order(['server-key', 'other-server-key'])).toEqual(['other-server-key', 'server-key']);
    expect(pool.cooldownRemaining('junk-10099')).toBeGreaterThan(0);
    expect(pool.cooldownRemaining('junk-0')).toBe(0);
  });

  it('clears a pinned key on a later success like any other', () => {
    const clock = { now: 0 };
    const pool = new KeyPool({ windowMs: W, now: () => clock.now, pinnedKeys: ['server-key'] });
    pool.reportFailure('server-key', { kind: 'rejected' });
    clock.now = 50;
    pool.reportSuccess('server-key', 10);
    expect(pool.cooldownRemaining('server-key')).toBe(0);
  });
});

// Issue 16: Gemini's quotas are per model, daily ones reset at midnight Pacific time.
describe('KeyPool quota-aware cooldowns', () => {
  const MODEL = 'gemini-3.8-flash';
  const OTHER = 'gemini-3.6-flash';
  // 2026-12-01 14:26 UTC = 06:26 PST; the next reset is 2026-12-02 08:00 UTC.
  const NOW = Date.parse('2026-12-01T14:26:00Z');
  const RESET = Date.parse('2026-12-02T08:00:00Z');
  const slot0 = NOW - (NOW % W); // a time whose round-robin slot is 0

  it('cools the (key, model) pair for RetryInfo’s delay on a per-minute quota', () => {
    const { pool, clock } = poolAt(slot0);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: 34_000, window: 'minute', model: MODEL });
    expect(pool.order(KEYS, MODEL)).toEqual(['k1', 'k2', 'k3', 'k0']);
    expect(pool.cooldownRemaining('k0', MODEL)).toBe(34_000);
    clock.now = slot0 + 40_000;
    expect(pool.order(KEYS, MODEL)[0]).toBe('k0');
  });

  it('cools the pair until the next midnight in Los Angeles on a per-day quota, whatever RetryInfo says', () => {
    const { pool, clock } = poolAt(slot0);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: 36_000, window: 'day', model: MODEL });
    expect(slot0 + pool.cooldownRemaining('k0', MODEL)).toBe(RESET);
    clock.now = RESET - 1 - ((RESET - 1) % W);
    expect(pool.order(KEYS, MODEL).at(-1)).toBe('k0');
    clock.now = RESET;
    expect(pool.cooldownRemaining('k0', MODEL)).toBe(0);
  });

  it('keeps a key cooling for one model first in line for the others, in round-robin order', () => {
    const { pool } = poolAt(slot0);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: null, window: 'day', model: MODEL });
    expect(pool.order(KEYS, OTHER)).toEqual(['k0', 'k1', 'k2', 'k3']);
    expect(pool.order(KEYS)).toEqual(['k0', 'k1', 'k2', 'k3']);
    expect(pool.recoversAt(KEYS, OTHER)).toBeNull();
  });

  it('cools the whole key on a 429 that names no model', () => {
    const { pool } = poolAt(slot0);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: null, window: null, model: null });
    expect(pool.order(KEYS, OTHER)).toEqual(['k1', 'k2', 'k3', 'k0']);
    expect(pool.cooldownRemaining('k0', OTHER)).toBe(60_000);
  });

  it('says when the first key recovers once every key cools for the model', () => {
    const { pool } = poolAt(slot0);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: 30_000, window: 'minute', model: MODEL });
    pool.reportFailure('k1', { kind: 'rate-limited', retryDelayMs: 10_000, window: 'minute', model: MODEL });
    expect(pool.recoversAt(['k0', 'k1', 'k2'], MODEL)).toBeNull();
    pool.reportFailure('k2', { kind: 'rejected' });
    expect(pool.recoversAt(['k0', 'k1', 'k2'], MODEL)).toBe(slot0 + 10_000);
    expect(pool.recoversAt(['k0', 'k1', 'k2'], OTHER)).toBeNull();
    expect(pool.recoversAt([], MODEL)).toBeNull();
  });

  it('clears the model’s and the whole key’s cooldowns on a later success, not other models’', () => {
    const { pool, clock } = poolAt(slot0);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: 30_000, window: 'minute', model: MODEL });
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: 30_000, window: 'minute', model: OTHER });
    clock.now = slot0 + 10;
    const cleared = pool.reportSuccess('k0', slot0 + 5, MODEL);
    expect(cleared.map((record) => record.model)).toEqual([MODEL]);
    expect(pool.cooldownRemaining('k0', MODEL)).toBe(0);
    expect(pool.cooldownRemaining('k0', OTHER)).toBe(29_990);
  });

  it('absorbs cooldowns learnt elsewhere unless its own are newer', () => {
    const { pool } = poolAt(slot0);
    const [id0, id1] = ['k0', 'k1'].map((key) => fingerprint(key)) as [string, string];
    pool.absorb([
      { id: id0, model: MODEL, until: RESET, since: slot0 - 1_000, reason: 'quota' },
      { id: id1, model: null, until: slot0 - 1, since: slot0 - 5_000, reason: 'rejected' },
    ]);
    expect(pool.order(KEYS, MODEL)).toEqual(['k1', 'k2', 'k3', 'k0']);
    expect(pool.cooldownsOf(id0)).toEqual([
      { id: id0, model: MODEL, until: RESET, since: slot0 - 1_000, reason: 'quota' },
    ]);
    pool.reportFailure('k1', { kind: 'rate-limited', retryDelayMs: 5_000, window: 'minute', model: MODEL });
    pool.absorb([{ id: id1, model: MODEL, until: RESET, since: slot0 - 1, reason: 'quota' }]);
    expect(pool.cooldownRemaining('k1', MODEL)).toBe(5_000);
  });

  it('plans the ready keys, then the rejected ones; keys cooling on a quota are not tried', () => {
    const { pool } = poolAt(slot0);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: 30_000, window: 'minute', model: MODEL });
    pool.reportFailure('k1', { kind: 'rejected' });
    expect(pool.plan(KEYS, MODEL)).toEqual({ keys: ['k2', 'k3', 'k1'], retryAt: null });
    expect(pool.plan(KEYS, OTHER)).toEqual({ keys: ['k0', 'k2', 'k3', 'k1'], retryAt: null });
  });

  it('plans nothing, with the first recovery, when no key is ready and some cool on a quota', () => {
    const { pool } = poolAt(slot0);
    pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: null, window: 'day', model: MODEL });
    pool.reportFailure('k1', { kind: 'rate-limited', retryDelayMs: 20_000, window: 'minute', model: MODEL });
    pool.reportFailure('k2', { kind: 'rejected' });
    expect(pool.plan(['k0', 'k1', 'k2'], MODEL)).toEqual({ keys: [], retryAt: slot0 + 20_000 });
    // Only rejected keys: try them (the client then hears Gemini's own 400 or 403, not a 429).
    expect(pool.plan(['k2'], MODEL)).toEqual({ keys: ['k2'], retryAt: null });
  });

  it('returns the cooldowns it sets, for shared state', () => {
    const { pool } = poolAt(slot0);
    expect(
      pool.reportFailure('k0', { kind: 'rate-limited', retryDelayMs: null, window: 'day', model: MODEL }, MODEL),
    ).toEqual([{ id: fingerprint('k0'), model: MODEL, until: RESET, since: slot0, reason: 'quota' }]);
    expect(pool.reportFailure('k0', { kind: 'transient' })).toEqual([]);
  });

  // The default mapping sends rolling aliases; Google counts the quota against the model the alias points to.
  it('cools a key for the requested alias too when the 429 names the model behind it', () => {
    const { pool } = poolAt(slot0);
    const set = pool.reportFailure(
      'k0',
      { kind: 'rate-limited', retryDelayMs: null, window: 'day', model: MODEL },
      'gemini-flash-latest',
    );
    expect(set.map((record) => record.model)).toEqual([MODEL, 'gemini-flash-latest']);
    expect(pool.plan(['k0', 'k1'], 'gemini-flash-latest').keys).toEqual(['k1']);
    expect(pool.plan(['k0', 'k1'], MODEL).keys).toEqual(['k1']);
    expect(pool.plan(['k0', 'k1'], OTHER).keys).toEqual(['k0', 'k1']);
  });
});
