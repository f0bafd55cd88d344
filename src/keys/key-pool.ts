import { fingerprint } from './fingerprint';

/**
 * Chooses the order in which a request tries its keys, and remembers which keys are cooling down.
 *
 * The first key is the seed's stateless time-window round robin, `slot = floor((now mod W) · n / W)`, so
 * every edge instance agrees without shared memory. The rest follow in ring order. Keys cooling down (after
 * a 429, or found invalid or leaked) keep their place relative to each other but go last. Cooldowns live in
 * this instance's memory only: best effort on Edge, where isolates share nothing (docs/key-pool.md).
 */

export type KeyFailure =
  /** 429: cool down for Gemini's RetryInfo delay. */
  | { kind: 'rate-limited'; retryDelayMs: number | null }
  /** Invalid, expired, leaked or suspended key: cool down for long. */
  | { kind: 'rejected' }
  /** 5xx, network error, timeout: the moment's fault, not the key's — no cooldown. */
  | { kind: 'transient' };

export interface KeyPoolOptions {
  windowMs: number;
  now: () => number;
  /** Used when a 429 carries no RetryInfo. */
  defaultRetryDelayMs?: number;
  /** Upper bound on any 429 cooldown, whatever the upstream asks. */
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

interface Cooldown {
  /** Time (ms) until which the key is cooling down. */
  until: number;
  /** When the failure that set it was reported: an attempt that started before then cannot clear it. */
  since: number;
}

export class KeyPool {
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly defaultRetryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly rejectedCooldownMs: number;
  private readonly maxTracked: number;
  private readonly pinned: ReadonlySet<string>;
  /** fingerprint → cooldown, for the pinned keys: as many entries as the deployment has keys. */
  private readonly pinnedCooldowns = new Map<string, Cooldown>();
  /** fingerprint → cooldown, for every other key; bounded by `maxTracked`. */
  private readonly clientCooldowns = new Map<string, Cooldown>();

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

  /** The keys in the order this request should try them: each exactly once. */
  order(keys: readonly string[]): string[] {
    const n = keys.length;
    if (n <= 1) return [...keys];
    const now = this.now();
    const start = KeyPool.slot(now, n, this.windowMs);
    const ready: string[] = [];
    const cooling: { key: string; until: number }[] = [];
    for (let i = 0; i < n; i++) {
      const key = keys[(start + i) % n] as string;
      const until = this.cooldownOf(fingerprint(key))?.until;
      if (until !== undefined && until > now) cooling.push({ key, until });
      else ready.push(key);
    }
    // Of the cooling keys, the one that recovers first is worth trying first.
    cooling.sort((a, b) => a.until - b.until);
    return ready.concat(cooling.map((entry) => entry.key));
  }

  /** Milliseconds the key still has to cool down (0 when ready). */
  cooldownRemaining(key: string): number {
    const until = this.cooldownOf(fingerprint(key))?.until;
    return until === undefined ? 0 : Math.max(0, until - this.now());
  }

  /**
   * An attempt with `key` that started at `attemptStartedAt` (this pool's clock) succeeded. It clears the
   * key's cooldown only if the failure behind it was reported before the attempt started: a slow success
   * that began before a 429 says nothing about the quota after it.
   */
  reportSuccess(key: string, attemptStartedAt: number): void {
    const id = fingerprint(key);
    const cooldown = this.cooldownOf(id);
    if (cooldown && cooldown.since < attemptStartedAt) this.mapOf(id).delete(id);
  }

  reportFailure(key: string, failure: KeyFailure): void {
    let delay: number;
    if (failure.kind === 'rate-limited') {
      delay = Math.min(failure.retryDelayMs ?? this.defaultRetryDelayMs, this.maxRetryDelayMs);
    } else if (failure.kind === 'rejected') {
      delay = this.rejectedCooldownMs;
    } else {
      return;
    }
    const id = fingerprint(key);
    const map = this.mapOf(id);
    const now = this.now();
    // Deleted first so that the map's insertion order is the order of the latest failures.
    map.delete(id);
    map.set(id, { until: now + Math.max(0, delay), since: now });
    if (map === this.clientCooldowns && map.size > this.maxTracked) this.evict();
  }

  private cooldownOf(id: string): Cooldown | undefined {
    return this.mapOf(id).get(id);
  }

  private mapOf(id: string): Map<string, Cooldown> {
    return this.pinned.has(id) ? this.pinnedCooldowns : this.clientCooldowns;
  }

  private evict(): void {
    const now = this.now();
    const map = this.clientCooldowns;
    for (const [id, cooldown] of map) if (cooldown.until <= now) map.delete(id);
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const id of map.keys()) {
      if (map.size <= this.maxTracked) break;
      map.delete(id);
    }
  }
}
