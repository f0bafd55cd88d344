import { GatewayError } from '../errors';
import type { GeminiSchema } from './gemini-types';

/**
 * JSON Schema (what OpenAI clients send for `response_format.json_schema.schema` and tool `parameters`) →
 * the OpenAPI 3.0 subset Gemini's `responseSchema` and function `parameters` accept
 * (https://ai.google.dev/api/caching#Schema). Keywords are COPIED when Gemini knows them, never deleted
 * from a copy of the input, so anything new or unknown (`$schema`, `additionalProperties`, `strict`,
 * `examples` …) simply does not come through. Rewrites:
 * - `const: v` → `enum: [v]`; `type: [x, "null"]`, `anyOf: [X, {type: "null"}]` → `x` + `nullable`;
 * - `type: [a, b]` → `anyOf: [{type: a}, {type: b}]`; `oneOf` → `anyOf`; `allOf` → merged into one schema;
 * - local `$ref` (`#/$defs/…`, `#/definitions/…`, any `#/…` pointer) inlined. A recursive definition is
 *   unrolled MAX_REF_EXPANSIONS times; below that it becomes `{type}` of the definition without its
 *   children, because Gemini's schema has no references;
 * - `format` Gemini does not know (it takes `enum`/`date-time` on strings, `float`/`double`, `int32`/`int64`
 *   on numbers) and non-string `enum` values (Gemini's enums are strings) move into `description`, so the
 *   model still sees them.
 * `propertyOrdering` is set to the schema's own key order: Gemini otherwise orders output keys alphabetically.
 */

const MAX_REF_EXPANSIONS = 2;
const MAX_DEPTH = 32;
/** Bounds the output of schemas whose `$ref`s fan out (A → 10×B → 10×C …). */
const MAX_NODES = 5_000;

const FORMATS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  string: ['enum', 'date-time'],
  number: ['float', 'double'],
  integer: ['int32', 'int64'],
};

type JsonObject = Record<string, unknown>;

export function convertJsonSchema(schema: unknown, param: string): GeminiSchema {
  const root = schema;
  const openRefs = new Map<string, number>();
  let nodes = 0;

  const fail = (message: string): never => {
    throw new GatewayError(400, `Invalid schema in '${param}': ${message}`, { param, code: 'invalid_schema' });
  };

  const convert = (node: unknown, depth: number): GeminiSchema => {
    if (typeof node === 'boolean') return {};
    if (!isObject(node)) return fail('every schema must be an object or a boolean.');
    if (++nodes > MAX_NODES) fail(`it expands to more than ${MAX_NODES} schemas after resolving $ref.`);

    if (typeof node.$ref === 'string') {
      const ref = node.$ref;
      const target = resolvePointer(root, ref) ?? fail(`$ref '${ref}' does not point into this schema (only local references like '#/$defs/Name' are supported).`);
      const siblings = convertOwn(node, depth);
      const open = openRefs.get(ref) ?? 0;
      if (open >= MAX_REF_EXPANSIONS || depth >= MAX_DEPTH) return mergeSchemas(siblings, truncated(target));
      openRefs.set(ref, open + 1);
      const resolved = convert(target, depth + 1);
      openRefs.set(ref, open);
      return mergeSchemas(siblings, resolved);
    }
    if (depth >= MAX_DEPTH) return truncated(node);
    return convertOwn(node, depth);
  };

  /** The node's own keywords (everything except following its `$ref`). */
  const convertOwn = (node: JsonObject, depth: number): GeminiSchema => {
    let result: GeminiSchema = {};
    const notes: string[] = [];

    const types = typeList(node.type);
    let nullable = node.nullable === true || types.includes('null');
    const concrete = types.filter((type) => type !== 'null');

    let values: unknown[] | undefined = 'const' in node ? [node.const] : Array.isArray(node.enum) ? node.enum : undefined;
    if (values?.includes(null)) {
      nullable = true;
      values = values.filter((value) => value !== null);
    }
    const stringEnum = values !== undefined && values.length > 0 && values.every((value) => typeof value === 'string');

    const single = concrete.length === 1 ? concrete[0] : concrete.length === 0 ? inferType(node, stringEnum) : undefined;
    if (single) result.type = single;
    if (typeof node.title === 'string') result.title = node.title;
    if (typeof node.description === 'string') result.description = node.description;
    if (single) Object.assign(result, convertTypeKeywords(node, single, depth, notes));
    else if (concrete.length > 1) {
      result.anyOf = concrete.map((type) => ({ type, ...convertTypeKeywords(node, type, depth, notes) }));
    }
    if (values !== undefined && values.length > 0) {
      if (stringEnum) result.enum = values as string[];
      else notes.push(`Allowed values: ${values.map((value) => JSON.stringify(value)).join(', ')}`);
    }
    if ('default' in node) result.default = node.default;

    for (const entry of list(node.allOf)) result = mergeSchemas(result, convert(entry, depth + 1));

    const alternatives = list(node.anyOf ?? node.oneOf);
    if (alternatives.length > 0) {
      const branches = alternatives.filter((branch) => !isNullSchema(branch));
      if (branches.length < alternatives.length) nullable = true;
      const converted = branches.map((branch) => convert(branch, depth + 1));
      if (converted.length === 1 && converted[0]) result = mergeSchemas(result, converted[0]);
      else if (converted.length > 1) result.anyOf = converted;
    }

    if (nullable) result.nullable = true;
    if (notes.length > 0) result.description = [result.description, ...notes.map((note) => `(${note})`)].filter(Boolean).join(' ');
    return result;
  };

  const convertTypeKeywords = (node: JsonObject, type: string, depth: number, notes: string[]): GeminiSchema => {
    const out: GeminiSchema = {};
    if (typeof node.format === 'string') {
      if (FORMATS_BY_TYPE[type]?.includes(node.format)) out.format = node.format;
      else notes.push(`format: ${node.format}`);
    }
    switch (type) {
      case 'string':
        copyNumber(node, out, 'minLength');
        copyNumber(node, out, 'maxLength');
        if (typeof node.pattern === 'string') out.pattern = node.pattern;
        break;
      case 'number':
      case 'integer':
        copyNumber(node, out, 'minimum');
        copyNumber(node, out, 'maximum');
        break;
      case 'array':
        if (Array.isArray(node.items)) {
          // Tuple form (draft 4-7): Gemini has one item schema, so any of the positions.
          const items = node.items.map((item) => convert(item, depth + 1));
          out.items = items.length === 1 && items[0] ? items[0] : { anyOf: items };
        } else if (node.items !== undefined) out.items = convert(node.items, depth + 1);
        copyNumber(node, out, 'minItems');
        copyNumber(node, out, 'maxItems');
        break;
      case 'object': {
        if (isObject(node.properties)) {
          const names = Object.keys(node.properties);
          const properties: Record<string, GeminiSchema> = {};
          for (const name of names) properties[name] = convert(node.properties[name], depth + 1);
          out.properties = properties;
          const required = list(node.required).filter((name): name is string => typeof name === 'string' && names.includes(name));
          if (required.length > 0) out.required = required;
          const ordering = list(node.propertyOrdering).filter((name): name is string => typeof name === 'string');
          if (ordering.length > 0) out.propertyOrdering = ordering;
          else if (names.length > 1) out.propertyOrdering = names;
        }
        copyNumber(node, out, 'minProperties');
        copyNumber(node, out, 'maxProperties');
        break;
      }
    }
    return out;
  };

  return convert(schema, 0);
}

