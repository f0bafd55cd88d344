/**
 * zod building blocks that parse JSON the way Google's proto-JSON front end does, and turn zod issues into
 * its error messages (`Invalid JSON payload received. Unknown name "x" at 'generation_config': Cannot find
 * field.`), with snake_case field paths and map entries written `properties[2].value`.
 *
 * What the front end does, and so these do: every field is accepted in camelCase and snake_case; `null` means
 * unset; a single value is accepted where a list is expected; numbers may come as numeric strings; enum names
 * are matched case-insensitively (Google's own docs send `"media_resolution_high"`, and most clients send
 * JSON-Schema `"object"` for `Type.OBJECT`); unknown fields are errors.
 */
import { z } from 'zod';
import { type FieldViolation, type GoogleApiError, invalidPayload } from './errors';

const TYPE_PREFIX = 'type.googleapis.com/google.ai.generativelanguage.v1beta.';
const STRUCT = 'type.googleapis.com/google.protobuf.Struct';
/** Label on a bytes field whose string is not base64. */
const BASE64_FAILED = 'TYPE_BYTES:base64';
/** Fields whose JSON object is a proto map: a key in them is written `[index].value` in error paths. */
const MAP_FIELDS = new Set(['properties', 'labels']);

function fromNumericString(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
}

export const pString = () => z.string({ error: 'TYPE_STRING' });
export const pBool = () => z.boolean({ error: 'TYPE_BOOL' });
export const pFloat = () => z.preprocess(fromNumericString, z.number({ error: 'TYPE_FLOAT' }));
export const pDouble = () => z.preprocess(fromNumericString, z.number({ error: 'TYPE_DOUBLE' }));
/** Out of range is refused like a wrong type: `Invalid value at 'generation_config.seed' (TYPE_INT32), 2147483648`. */
export const pInt32 = () =>
  z.preprocess(
    fromNumericString,
    z
      .number({ error: 'TYPE_INT32' })
      .int({ error: 'TYPE_INT32' })
      .min(-(2 ** 31), { error: 'TYPE_INT32' })
      .max(2 ** 31 - 1, { error: 'TYPE_INT32' }),
  );
export const pInt64 = () =>
  z.preprocess(fromNumericString, z.number({ error: 'TYPE_INT64' }).int({ error: 'TYPE_INT64' }));

/** Base64 or its URL-safe variant, padded or not: what the front end accepts for `bytes`. */
export function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/_-]*={0,2}$/.test(text) && text.replace(/=+$/, '').length % 4 !== 1;
}

export const pBytes = () => z.string({ error: 'TYPE_BYTES' }).refine(isBase64, { error: BASE64_FAILED });

/** A JSON object (google.protobuf.Struct); a string, number or array here is an error. */
export const pStruct = () => z.record(z.string(), z.unknown(), { error: STRUCT });
/** Any JSON value (google.protobuf.Value). */
export const pValue = () => z.unknown();

export function pEnum<const T extends readonly string[]>(typeName: string, values: T) {
  const label = TYPE_PREFIX + typeName;
  return z
    .string({ error: label })
    .refine((v) => values.includes(v.toUpperCase()), { error: label })
    .transform((v) => v.toUpperCase() as T[number]);
}

/** A repeated field; one value where a list is expected counts as a list of one. */
export function pList<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || v === null || Array.isArray(v) ? v : [v]), z.array(item));
}

export function pMap<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value, { error: 'map' });
}

export function toSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

type Shape = Record<string, z.ZodType>;
export type MessageOf<S extends Shape> = { [K in keyof S]?: z.output<S[K]> };

/**
 * A proto message: strict, both spellings of each field, nulls dropped; the output uses camelCase only.
 */
