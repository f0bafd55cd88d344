/**
 * Values derived from parts of requests that clients send again and again — a coding agent sends the same
 * tools and system prompt on every turn, and the conversation so far with one turn more — remembered per
 * gateway instance and found again by the part's content, not by a key made from it: serialising 18 kB of
 * tools to make a key costs as much as what it would save (docs/performance.md), while walking two parsed
 * copies side by side costs a quarter of that. The memo is instance state like the key pool's (gateway.ts
 * creates one), bounded in entries and in size. It never hands a request anything but what that request's
 * own content would give; what it holds (tool definitions, system prompts, a few conversations' converted
 * turns) stays in the instance's memory after the request, like the request itself while it runs, and is
 * never logged or returned (docs/security.md).
 */
export interface ContentMemo {
  /**
   * What `derive()` made for an earlier `input` of this `kind` with the same content (sameJson), or
   * `derive()`'s value now, remembered (and `input` frozen). `weight` is the value's size in characters, about
   * that of `input`'s JSON: an input weighing more than the memo's whole room is derived and not kept.
   */
  recall<T>(kind: string, input: unknown, derive: () => T, weight: (value: T) => number): T;
  /** Records `json` as the JSON text of `value`, a derived value that is never changed (frozen). */
  recordJson(value: object, json: string): void;
  /** The JSON recorded for `value`, if any. */
  jsonOf(value: object): string | undefined;
  /** The recorded JSON as UTF-8, made once: what a request body splices in instead of serialising it again. */
  bytesOf(value: object): Uint8Array<ArrayBuffer> | undefined;
  /**
   * JSON.stringify(items) as UTF-8, in pieces to be joined: the pieces of remembered elements for the longest
   * prefix of `items` equal to a remembered array of this `kind` — a conversation sent again with a turn or
   * two more — which `items` then replaces. Elements remembered are frozen.
   */
  arrayBytes(kind: string, items: readonly object[]): Uint8Array<ArrayBuffer>[];
}

/** Entries per kind: a few agents (or a few tool sets of one) at once; more would be walked on every miss. */
const ENTRIES_PER_KIND = 4;
/** Characters of derived values kept over all kinds: bounded far below an Edge function's memory. */
const MAX_WEIGHT = 1024 * 1024;
/** Nesting deeper than any real tool list is compared as different: the walk stays short and never overflows. */
const MAX_DEPTH = 64;
/** Arrays (conversations) per kind: a few agents' sessions at once on one instance. */
const ARRAYS_PER_KIND = 4;
/** Characters of remembered arrays’ JSON over all kinds: one long agent session, or a few short ones. */
const MAX_ARRAY_WEIGHT = 2 * 1024 * 1024;

interface Entry {
  input: unknown;
  value: unknown;
  weight: number;
}

/** A remembered array: its elements (frozen) and, once a later array shared them, their JSON one by one. */
interface ArrayEntry {
  items: readonly object[];
  /** Element i's JSON as UTF-8, or undefined until an array repeating it needed it. */
  pieces: (Uint8Array<ArrayBuffer> | undefined)[];
  /** The array's JSON length: what it holds, about. */
  weight: number;
}

