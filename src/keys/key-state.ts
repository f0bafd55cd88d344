import { fingerprint } from './fingerprint';
import type { CooldownRecord, KeyPool } from './key-pool';
import { emptyCounts, type KeyStateStore, type StateChanges, type UsageRow } from './key-state-store';
import { MemoryKeyStateStore } from './memory-key-state-store';
import { nextPacificMidnight, pacificDay } from './pacific-time';

/** After shared state failed, how long this instance uses its memory alone before trying again. */
const RETRY_SHARED_AFTER_MS = 30_000;
/** How long keys' cooldowns read from shared state are taken as current (a per-instance cache). */
const CACHE_MS = 2_000;
/** Most key fingerprints whose last read time is remembered. */
const MAX_CACHED = 10_000;

export interface KeyStateOptions {
  pool: KeyPool;
  /** Redis through Upstash (UPSTASH_REDIS_REST_URL …), or null: this instance's memory only. */
  shared: KeyStateStore | null;
  now: () => number;
  /** The longest a request waits for its one read of shared state. */
  readTimeoutMs: number;
  /** Instance-level log line (not a request's): the one warning when shared state fails. */
  log: (level: 'warn' | 'info', event: string, fields: Record<string, unknown>) => void;
}

/** What the platform offers to finish work after the answer has started (Vercel's `waitUntil`). */
export type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * The key pool's state beyond one request. The pool decides from memory, synchronously; with shared state,
 * a request first reads its keys' cooldowns from Redis in one batch (cached for a couple of seconds, bounded
 * by a short timeout) and its changes go back after the answer has started, through `waitUntil`. Usage is
 * always counted in memory too, so an instance without (or cut off from) Redis still has its own numbers.
 * Redis slow, down or misconfigured never fails a request: the instance carries on from memory, logs one
 * warning (not one per request) and tries Redis again after a while.
 */
export class KeyState {
  readonly pool: KeyPool;
  readonly local = new MemoryKeyStateStore();
  private readonly shared: KeyStateStore | null;
  private readonly now: () => number;
  private readonly readTimeoutMs: number;
  private readonly log: KeyStateOptions['log'];
  /** fingerprint → when its cooldowns were last read from shared state. */
  private readonly readAt = new Map<string, number>();
  private sharedDownUntil = 0;
  private warned = false;
  private failing = false;
  /** `today()`'s answer and the instants between which it holds. */
  private day: { day: string; from: number; until: number } | undefined;

  constructor(options: KeyStateOptions) {
    this.pool = options.pool;
    this.shared = options.shared;
    this.now = options.now;
    this.readTimeoutMs = options.readTimeoutMs;
    this.log = options.log;
  }

  /** Whether shared state is configured (the numbers are the deployment's, not this instance's). */
  get isShared(): boolean {
    return this.shared !== null;
  }

  /**
   * Brings the pool up to date with shared state for these keys: at most one batched read, never an error.
   * Undefined, not a promise, when there is nothing to read (no shared state, or it is resting): every
   * request asks, and the caller then does not wait a turn for nothing.
   */
  refresh(keys: readonly string[]): Promise<void> | undefined {
    const shared = this.shared;
    const now = this.now();
    if (!shared || now < this.sharedDownUntil) return undefined;
    return this.read(shared, keys, now);
  }

  private async read(shared: KeyStateStore, keys: readonly string[], now: number): Promise<void> {
    const stale = keys.map(fingerprint).filter((id) => {
      const readAt = this.readAt.get(id);
      return readAt === undefined || now - readAt >= CACHE_MS;
    });
    if (stale.length === 0) return;
    try {
      const records = await withTimeout(shared.readCooldowns(stale), this.readTimeoutMs);
      if (this.readAt.size + stale.length > MAX_CACHED) this.readAt.clear();
      for (const id of stale) this.readAt.set(id, now);
      this.pool.absorb(records);
      this.succeeded();
    } catch (error) {
      this.failed(error);
    }
  }

  /**
   * Today in Pacific time: the day Gemini's daily quotas and these counters belong to. Every request asks:
   * the answer is kept until the next Pacific midnight (or a clock that went back).
   */
  today(): string {
    const now = this.now();
    const known = this.day;
    if (known && now >= known.from && now < known.until) return known.day;
    const day = pacificDay(now);
    this.day = { day, from: now, until: nextPacificMidnight(now) };
    return day;
  }

  /** A request's own record of its attempts, written when `commit` is called. */
  ledger(waitUntil: WaitUntil): RequestLedger {
    return new RequestLedger(this, waitUntil);
  }

