import { isPlainObject } from './json-schema-object';

/**
 * The small checks the hand-read fast paths share (read-plain-messages, read-plain-tools, read-plain-input,
 * read-chat-request): each answers exactly what the zod schema they stand in for would accept, so a fast path
 * built from them takes a value only where the schema would take it as it is.
 */

/** A parsed JSON object, as the hand readers index it. */
export type PlainJson = Record<string, unknown>;

/** A JSON object: not null, not an array (zod's `object` before its fields). */
export function isJsonObject(value: unknown): value is PlainJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** zod's `nullish(string())` for `object[key]`: absent, null or a string (read with `in`, as zod does). */
export function isNullishText(object: PlainJson, key: string): boolean {
  if (!(key in object)) return true;
  const value = object[key];
  return value === null || value === undefined || typeof value === 'string';
}

/**
 * What jsonSchemaObject passes on as it is: zod's plain-object test on an object without an own `__proto__`
 * key (that one the schema copies without the key, which is left to it). No identity check against `Object`:
 * inside the Edge Runtime VM the bundle's `Object` is not the realm's JSON.parse uses.
 */
export function isSchemaObject(value: unknown): value is PlainJson {
  return isPlainObject(value) && !Object.hasOwn(value, '__proto__');
}

/** What a field reader returns for a value it leaves to the schema (read-chat-request and its kin). */
export const UNREAD: unique symbol = Symbol('unread');
export type Read = unknown | typeof UNREAD;

/** `z.nullish(z.string())`. */
export function nullishText(value: unknown): Read {
  return value == null || typeof value === 'string' ? value : UNREAD;
}

/** `z.nullish(z.boolean())`. */
export function nullishBoolean(value: unknown): Read {
  return value == null || typeof value === 'boolean' ? value : UNREAD;
}

/** Only an absent or null value: anything else in these fields is left to the schema. */
export function nullOnly(value: unknown): Read {
  return value == null ? value : UNREAD;
}

/** `z.nullish(z.number())` within [min, max]: zod's number refuses NaN and ±Infinity (JSON's 1e400). */
export function nullishNumber(value: unknown, min: number, max: number): Read {
  if (value == null) return value;
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : UNREAD;
}

/** `z.nullish(int32(min, max))` and `z.int()` with bounds inside int32. */
export function nullishInteger(value: unknown, min: number, max: number): Read {
  if (value == null) return value;
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : UNREAD;
}

/**
 * Copies `from[key]` into `to` when present (checked with `in`, as zod does) and a nullish boolean / text /
 * JSON Schema object / one of `allowed`; false when present and anything else.
 */
export function copyNullishBoolean(from: PlainJson, to: PlainJson, key: string): boolean {
  return copyIf(from, to, key, isBoolean);
}

export function copyNullishText(from: PlainJson, to: PlainJson, key: string): boolean {
  return copyIf(from, to, key, isText);
}

/** jsonSchemaObject passes a plain object on as it is; one with an own `__proto__` key is copied there. */
export function copyNullishSchema(from: PlainJson, to: PlainJson, key: string): boolean {
  return copyIf(from, to, key, isSchemaObject);
}

export function copyNullishOneOf(from: PlainJson, to: PlainJson, key: string, allowed: readonly unknown[]): boolean {
  if (!(key in from)) return true;
  const value = from[key];
  if (value != null && !allowed.includes(value)) return false;
  to[key] = value;
  return true;
}

// Module-level predicates: a closure made per call would be one more allocation per field while V8 warms up.
const isBoolean = (value: unknown) => typeof value === 'boolean';
const isText = (value: unknown) => typeof value === 'string';

function copyIf(from: PlainJson, to: PlainJson, key: string, accepts: (value: unknown) => boolean): boolean {
  if (!(key in from)) return true;
  const value = from[key];
  if (value != null && !accepts(value)) return false;
  to[key] = value;
  return true;
}
