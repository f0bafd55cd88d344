import type { CooldownRecord } from './key-pool';
import { addCounts, emptyCounts, type KeyStateStore, type StateChanges, type UsageRow } from './key-state-store';

/**
 * The state store in this instance's memory: what every deployment has without configuration, and what the
 * gateway falls back to when shared state cannot be reached. Bounded like the pool: usage rows for a few
 * days and at most `maxRows` of them (clients send arbitrary keys), oldest dropped first.
 */
export class MemoryKeyStateStore implements KeyStateStore {
  private readonly maxRows: number;
  /** `day id model` → counters, in insertion order. */
  private readonly usage = new Map<string, UsageRow & { day: string }>();
  /** `id model` → cooldown. */
  private readonly cooldowns = new Map<string, CooldownRecord>();
  /** The last day asked about and the day before it: every request's write asks about the same day. */
  private lastDay: { day: string; before: string } | undefined;
  /**
   * The day of the last trim that left only rows of that day and the day before, within `maxRows`. Rows of
   * that day added since keep it so: trimming again for the same day would walk the map to find nothing.
   */
  private trimmedFor: string | undefined;

  constructor(options: { maxRows?: number } = {}) {
    this.maxRows = options.maxRows ?? 20_000;
  }

  async readCooldowns(ids: readonly string[]): Promise<CooldownRecord[]> {
    const wanted = new Set(ids);
    return [...this.cooldowns.values()].filter((record) => wanted.has(record.id));
  }

  async write(changes: StateChanges): Promise<void> {
    this.apply(changes);
  }

  /** `write` without the promise: the gateway counts its own usage synchronously, on the request's path. */
  apply(changes: StateChanges): void {
    for (const record of changes.cooldowns) this.cooldowns.set(`${record.id} ${record.model ?? ''}`, record);
    for (const record of changes.cleared) {
      const slot = `${record.id} ${record.model ?? ''}`;
      if (this.cooldowns.get(slot)?.since === record.since) this.cooldowns.delete(slot);
    }
    for (const row of changes.usage) {
      const slot = `${changes.day} ${row.id} ${row.model}`;
      const known = this.usage.get(slot);
      if (known) addCounts(known, row);
      else this.usage.set(slot, addCounts({ day: changes.day, id: row.id, model: row.model, ...emptyCounts() }, row));
    }
    this.trim(changes);
  }

  async readUsage(day: string, ids: readonly string[]): Promise<UsageRow[]> {
    const wanted = new Set(ids);
    const rows: UsageRow[] = [];
    for (const { day: rowDay, ...row } of this.usage.values()) if (rowDay === day && wanted.has(row.id)) rows.push(row);
    return rows;
  }

  private trim(changes: StateChanges): void {
    // Days other than today and the day before are of no more use to anyone (Redis expires them the same way).
    if (this.usage.size > this.maxRows || (changes.usage.length > 0 && this.trimmedFor !== changes.day)) {
      const oldest = this.dayBefore(changes.day);
      for (const [slot, row] of this.usage) {
        if (this.usage.size <= this.maxRows && row.day >= oldest) break;
        if (this.usage.size > this.maxRows || row.day < oldest) this.usage.delete(slot);
      }
      this.trimmedFor = changes.day;
    }
    if (this.cooldowns.size > this.maxRows) {
      for (const slot of this.cooldowns.keys()) {
        if (this.cooldowns.size <= this.maxRows) break;
        this.cooldowns.delete(slot);
      }
    }
  }

  private dayBefore(day: string): string {
    if (this.lastDay?.day !== day) this.lastDay = { day, before: previousDay(day) };
    return this.lastDay.before;
  }
}

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
