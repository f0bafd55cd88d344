import { fingerprint } from './fingerprint';
import { nextPacificMidnight } from './pacific-time';

/**
 * Chooses the order in which a request tries its keys, and remembers which keys are cooling down — for
 * every model, or for one model only.
 *
 * The first key is the seed's stateless time-window round robin, `slot = floor((now mod W) · n / W)`, so
 * every edge instance agrees without shared memory. The rest follow in ring order. Keys cooling down for the
 * request's model (after a 429) or for every model (found invalid or leaked, or a 429 naming no model) keep
 * their place relative to each other but go last. Gemini's free-tier quotas are per project and per model
 * (https://ai.google.dev/gemini-api/docs/rate-limits): a key whose day is used up for one model is still first
 * in line for the others. Cooldowns live in this instance's memory; with shared state configured, the
 * gateway also copies them to and from Redis (key-state.ts, docs/key-pool.md).
 */

export type KeyFailure =
  /**
   * 429. `window` and `model` come from the body's QuotaFailure (read-quota-failure.ts): a per-day quota
   * cools the (key, model) pair until the next midnight in Los Angeles, a per-minute one for RetryInfo's
   * delay; a 429 naming no model cools the whole key for that delay.
   */
  | { kind: 'rate-limited'; retryDelayMs: number | null; window?: 'minute' | 'day' | null; model?: string | null }
  /** Invalid, expired, leaked or suspended key: the whole key cools for long. */
  | { kind: 'rejected' }
  /** 5xx, network error, timeout: the moment's fault, not the key's — no cooldown. */
  | { kind: 'transient' };

/** One cooldown, as the pool keeps it and as shared state stores it (keys only by fingerprint). */
export interface CooldownRecord {
  /** The key's fingerprint. */
  id: string;
  /** The model it cools for; null: every model. */
  model: string | null;
  /** `quota`: a 429 (another call now would only get another one). `rejected`: invalid, leaked or suspended. */
  reason: 'quota' | 'rejected';
  /** Time (ms) until which it cools. */
  until: number;
  /** When the failure that set it was reported: an attempt that started before then cannot clear it. */
  since: number;
}

export interface KeyPoolOptions {
  windowMs: number;
  now: () => number;
  /** Used when a 429 carries no RetryInfo. */
  defaultRetryDelayMs?: number;
  /** Upper bound on a per-minute or unnamed 429 cooldown, whatever the upstream asks (daily ones end at midnight PT). */
  maxRetryDelayMs?: number;
  /** Cooldown for a key the upstream rejected as invalid or leaked. */
  rejectedCooldownMs?: number;
  /** Most cooldowns remembered for client keys; clients send arbitrary keys, so the map must not grow without bound. */
  maxTracked?: number;
  /**
   * The deployment's own keys (GEMINI_API_KEYS): their cooldowns live apart from the client keys' bounded
   * map, so no number of made-up client keys can push them out (a few thousand junk keys did before).
   */
  pinnedKeys?: readonly string[];
}

/** Map key of a cooldown: the fingerprint alone for the whole key, `fingerprint model` for one model. */
const slotOf = (id: string, model: string | null) => (model === null ? id : `${id} ${model}`);

/** `keys` starting at `start`, each once. */
function rotate(keys: readonly string[], start: number): string[] {
  const n = keys.length;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = keys[(start + i) % n] as string;
  return out;
}

export class KeyPool {
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly defaultRetryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly rejectedCooldownMs: number;
  private readonly maxTracked: number;
  private readonly pinned: ReadonlySet<string>;
  /** slot → cooldown, for the pinned keys: a few entries per deployment key. */
  private readonly pinnedCooldowns = new Map<string, CooldownRecord>();
  /** slot → cooldown, for every other key; bounded by `maxTracked`. */
  private readonly clientCooldowns = new Map<string, CooldownRecord>();

  constructor(options: KeyPoolOptions) {
    this.windowMs = options.windowMs;
    this.now = options.now;
    this.defaultRetryDelayMs = options.defaultRetryDelayMs ?? 60_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10 * 60_000;
    this.rejectedCooldownMs = options.rejectedCooldownMs ?? 60 * 60_000;
    this.maxTracked = options.maxTracked ?? 10_000;
    this.pinned = new Set((options.pinnedKeys ?? []).map(fingerprint));
  }

