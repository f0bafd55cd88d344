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
