import type { Redis } from '@upstash/redis';
import type { CooldownRecord } from './key-pool';
import {
  COUNTERS,
  emptyCounts,
  type KeyStateStore,
  type StateChanges,
  type UsageCounts,
  type UsageRow,
} from './key-state-store';

/**
 * The state store in Redis, through Upstash's REST API (`@upstash/redis`: fetch-based, runs on Edge).
 * Every call is one HTTP request (a pipeline); keys appear only as fingerprints and every entry expires:
 *
 * - `gbl:cd:{fingerprint}`: a hash, field `*` (whole key) or a model name → `until:since:reason` (ms); the hash
 *   expires when its last cooldown ends (PEXPIREAT … NX, then GT, so a longer cooldown extends it);
 * - `gbl:u:{day}:{fingerprint}`: a hash, field `{model}|{counter}` → count; expires two days after it was
 *   last written, so today's and yesterday's numbers stay readable.
 */

const PREFIX = 'gbl';
const USAGE_TTL_SECONDS = 2 * 86_400;
const WHOLE_KEY = '*';

/** Deletes a cooldown only if it is still the one the success ended: another instance may have set a newer one. */
const CLEAR_IF_SAME =
  "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";

const COUNTER_FIELDS: Readonly<Record<keyof UsageCounts, string>> = {
  requests: 'req',
  successes: 'ok',
  rateLimited: '429',
  failures: 'err',
  inputTokens: 'in',
  outputTokens: 'out',
};

export class UpstashKeyStateStore implements KeyStateStore {
  constructor(private readonly redis: Redis) {}

  async readCooldowns(ids: readonly string[]): Promise<CooldownRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(cooldownKey(id));
    const hashes = await pipeline.exec<(Record<string, unknown> | null)[]>();
    const records: CooldownRecord[] = [];
    ids.forEach((id, i) => {
      for (const [field, value] of Object.entries(hashes[i] ?? {})) {
        const [untilText, sinceText, reasonText] = String(value).split(':');
        const until = Number(untilText);
        const since = Number(sinceText);
        if (!Number.isFinite(until) || !Number.isFinite(since)) continue;
        records.push({
          id,
          model: field === WHOLE_KEY ? null : field,
          until,
          since,
          reason: reasonText === 'rejected' ? 'rejected' : 'quota',
        });
      }
    });
    return records;
  }

  async write(changes: StateChanges): Promise<void> {
    const pipeline = this.redis.pipeline();
    let commands = 0;
    for (const record of changes.cooldowns) {
      const key = cooldownKey(record.id);
      pipeline.hset(key, { [record.model ?? WHOLE_KEY]: encodeCooldown(record) });
      pipeline.pexpireat(key, record.until, 'NX');
      pipeline.pexpireat(key, record.until, 'GT');
      commands += 3;
    }
    for (const record of changes.cleared) {
      pipeline.eval(CLEAR_IF_SAME, [cooldownKey(record.id)], [record.model ?? WHOLE_KEY, encodeCooldown(record)]);
      commands += 1;
    }
    const touched = new Set<string>();
    for (const row of changes.usage) {
      const key = usageKey(changes.day, row.id);
      for (const counter of COUNTERS) {
        if (row[counter] === 0) continue;
        pipeline.hincrby(key, `${row.model}|${COUNTER_FIELDS[counter]}`, row[counter]);
        commands += 1;
      }
      touched.add(key);
    }
    for (const key of touched) pipeline.expire(key, USAGE_TTL_SECONDS);
    if (commands > 0) await pipeline.exec();
  }

  async readUsage(day: string, ids: readonly string[]): Promise<UsageRow[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(usageKey(day, id));
    const hashes = await pipeline.exec<(Record<string, unknown> | null)[]>();
    const rows: UsageRow[] = [];
    ids.forEach((id, i) => {
      const byModel = new Map<string, UsageRow>();
      for (const [field, value] of Object.entries(hashes[i] ?? {})) {
        const cut = field.lastIndexOf('|');
        const counter = COUNTERS.find((name) => COUNTER_FIELDS[name] === field.slice(cut + 1));
        if (cut <= 0 || !counter) continue;
        const model = field.slice(0, cut);
        const row = byModel.get(model) ?? { id, model, ...emptyCounts() };
        row[counter] = Number(value) || 0;
        byModel.set(model, row);
      }
      rows.push(...byModel.values());
    });
    return rows;
  }
}

const encodeCooldown = (record: CooldownRecord) => `${record.until}:${record.since}:${record.reason}`;
const cooldownKey = (id: string) => `${PREFIX}:cd:${id}`;
const usageKey = (day: string, id: string) => `${PREFIX}:u:${day}:${id}`;
