import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/keys/fingerprint';
import { KeyPool } from '../../../src/keys/key-pool';
import { KeyState } from '../../../src/keys/key-state';
import { addCounts, COUNTERS, emptyCounts, type KeyStateStore, type UsageRow } from '../../../src/keys/key-state-store';
import { MemoryKeyStateStore } from '../../../src/keys/memory-key-state-store';

const MODEL = 'gemini-3.8-flash';
const NOW = Date.parse('2026-12-01T14:00:00Z');
const DAY = '2026-12-01';

function instance(shared: KeyStateStore | null, clock = { now: NOW }) {
  const logs: string[] = [];
  const pending: Promise<unknown>[] = [];
  const pool = new KeyPool({ windowMs: 10_000, now: () => clock.now });
  const state = new KeyState({
    pool,
    shared,
    now: () => clock.now,
    readTimeoutMs: 50,
    log: (level, event) => logs.push(`${level} ${event}`),
  });
  const waitUntil = (promise: Promise<unknown>) => void pending.push(promise);
  return { pool, state, logs, clock, waitUntil, settle: () => Promise.all(pending) };
}

describe('KeyState', () => {
  it('keeps today’s Pacific day until the next Pacific midnight, and recomputes it when the clock goes back', () => {
    const { state, clock } = instance(null);
    // 2026-12-02T07:59:59.999Z is 23:59:59.999 PST on Dec 1.
    const midnight = Date.parse('2026-12-02T08:00:00Z');
    expect(state.today()).toBe(DAY);
    clock.now = midnight - 1;
    expect(state.today()).toBe(DAY);
    clock.now = midnight;
    expect(state.today()).toBe('2026-12-02');
    clock.now = NOW;
    expect(state.today()).toBe(DAY);
  });

  it('shares a daily cooldown and adds up usage across instances through one store', async () => {
    const store = new MemoryKeyStateStore();
    const a = instance(store);
    const b = instance(store);
    const ledger = a.state.ledger(a.waitUntil);
    const cooldowns = a.pool.reportFailure('k0', {
      kind: 'rate-limited',
      retryDelayMs: null,
      window: 'day',
      model: MODEL,
    });
    ledger.attempt('k0', MODEL, 'rate-limited', { cooldowns });
    ledger.attempt('k1', MODEL, 'success');
    ledger.tokens({ promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 2 });
    ledger.commit();
    await a.settle();

    await b.state.refresh(['k0', 'k1']);
    expect(b.pool.order(['k0', 'k1'], MODEL).at(-1)).toBe('k0');
    expect(b.pool.cooldownRemaining('k0', 'gemini-3.6-flash')).toBe(0);
    const other = b.state.ledger(b.waitUntil);
    other.attempt('k1', MODEL, 'success');
    other.commit();
    await b.settle();

    const usage = await b.state.usage([fingerprint('k0'), fingerprint('k1')]);
    expect(usage.scope).toBe('shared');
    expect(usage.rows).toEqual(
      expect.arrayContaining([
        {
          id: fingerprint('k0'),
          model: MODEL,
          requests: 1,
          successes: 0,
          rateLimited: 1,
          failures: 0,
          inputTokens: 0,
          outputTokens: 0,
        },
        {
          id: fingerprint('k1'),
          model: MODEL,
          requests: 2,
          successes: 2,
          rateLimited: 0,
          failures: 0,
          inputTokens: 10,
          outputTokens: 7,
        },
      ]),
    );
    // Each instance's memory holds its own numbers only.
    expect((await b.state.local.readUsage(DAY, [fingerprint('k1')]))[0]?.requests).toBe(1);
  });

  it('credits tokens reported after the commit (a stream’s last chunk) in a second write', async () => {
    const store = new MemoryKeyStateStore();
    const a = instance(store);
    const ledger = a.state.ledger(a.waitUntil);
    ledger.attempt('k0', MODEL, 'success');
    ledger.commit();
    ledger.tokens({ promptTokenCount: 3, candidatesTokenCount: 4 });
    await a.settle();
    expect(await store.readUsage(DAY, [fingerprint('k0')])).toEqual([
      {
        id: fingerprint('k0'),
        model: MODEL,
        requests: 1,
        successes: 1,
        rateLimited: 0,
        failures: 0,
        inputTokens: 3,
        outputTokens: 4,
      },
    ]);
  });

  it('reads each key’s shared cooldowns at most once per couple of seconds', async () => {
    const store = new MemoryKeyStateStore();
    let reads = 0;
    const counting: KeyStateStore = {
      ...bind(store),
      readCooldowns: (ids) => {
        reads += 1;
        return store.readCooldowns(ids);
      },
    };
    const a = instance(counting);
    await a.state.refresh(['k0', 'k1']);
    await a.state.refresh(['k0', 'k1']);
    expect(reads).toBe(1);
    a.clock.now += 2_000;
    await a.state.refresh(['k0']);
    expect(reads).toBe(2);
  });

  it('falls back to memory on a store that fails or hangs, with one warning per instance', async () => {
    const broken: KeyStateStore = {
      readCooldowns: () => new Promise(() => {}),
      write: () => Promise.reject(new Error('ECONNREFUSED')),
      readUsage: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const a = instance(broken);
    await a.state.refresh(['k0']);
    expect(a.logs).toEqual(['warn shared key state unavailable, using this instance’s memory']);
    const ledger = a.state.ledger(a.waitUntil);
    ledger.attempt('k0', MODEL, 'success');
    ledger.commit();
    await a.settle();
    // Within the back-off, no further call waits for the store.
    await a.state.refresh(['k1']);
    a.clock.now += 30_000;
    await a.state.refresh(['k2']);
    const usage = await a.state.usage([fingerprint('k0')]);
    expect(usage).toEqual({ scope: 'instance', rows: [expect.objectContaining({ requests: 1, successes: 1 })] });
    expect(a.logs).toHaveLength(1);
  });

  it('without shared state, counts in memory and says the numbers are this instance’s', async () => {
    const a = instance(null);
    const ledger = a.state.ledger(a.waitUntil);
    ledger.attempt('k0', MODEL, 'failure');
    ledger.attempt('k0', null, 'failure');
    ledger.commit();
    expect(await a.state.usage([fingerprint('k0')])).toEqual({
      scope: 'instance',
      rows: [
        {
          id: fingerprint('k0'),
          model: MODEL,
          requests: 1,
          successes: 0,
          rateLimited: 0,
          failures: 1,
          inputTokens: 0,
          outputTokens: 0,
        },
      ],
    });
  });
});

describe('addCounts', () => {
  it.each(COUNTERS)('adds %s', (counter) => {
    const into = { ...emptyCounts(), [counter]: 2 };
    expect(addCounts(into, { ...emptyCounts(), [counter]: 3 })).toEqual({ ...emptyCounts(), [counter]: 5 });
  });
});

describe('MemoryKeyStateStore', () => {
  it('keeps the rows a trim after every write would keep, whatever the order of days', async () => {
    // The store trims only when the day changed since its last trim: this is the trim after every write.
    const trimmedEveryTime = (maxRows: number) => {
      const usage = new Map<string, UsageRow & { day: string }>();
      const dayBefore = (day: string) =>
        new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      return {
        usage,
        add(day: string, row: UsageRow) {
          const slot = `${day} ${row.id} ${row.model}`;
          const known = usage.get(slot) ?? { day, id: row.id, model: row.model, ...emptyCounts() };
          for (const counter of COUNTERS) known[counter] += row[counter];
          usage.set(slot, known);
          const oldest = dayBefore(day);
          for (const [slot, kept] of usage) {
            if (usage.size <= maxRows && kept.day >= oldest) break;
            if (usage.size > maxRows || kept.day < oldest) usage.delete(slot);
          }
        },
      };
    };
    const days = ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'];
    const write = fc.record({
      day: fc.constantFrom(...days),
      id: fc.constantFrom('k-a', 'k-b', 'k-c'),
      model: fc.constantFrom('m1', 'm2'),
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(write, { maxLength: 40 }), async (maxRows, writes) => {
        const store = new MemoryKeyStateStore({ maxRows });
        const model = trimmedEveryTime(maxRows);
        for (const { day, id, model: name } of writes) {
          const row = { id, model: name, ...emptyCounts(), requests: 1 };
          store.apply({ day, usage: [row], cooldowns: [], cleared: [] });
          model.add(day, row);
        }
        const kept = (await Promise.all(days.map((day) => store.readUsage(day, ['k-a', 'k-b', 'k-c'])))).flat();
        const expected = days.flatMap((day) =>
          [...model.usage.values()].filter((row) => row.day === day).map(({ day: _, ...row }) => row),
        );
        expect(kept).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
  });
});

function bind(store: MemoryKeyStateStore): KeyStateStore {
  return {
    readCooldowns: (ids) => store.readCooldowns(ids),
    write: (changes) => store.write(changes),
    readUsage: (day, ids) => store.readUsage(day, ids),
  };
}
