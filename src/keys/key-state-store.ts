import type { CooldownRecord } from './key-pool';

/**
 * Where the key pool's state lives beyond one request: cooldowns (key pool) and usage counters, keys only by
 * fingerprint. Two implementations: this instance's memory (memory-key-state-store.ts, always there) and
 * Redis over Upstash's REST API (upstash-key-state-store.ts), shared by every edge instance of a deployment.
 */
export interface KeyStateStore {
  /** The cooldowns stored for these key fingerprints (some may have ended: the pool skips those). */
  readCooldowns(ids: readonly string[]): Promise<CooldownRecord[]>;
  /** Applies one request's changes. */
  write(changes: StateChanges): Promise<void>;
  /** The counters of one Pacific day (YYYY-MM-DD) for these key fingerprints. */
  readUsage(day: string, ids: readonly string[]): Promise<UsageRow[]>;
}

export interface UsageCounts {
  /** Upstream calls made with the key for the model. */
  requests: number;
  successes: number;
  /** 429 answers. */
  rateLimited: number;
  /** Every other failed call: network errors, timeouts, 5xx, rejected keys, the client's own 4xx. */
  failures: number;
  /** From Gemini's usageMetadata: promptTokenCount. */
  inputTokens: number;
  /** From Gemini's usageMetadata: candidatesTokenCount + thoughtsTokenCount (both are billed as output). */
  outputTokens: number;
}

export interface UsageRow extends UsageCounts {
  /** The key's fingerprint. */
  id: string;
  model: string;
}

export interface StateChanges {
  /** The Pacific day the usage belongs to. */
  day: string;
  cooldowns: readonly CooldownRecord[];
  /** Cooldowns a later success ended. */
  cleared: readonly CooldownRecord[];
  /** Increments, one row per (key, model). */
  usage: readonly UsageRow[];
}

export const COUNTERS = [
  'requests',
  'successes',
  'rateLimited',
  'failures',
  'inputTokens',
  'outputTokens',
] as const satisfies readonly (keyof UsageCounts)[];

export const emptyCounts = (): UsageCounts => ({
  requests: 0,
  successes: 0,
  rateLimited: 0,
  failures: 0,
  inputTokens: 0,
  outputTokens: 0,
});

/**
 * `into`'s counters plus `from`'s, each counter named (a loop over COUNTERS indexed the rows by name, the
 * larger part of counting a request's usage).
 */
export function addCounts<T extends UsageCounts>(into: T, from: UsageCounts): T {
  into.requests += from.requests;
  into.successes += from.successes;
  into.rateLimited += from.rateLimited;
  into.failures += from.failures;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  return into;
}