/** Where a recursive definition is cut: its type, without children. */
function truncated(node: unknown): GeminiSchema {
  if (!isObject(node)) return {};
  const type = typeList(node.type).find((t) => t !== 'null') ?? inferType(node, false) ?? 'object';
  return typeof node.description === 'string' ? { type, description: node.description } : { type };
}

/** `base` wins for single keywords and comes first; object keywords are unioned (allOf of object parts). */
function mergeSchemas(base: GeminiSchema, extra: GeminiSchema): GeminiSchema {
  const merged: GeminiSchema = { ...extra, ...base };
  if (base.properties && extra.properties) merged.properties = { ...base.properties, ...withoutKeys(extra.properties, base.properties) };
  if (base.required && extra.required) merged.required = [...new Set([...base.required, ...extra.required])];
  if (base.propertyOrdering && extra.propertyOrdering) {
    merged.propertyOrdering = [...new Set([...base.propertyOrdering, ...extra.propertyOrdering])];
  }
  return merged;
}

function withoutKeys<T>(record: Record<string, T>, remove: Record<string, unknown>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !Object.hasOwn(remove, key)));
}

function inferType(node: JsonObject, stringEnum: boolean): string | undefined {
  if (isObject(node.properties)) return 'object';
  if (node.items !== undefined) return 'array';
  if (stringEnum) return 'string';
  return undefined;
}

function typeList(type: unknown): string[] {
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

function isNullSchema(node: unknown): boolean {
  if (!isObject(node)) return false;
  const types = typeList(node.type);
  return (types.length === 1 && types[0] === 'null') || node.const === null || (Array.isArray(node.enum) && node.enum.length === 1 && node.enum[0] === null);
}

/** A JSON pointer inside the document (`#`, `#/$defs/Name`, `#/definitions/a~1b`), or undefined. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (ref !== '#' && !ref.startsWith('#/')) return undefined;
  let node = root;
  for (const raw of ref === '#' ? [] : ref.slice(2).split('/')) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    } catch {
      return undefined;
    }
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    if (!Object.hasOwn(node, token)) return undefined;
    node = (node as JsonObject)[token];
  }
  return node;
}

function copyNumber<K extends 'minLength' | 'maxLength' | 'minimum' | 'maximum' | 'minItems' | 'maxItems' | 'minProperties' | 'maxProperties'>(
  node: JsonObject,
  out: GeminiSchema,
  key: K,
): void {
  const value = node[key];
  if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