  /**
   * Usage of one Pacific day for these fingerprints, with their running cooldowns: from shared state when
   * it answers, else this instance's own (and `scope` says so).
   */
  async usage(ids: readonly string[], day = this.today()): Promise<{ scope: 'shared' | 'instance'; rows: UsageRow[] }> {
    if (this.shared && this.now() >= this.sharedDownUntil) {
      try {
        const [rows, cooldowns] = await withTimeout(
          Promise.all([this.shared.readUsage(day, ids), this.shared.readCooldowns(ids)]),
          this.readTimeoutMs * 4,
        );
        this.pool.absorb(cooldowns);
        this.succeeded();
        return { scope: 'shared', rows };
      } catch (error) {
        this.failed(error);
      }
    }
    return { scope: 'instance', rows: await this.local.readUsage(day, ids) };
  }

  /** @internal Applies a request's changes: in memory now, in shared state through `waitUntil`. */
  write(changes: StateChanges, waitUntil: WaitUntil): void {
    if (changes.usage.length > 0) this.local.apply({ ...changes, cooldowns: [], cleared: [] });
    const shared = this.shared;
    if (!shared || this.now() < this.sharedDownUntil) return;
    if (changes.usage.length === 0 && changes.cooldowns.length === 0 && changes.cleared.length === 0) return;
    waitUntil(
      shared.write(changes).then(
        () => this.succeeded(),
        (error: unknown) => this.failed(error),
      ),
    );
  }

  private succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.log('info', 'shared key state reachable again', {});
  }

  private failed(error: unknown): void {
    this.sharedDownUntil = this.now() + RETRY_SHARED_AFTER_MS;
    this.failing = true;
    if (this.warned) return;
    this.warned = true;
    // Once per instance: a Redis that is down would otherwise add a line to every request's log.
    this.log('warn', 'shared key state unavailable, using this instance’s memory', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      retryAfterMs: RETRY_SHARED_AFTER_MS,
    });
  }
}

export type AttemptOutcome = 'success' | 'rate-limited' | 'failure';

/** Token counts as Gemini reports them in `usageMetadata` (the whole answer's, or a stream's last chunk's). */
export interface GeminiUsage {
  promptTokenCount?: number | null;
  candidatesTokenCount?: number | null;
  thoughtsTokenCount?: number | null;
}

/**
 * One request's upstream calls, per key and model, and the tokens of its answer. Surfaces report tokens
 * through `tokens` (every surface reads Gemini's usageMetadata anyway); `commit` hands what is pending to
 * the key state, and runs again by itself for tokens reported after that (a stream's last chunk).
 */
export class RequestLedger {
  /** One row per (key, model) called, in the order of their first call: one or two in a request. */
  private rows: UsageRow[] = [];
  private cooldowns: CooldownRecord[] = [];
  private cleared: CooldownRecord[] = [];
  private answeredBy: { id: string; model: string } | null = null;
  private committed = false;

  constructor(
    private readonly state: KeyState,
    private readonly waitUntil: WaitUntil,
  ) {}

  /** One upstream call with `key` for `model` (null: not a model call, not counted) and what it changed. */
  attempt(
    key: string,
    model: string | null,
    outcome: AttemptOutcome,
    changes: { cooldowns?: readonly CooldownRecord[]; cleared?: readonly CooldownRecord[] } = {},
  ): void {
    if (changes.cooldowns) this.cooldowns.push(...changes.cooldowns);
    if (changes.cleared) this.cleared.push(...changes.cleared);
    if (model === null) return;
    const id = fingerprint(key);
    const row = this.row(id, model);
    row.requests += 1;
    if (outcome === 'success') {
      row.successes += 1;
      this.answeredBy = { id, model };
    } else if (outcome === 'rate-limited') row.rateLimited += 1;
    else row.failures += 1;
  }

  /** The answer's token counts, credited to the key and model that answered. */
  tokens(usage: GeminiUsage | null | undefined): void {
    if (!usage || !this.answeredBy) return;
    const row = this.row(this.answeredBy.id, this.answeredBy.model);
    row.inputTokens += usage.promptTokenCount ?? 0;
    row.outputTokens += (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
    if (this.committed) this.commit();
  }

  commit(): void {
    this.committed = true;
    if (this.rows.length === 0 && this.cooldowns.length === 0 && this.cleared.length === 0) return;
    const changes: StateChanges = {
      day: this.state.today(),
      usage: this.rows,
      cooldowns: this.cooldowns,
      cleared: this.cleared,
    };
    this.rows = [];
    this.cooldowns = [];
    this.cleared = [];
    this.state.write(changes, this.waitUntil);
  }

  private row(id: string, model: string): UsageRow {
    // Searched, not looked up in a map by an `id model` string: a request has a row or two, and building
    // and hashing the string cost more than the search.
    for (const row of this.rows) if (row.id === id && row.model === model) return row;
    const row = { id, model, ...emptyCounts() };
    this.rows.push(row);
    return row;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