const utf8 = new TextEncoder();
const OPEN = utf8.encode('[');
const COMMA = utf8.encode(',');
const CLOSE = utf8.encode(']');

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
  private readonly derived = new BoundedLists<Entry>(ENTRIES_PER_KIND, MAX_WEIGHT);
  private readonly arrays = new BoundedLists<ArrayEntry>(ARRAYS_PER_KIND, MAX_ARRAY_WEIGHT);
  /** Weak: a value's JSON goes with the value, when the last request using it is done with it. */
  private readonly texts = new WeakMap<object, string>();
  private readonly bytes = new WeakMap<object, Uint8Array<ArrayBuffer>>();

  recordJson(value: object, json: string): void {
    this.texts.set(value, json);
  }

  jsonOf(value: object): string | undefined {
    return this.texts.get(value);
  }

  bytesOf(value: object): Uint8Array<ArrayBuffer> | undefined {
    let bytes = this.bytes.get(value);
    if (bytes === undefined) {
      const json = this.texts.get(value);
      if (json === undefined) return undefined;
      bytes = utf8.encode(json);
      this.bytes.set(value, bytes);
    }
    return bytes;
  }

  recall<T>(kind: string, input: unknown, derive: () => T, weigh: (value: T) => number): T {
    const entries = this.derived.of(kind);
    for (const entry of entries) {
      if (!sameJson(entry.input, input, 0)) continue;
      this.derived.add(entries, entry, entry);
      return entry.value as T;
    }
    const value = derive();
    // Later requests are compared with it: it must stay what it was.
    const entry: Entry = { input, value, weight: weigh(value) };
    if (this.derived.add(entries, entry, undefined)) deepFreeze(input);
    return value;
  }

  arrayBytes(kind: string, items: readonly object[]): Uint8Array<ArrayBuffer>[] {
    const entries = this.arrays.of(kind);
    let best: ArrayEntry | undefined;
    let shared = 0;
    for (const entry of entries) {
      const limit = Math.min(entry.items.length, items.length);
      let n = 0;
      while (n < limit && sameJson(entry.items[n], items[n], 0)) n++;
      if (n > shared) {
        best = entry;
        shared = n;
      }
    }
    if (best === undefined) {
      // A conversation not seen before: serialised whole, as without a memo; its elements' JSON is made
      // one by one only when a later request repeats them.
      const json = JSON.stringify(items);
      if (this.arrays.add(entries, { items, pieces: [], weight: json.length }, undefined)) {
        for (const item of items) deepFreeze(item);
      }
      return [utf8.encode(json)];
    }
    const elements: object[] = new Array(items.length);
    const pieces: Uint8Array<ArrayBuffer>[] = new Array(items.length);
    const out: Uint8Array<ArrayBuffer>[] = [OPEN];
    let weight = 2;
    for (let i = 0; i < items.length; i++) {
      let piece: Uint8Array<ArrayBuffer> | undefined;
      if (i < shared) {
        elements[i] = best.items[i] as object;
        piece = best.pieces[i];
        if (piece === undefined) {
          piece = utf8.encode(JSON.stringify(elements[i]));
          best.pieces[i] = piece;
        }
      } else {
        elements[i] = deepFreeze(items[i] as object);
        piece = utf8.encode(JSON.stringify(elements[i]));
      }
      pieces[i] = piece;
      weight += piece.length + 1;
      if (i > 0) out.push(COMMA);
      out.push(piece);
    }
    out.push(CLOSE);
    this.arrays.add(entries, { items: elements, pieces, weight }, shared === best.items.length ? best : undefined);
    return out;
  }
}

/**
 * Lists of entries by kind, most recently used first: at most `perKind` in a list and `maxWeight` over all
 * lists, the oldest going first.
 */
class BoundedLists<E extends { weight: number }> {
  private readonly lists = new Map<string, E[]>();
  private weight = 0;

  constructor(
    private readonly perKind: number,
    private readonly maxWeight: number,
  ) {}

  of(kind: string): E[] {
    let list = this.lists.get(kind);
    if (list === undefined) {
      list = [];
      this.lists.set(kind, list);
    }
    return list;
  }

  /**
   * `entry` first in `list`, in place of `replaces` (an entry of `list`, or `entry` itself to move it to the
   * front); whether it is kept: one heavier than all the room is not.
   */
  add(list: E[], entry: E, replaces: E | undefined): boolean {
    if (replaces !== undefined) {
      list.splice(list.indexOf(replaces), 1);
      this.weight -= replaces.weight;
    }
    if (entry.weight > this.maxWeight) return false;
    list.unshift(entry);
    this.weight += entry.weight;
    if (list.length > this.perKind) this.weight -= (list.pop() as E).weight;
    for (const other of this.lists.values()) {
      while (this.weight > this.maxWeight && other.length > 0 && other[other.length - 1] !== entry) {
        this.weight -= (other.pop() as E).weight;
      }
    }
    return true;
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