  /** The seed's slot for `n` keys at time `now`. */
  static slot(now: number, n: number, windowMs: number): number {
    const offset = ((now % windowMs) + windowMs) % windowMs;
    return Math.floor((offset * n) / windowMs);
  }

  /** The keys in the order a request for `model` should try them: each exactly once. */
  order(keys: readonly string[], model: string | null = null): string[] {
    const n = keys.length;
    if (n <= 1) return [...keys];
    const now = this.now();
    const start = KeyPool.slot(now, n, this.windowMs);
    if (this.idle()) return rotate(keys, start);
    const ready: string[] = [];
    const cooling: { key: string; until: number }[] = [];
    for (let i = 0; i < n; i++) {
      const key = keys[(start + i) % n] as string;
      const until = this.coolingUntil(fingerprint(key), model, now);
      if (until > now) cooling.push({ key, until });
      else ready.push(key);
    }
    // Of the cooling keys, the one that recovers first is worth trying first.
    cooling.sort((a, b) => a.until - b.until);
    return ready.concat(cooling.map((entry) => entry.key));
  }

  /**
   * The attempts a request for `model` makes: the ready keys in `order`'s order, then the keys cooling
   * because they were rejected (the one that recovers first, first — a key may have been fixed). Keys
   * cooling on a quota are left out: another call now would only get another 429 and spend time. When no
   * key is ready and some cool on a quota, there is nothing worth trying: `retryAt` is when the first of
   * them recovers, and the request is answered 429 at once with it, without calling Google.
   */
  plan(keys: readonly string[], model: string | null = null): { keys: string[]; retryAt: number | null } {
    if (this.idle()) return { keys: this.order(keys, model), retryAt: null };
    const now = this.now();
    const attempts: string[] = [];
    const rejected: { key: string; until: number }[] = [];
    let retryAt = Number.POSITIVE_INFINITY;
    for (const key of this.order(keys, model)) {
      const cooldown = this.binding(fingerprint(key), model, now);
      if (!cooldown) attempts.push(key);
      else if (cooldown.reason === 'rejected') rejected.push({ key, until: cooldown.until });
      else retryAt = Math.min(retryAt, cooldown.until);
    }
    if (attempts.length === 0 && Number.isFinite(retryAt)) return { keys: [], retryAt };
    return { keys: attempts.concat(rejected.map((entry) => entry.key)), retryAt: null };
  }

  /**
   * When the first of `keys` is ready again for `model` while all of them cool; null when one is ready
   * now. Sent as `retry-after` with a 429 passed on from Gemini.
   */
  recoversAt(keys: readonly string[], model: string | null = null): number | null {
    const now = this.now();
    let first = Number.POSITIVE_INFINITY;
    for (const key of keys) {
      const until = this.coolingUntil(fingerprint(key), model, now);
      if (until <= now) return null;
      first = Math.min(first, until);
    }
    return Number.isFinite(first) ? first : null;
  }

  /** Milliseconds the key still has to cool down for `model` (0 when ready). */
  cooldownRemaining(key: string, model: string | null = null): number {
    const now = this.now();
    return Math.max(0, this.coolingUntil(fingerprint(key), model, now) - now);
  }

  /** The cooldowns still running for a key fingerprint, whole-key first (for `/stats`). */
  cooldownsOf(id: string): CooldownRecord[] {
    const now = this.now();
    const map = this.mapOf(id);
    const found: CooldownRecord[] = [];
    for (const record of map.values()) if (record.id === id && record.until > now) found.push(record);
    return found.sort((a, b) => (a.model === null ? -1 : b.model === null ? 1 : a.model.localeCompare(b.model)));
  }

