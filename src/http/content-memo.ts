/**
 * Values derived from a part of a request that clients send again and again — a coding agent sends the same
 * tool list on every turn — remembered per gateway instance and found again by the part's content, not by a
 * key made from it: serialising 18 kB of tools to make a key costs as much as what it would save
 * (docs/performance.md), while walking two parsed copies side by side costs a quarter of that. The memo is
 * instance state like the key pool's (gateway.ts creates one), bounded in entries and in size, and holds
 * nothing secret: tool definitions and what is made from them.
 */
export interface ContentMemo {
  /**
   * What `derive()` made for an earlier `input` of this `kind` with the same content (sameJson), or
   * `derive()`'s value now, remembered. `weight` is the value's size in characters, about that of `input`'s
   * JSON: an input weighing more than the memo's whole room is derived and not kept.
   */
  recall<T>(kind: string, input: unknown, derive: () => T, weight: (value: T) => number): T;
  /** Records `json` as the JSON text of `value`, a derived value that is never changed (frozen). */
  recordJson(value: object, json: string): void;
  /** The JSON recorded for `value`, if any: what a request body can splice in instead of serialising it again. */
  jsonOf(value: object): string | undefined;
}

/** Entries per kind: a few agents (or a few tool sets of one) at once; more would be walked on every miss. */
const ENTRIES_PER_KIND = 4;
/** Characters of derived values kept over all kinds: bounded far below an Edge function's memory. */
const MAX_WEIGHT = 1024 * 1024;
/** Nesting deeper than any real tool list is compared as different: the walk stays short and never overflows. */
const MAX_DEPTH = 64;

interface Entry {
  input: unknown;
  value: unknown;
  weight: number;
}

export function createContentMemo(): ContentMemo {
  return new RecentContents();
}

/**
 * `value` as remembered: an earlier one with the same JSON text (the same object each time), or `value` itself
 * — either way frozen, with its JSON recorded. For parts of a Gemini body that repeat on every turn (the system
 * instruction), which the body then splices in instead of serialising again (generate-content-request.ts).
 */
export function rememberJson<T extends object>(memo: ContentMemo | undefined, kind: string, value: T): T {
  if (!memo) return value;
  return memo.recall(
    kind,
    value,
    () => {
      memo.recordJson(deepFreeze(value), JSON.stringify(value));
      return value;
    },
    (remembered) => memo.jsonOf(remembered)?.length ?? 0,
  );
}

/** Frozen all the way down: what the memo hands to later requests can never be changed by one of them. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

class RecentContents implements ContentMemo {
  private readonly kinds = new Map<string, Entry[]>();
  private weight = 0;
  /** Weak: a value's JSON goes with the value, when the last request using it is done with it. */
  private readonly texts = new WeakMap<object, string>();

  recordJson(value: object, json: string): void {
    this.texts.set(value, json);
  }

  jsonOf(value: object): string | undefined {
    return this.texts.get(value);
  }

  recall<T>(kind: string, input: unknown, derive: () => T, weigh: (value: T) => number): T {
    let entries = this.kinds.get(kind);
    if (entries === undefined) {
      entries = [];
      this.kinds.set(kind, entries);
    }
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as Entry;
      if (!sameJson(entry.input, input, 0)) continue;
      if (i > 0) {
        entries.splice(i, 1);
        entries.unshift(entry);
      }
      return entry.value as T;
    }
    const value = derive();
    const weight = weigh(value);
    if (weight > MAX_WEIGHT) return value;
    entries.unshift({ input, value, weight });
    this.weight += weight;
    if (entries.length > ENTRIES_PER_KIND) this.weight -= (entries.pop() as Entry).weight;
    if (this.weight > MAX_WEIGHT) this.evictBut(entries[0] as Entry);
    return value;
  }

  /** Oldest first across kinds, until the memo fits; `keep` (just made) stays. */
  private evictBut(keep: Entry): void {
    for (const entries of this.kinds.values()) {
      while (this.weight > MAX_WEIGHT && entries.length > 0 && entries[entries.length - 1] !== keep) {
        this.weight -= (entries.pop() as Entry).weight;
      }
    }
  }
}

/**
 * Whether two parsed JSON values would serialise to the same text: arrays element by element, objects with the
 * same members in the same order, the same primitives. Order counts because conversions read it (a schema's
 * `properties` become Gemini's `propertyOrdering`). Anything unusual — a NaN, nesting past MAX_DEPTH — counts
 * as different, which only costs a derivation.
 */
export function sameJson(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth >= MAX_DEPTH) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i] as string;
    if (key !== keysB[i]) return false;
    if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}
