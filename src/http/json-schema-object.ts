import * as z from 'zod/mini';

/**
 * A JSON Schema a client sends (tool parameters, a response format's schema), which the converters read as
 * it is. It accepts and refuses what `z.record(z.string(), z.unknown())` does, with the same issue, without
 * copying the object key by key; like the record, it leaves out an own `__proto__` key.
 */
export const jsonSchemaObject = z.custom<Record<string, unknown>>().check(
  z.check((payload) => {
    const value = payload.value;
    if (!isPlainObject(value)) payload.issues.push({ code: 'invalid_type', expected: 'record', input: value });
    else if (Object.hasOwn(value, '__proto__'))
      payload.value = Object.fromEntries(Object.entries(value).filter(([key]) => key !== '__proto__'));
  }),
);

/**
 * zod's own plain-object test (what `z.record` accepts), written here because zod exports it only from its
 * internals: a non-array object whose constructor, if it has a callable one, has an ordinary prototype.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  if (typeof ctor !== 'function') return true;
  const prototype: unknown = ctor.prototype;
  return (
    typeof prototype === 'object' &&
    prototype !== null &&
    !Array.isArray(prototype) &&
    Object.hasOwn(prototype, 'isPrototypeOf')
  );
}