  /**
   * An attempt with `key` for `model` that started at `attemptStartedAt` (this pool's clock) succeeded. It
   * clears the key's whole-key cooldown and the one for that model, each only if the failure behind it was
   * reported before the attempt started: a slow success that began before a 429 says nothing about the
   * quota after it. Returns what it cleared, for shared state to forget too.
   */
  reportSuccess(key: string, attemptStartedAt: number, model: string | null = null): CooldownRecord[] {
    // Nothing cools (the usual case): nothing to clear, and the key need not be fingerprinted for it.
    if (this.idle()) return [];
    const id = fingerprint(key);
    const map = this.mapOf(id);
    const cleared: CooldownRecord[] = [];
    for (const slot of model === null ? [slotOf(id, null)] : [slotOf(id, null), slotOf(id, model)]) {
      const record = map.get(slot);
      if (record && record.since < attemptStartedAt) {
        map.delete(slot);
        cleared.push(record);
      }
    }
    return cleared;
  }

  /**
   * Records a failure of `key` in a request for `requestModel`; returns the cooldowns it set (for shared
   * state). A 429 naming another model than the request's — a rolling alias such as `gemini-flash-latest`
   * is counted against the model it points to — cools the key for both names, so the next request for the
   * same name skips it too.
   */
  reportFailure(key: string, failure: KeyFailure, requestModel: string | null = null): CooldownRecord[] {
    const now = this.now();
    let until: number;
    let models: (string | null)[] = [null];
    const reason = failure.kind === 'rejected' ? 'rejected' : 'quota';
    if (failure.kind === 'rate-limited') {
      const named = failure.model ?? null;
      models = named === null || requestModel === null || requestModel === named ? [named] : [named, requestModel];
      until =
        failure.window === 'day'
          ? nextPacificMidnight(now)
          : now + Math.max(0, Math.min(failure.retryDelayMs ?? this.defaultRetryDelayMs, this.maxRetryDelayMs));
    } else if (failure.kind === 'rejected') {
      until = now + this.rejectedCooldownMs;
    } else {
      return [];
    }
    const id = fingerprint(key);
    const records = models.map((model): CooldownRecord => ({ id, model, until, since: now, reason }));
    for (const record of records) this.store(record);
    return records;
  }

  /**
   * Cooldowns learnt elsewhere (another instance, through shared state): each replaces what this pool knows
   * of the same key and model unless this pool's own is newer.
   */
  absorb(records: readonly CooldownRecord[]): void {
    const now = this.now();
    for (const record of records) {
      if (record.until <= now) continue;
      const known = this.mapOf(record.id).get(slotOf(record.id, record.model));
      if (known && known.since >= record.since) continue;
      this.store(record);
    }
  }

  private store(record: CooldownRecord): void {
    const map = this.mapOf(record.id);
    const slot = slotOf(record.id, record.model);
    // Deleted first so that the map's insertion order is the order of the latest failures.
    map.delete(slot);
    map.set(slot, record);
    if (map === this.clientCooldowns && map.size > this.maxTracked) this.evict();
  }

  /** Until when the key (by fingerprint) cools for `model`: the later of its whole-key and per-model cooldowns. */
  /**
   * No key cools (the usual case): the order is the rotation alone, without fingerprinting every key of the
   * pool twice per request (a deployment may hold dozens).
   */
  private idle(): boolean {
    return this.pinnedCooldowns.size === 0 && this.clientCooldowns.size === 0;
  }

  private coolingUntil(id: string, model: string | null, now: number): number {
    return this.binding(id, model, now)?.until ?? 0;
  }

  /** The running cooldown that holds the key longest for `model`, if any. */
  private binding(id: string, model: string | null, now: number): CooldownRecord | undefined {
    const map = this.mapOf(id);
    const whole = map.get(slotOf(id, null));
    const forModel = model === null ? undefined : map.get(slotOf(id, model));
    const longest = (forModel?.until ?? 0) > (whole?.until ?? 0) ? forModel : whole;
    return longest && longest.until > now ? longest : undefined;
  }

  private mapOf(id: string): Map<string, CooldownRecord> {
    return this.pinned.has(id) ? this.pinnedCooldowns : this.clientCooldowns;
  }

  private evict(): void {
    const now = this.now();
    const map = this.clientCooldowns;
    for (const [slot, record] of map) if (record.until <= now) map.delete(slot);
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const slot of map.keys()) {
      if (map.size <= this.maxTracked) break;
      map.delete(slot);
    }
  }
}
