import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { fingerprint } from '../keys/fingerprint';
import { COUNTERS, emptyCounts, type UsageCounts } from '../keys/key-state-store';
import { nextPacificMidnight } from '../keys/pacific-time';

export interface StatsModelRow extends UsageCounts {
  model: string;
  /** ISO time until which the key cools for this model; null when ready. */
  coolingUntil: string | null;
}

export interface StatsKey {
  /** The key's fingerprint; keys never appear in full. */
  key: string;
  /** ISO time until which the whole key cools (invalid, leaked, or a 429 naming no model); null when ready. */
  coolingUntil: string | null;
  models: StatsModelRow[];
  totals: UsageCounts;
}

export interface StatsBody {
  object: 'key_pool.stats';
  /** The Pacific day counted (Gemini's quota day), YYYY-MM-DD. */
  day: string;
  timeZone: 'America/Los_Angeles';
  /** When daily quotas reset next. */
  resetsAt: string;
  /** `shared`: every instance's numbers, from Redis. `instance`: this edge instance's own since it started. */
  scope: 'shared' | 'instance';
  /** Whose keys: the server pool (access token) or the caller's own. */
  keySource: 'server' | 'client';
  keys: StatsKey[];
  totals: UsageCounts;
}

/**
 * `GET /stats`: usage and cooldowns per key fingerprint and model for today (Pacific time), as JSON. An
 * access token shows the server pool; anyone else sees only the keys they send (the same rule as every
 * other route, resolve-keys.ts), so no caller learns about keys it does not hold.
 */
export async function handleStats(request: Request, ctx: RequestContext): Promise<Response> {
  const state = ctx.keyState;
  if (!state) throw new GatewayError(503, 'Usage numbers are not available here.', { code: 'stats_unavailable' });
  const ids = ctx.keys.map(fingerprint);
  const day = new URL(request.url).searchParams.get('day') ?? state.today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
    throw new GatewayError(400, 'day must look like 2026-12-01.', { code: 'invalid_day', param: 'day' });
  const { scope, rows } = await state.usage(ids, day);
  const now = ctx.deps.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  const keys = ids.map((id): StatsKey => {
    const models = new Map<string, StatsModelRow>();
    const rowFor = (model: string) => {
      let row = models.get(model);
      if (!row) {
        row = { model, ...emptyCounts(), coolingUntil: null };
        models.set(model, row);
      }
      return row;
    };
    for (const row of rows) {
      if (row.id !== id) continue;
      const target = rowFor(row.model);
      for (const counter of COUNTERS) target[counter] += row[counter];
    }
    let coolingUntil: string | null = null;
    for (const cooldown of state.pool.cooldownsOf(id)) {
      if (cooldown.model === null) coolingUntil = iso(cooldown.until);
      else rowFor(cooldown.model).coolingUntil = iso(cooldown.until);
    }
    const sorted = [...models.values()].sort((a, b) => a.model.localeCompare(b.model));
    return { key: id, coolingUntil, models: sorted, totals: sum(sorted) };
  });

  const body: StatsBody = {
    object: 'key_pool.stats',
    day,
    timeZone: 'America/Los_Angeles',
    resetsAt: iso(nextPacificMidnight(now)),
    scope,
    keySource: ctx.stats.keySource === 'server' ? 'server' : 'client',
    keys,
    totals: sum(keys.map((key) => key.totals)),
  };
  return new Response(JSON.stringify(body, null, 2), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function sum(rows: readonly UsageCounts[]): UsageCounts {
  const total = emptyCounts();
  for (const row of rows) for (const counter of COUNTERS) total[counter] += row[counter];
  return total;
}