export function pMessage<S extends Shape>(typeName: string, shape: S): z.ZodType<MessageOf<S>> {
  const accepted: Record<string, z.ZodType> = {};
  for (const [name, schema] of Object.entries(shape)) {
    accepted[name] = schema.nullish();
    accepted[toSnake(name)] = schema.nullish();
  }
  return z.strictObject(accepted, { error: TYPE_PREFIX + typeName }).transform((input) => {
    const output: Record<string, unknown> = {};
    for (const name of Object.keys(shape)) {
      const value = input[name] ?? input[toSnake(name)];
      if (value !== undefined && value !== null) output[name] = value;
    }
    return output as MessageOf<S>;
  }) as unknown as z.ZodType<MessageOf<S>>;
}

/** `generation_config.response_schema.properties[0].value.items`, walking the input to number map keys. */
export function googlePath(path: ReadonlyArray<PropertyKey>, root: unknown): string {
  let out = '';
  let node: unknown = root;
  let inMap = false;
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      node = Array.isArray(node) ? node[segment] : node;
      inMap = false;
      continue;
    }
    const key = String(segment);
    const record = isPlainObject(node) ? node : {};
    if (inMap) {
      out += `[${Object.keys(record).indexOf(key)}].value`;
      inMap = false;
    } else {
      out += (out === '' ? '' : '.') + toSnake(key);
      inMap = MAP_FIELDS.has(key);
    }
    node = record[key];
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): FieldViolation[] {
  const at = googlePath(issue.path, root);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const where = at === '' ? '' : ` at '${at}'`;
      return violation(at, `Invalid JSON payload received. Unknown name "${key}"${where}: Cannot find field.`);
    });
  }
  const input = (issue as { input?: unknown }).input;
  const label = issue.message;
  const parentPath = googlePath(issue.path.slice(0, -1), root);
  const name = String(issue.path[issue.path.length - 1] ?? '');
  const where = parentPath === '' ? '' : ` at '${parentPath}'`;
  if (Array.isArray(input) && label !== STRUCT) {
    return [
      violation(
        parentPath,
        `Invalid JSON payload received. Unknown name "${name}"${where}: Proto field is not repeating, cannot start list.`,
      ),
    ];
  }
  if (isPlainObject(input) && label.startsWith('TYPE_')) {
    return [
      violation(
        parentPath,
        `Invalid JSON payload received. Unknown name "${name}"${where}: Starting an object on a scalar field`,
      ),
    ];
  }
  if (label === BASE64_FAILED) {
    return [
      violation(at, `Invalid value at '${at}' (TYPE_BYTES), Base64 decoding failed for ${JSON.stringify(input)}`),
    ];
  }
  return [violation(at, `Invalid value at '${at}' (${label}), ${JSON.stringify(input)}`)];
}

function violation(field: string, description: string): FieldViolation {
  return field === '' ? { description } : { field, description };
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: GoogleApiError };

/** Parses a request body; a body that is not a JSON object is refused as the front end does. */
export function parseProto<T>(schema: z.ZodType<T>, body: unknown): ParseResult<T> {
  if (!isPlainObject(body)) {
    return {
      ok: false,
      error: invalidPayload([
        { description: 'Invalid JSON payload received. Unknown name "": Root element must be a message.' },
      ]),
    };
  }
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: invalidPayload(result.error.issues.flatMap((issue) => describeIssue(issue, body))) };
}

/** Parses raw request text; an empty body is an empty message, as with Google. */
export function parseJsonBody(raw: string): ParseResult<unknown> {
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (error) {
    const position = Number(/position (\d+)/.exec(String(error))?.[1] ?? raw.length);
    const lineStart = raw.lastIndexOf('\n', position - 1) + 1;
    const line = raw.slice(lineStart, raw.indexOf('\n', position) === -1 ? undefined : raw.indexOf('\n', position));
    const caret = `${' '.repeat(Math.max(0, position - lineStart))}^`;
    return {
      ok: false,
      error: invalidPayload([{ description: `Invalid JSON payload received. Unexpected token.\n${line}\n${caret}` }]),
    };
  }
}
