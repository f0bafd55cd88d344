// measured: run `npm run bench` before changing (docs/performance.md).
import { INT32_MAX, INT32_MIN } from '../../http/int32';
import {
  copyNullishBoolean,
  copyNullishSchema,
  copyNullishText,
  isJsonObject,
  nullishBoolean,
  nullishInteger,
  nullishNumber,
  nullOnly,
  type PlainJson,
  type Read,
  UNREAD,
} from '../../http/read-plain-json';
import { type ChatRequest, FUNCTION_NAME, IGNORED_FIELDS, MAX_CHOICES, REASONING_EFFORTS } from './chat-request-schema';
import { readPlainMessages } from './read-plain-messages';

/**
 * A chat request exactly as chatRequestSchema returns it — the same objects, fields and key order, unknown
 * keys inside objects left out, ignored top-level fields dropped — for the requests clients send on every
 * turn: a plain history (readPlainMessages), function tools, the sampling fields, tool_choice,
 * response_format, stream_options. Undefined as soon as anything is unusual or wrong (an unknown field, a
 * value out of range, a content part, Google's extension block): the schema then decides, and its error names
 * the field. zod's generic parse visits every declared field through several layers of closures; it was
 * most of the request's validation and slow to warm up (docs/performance.md). The two are compared on
 * generated requests, valid and not, in test/unit/openai/chat/read-chat-request.test.ts.
 */
export function readChatRequest(json: unknown): ChatRequest | undefined {
  if (!isJsonObject(json)) return undefined;
  for (const key in json) if (!Object.hasOwn(READERS, key) && !Object.hasOwn(IGNORED_FIELDS, key)) return undefined;
  const request: PlainJson = {};
  // The schema's field order, which is the order of its output's keys.
  for (const key of FIELDS) {
    if (!(key in json)) {
      if (key === 'model' || key === 'messages') return undefined;
      continue;
    }
    const value = READERS[key](json[key]);
    if (value === UNREAD) return undefined;
    request[key] = value;
  }
  return request as ChatRequest;
}

/** One reader per field of chatRequestSchema, in its order: the value as the schema outputs it, or UNREAD. */
const READERS: Record<keyof ChatRequest, (value: unknown) => Read> = {
  model: (value) => (typeof value === 'string' && value.length > 0 ? value : UNREAD),
  messages: (value) => readPlainMessages(value) ?? UNREAD,
  stream: nullishBoolean,
  stream_options: readStreamOptions,
  temperature: (value) => nullishNumber(value, 0, 2),
  top_p: (value) => nullishNumber(value, 0, 1),
  top_k: (value) => nullishInteger(value, 1, INT32_MAX),
  n: (value) => nullishInteger(value, 1, MAX_CHOICES),
  stop: readStop,
  max_tokens: (value) => nullishInteger(value, 1, INT32_MAX),
  max_completion_tokens: (value) => nullishInteger(value, 1, INT32_MAX),
  presence_penalty: (value) => nullishNumber(value, -2, 2),
  frequency_penalty: (value) => nullishNumber(value, -2, 2),
  seed: (value) => nullishInteger(value, INT32_MIN, INT32_MAX),
  logprobs: nullishBoolean,
  top_logprobs: (value) => nullishInteger(value, 0, 20),
  response_format: readResponseFormat,
  tools: readTools,
  tool_choice: readToolChoice,
  reasoning_effort: (value) =>
    value == null || (REASONING_EFFORTS as readonly unknown[]).includes(value) ? value : UNREAD,
  web_search_options: nullOnly,
  modalities: readModalities,
  // `z.optional(z.unknown())`: any value; the converter refuses one that is not null.
  audio: (value) => value,
  google: nullOnly,
  extra_body: nullOnly,
  safety_settings: nullOnly,
};

const FIELDS = Object.keys(READERS) as (keyof ChatRequest)[];

function readStreamOptions(value: unknown): Read {
  if (value == null) return value;
  if (!isJsonObject(value)) return UNREAD;
  const options: PlainJson = {};
  if (
    !copyNullishBoolean(value, options, 'include_usage') ||
    !copyNullishBoolean(value, options, 'include_obfuscation')
  )
    return UNREAD;
  return options;
}

function readStop(value: unknown): Read {
  if (value == null || typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length > 5) return UNREAD;
  for (const stop of value as unknown[]) if (typeof stop !== 'string') return UNREAD;
  return [...(value as string[])];
}

function readModalities(value: unknown): Read {
  if (value == null) return value;
  if (!Array.isArray(value)) return UNREAD;
  for (const modality of value as unknown[])
    if (modality !== 'text' && modality !== 'image' && modality !== 'audio') return UNREAD;
  return [...(value as string[])];
}

function readResponseFormat(value: unknown): Read {
  if (value == null) return value;
  if (!isJsonObject(value)) return UNREAD;
  const type = value.type;
  if (type === 'text' || type === 'json_object') return { type };
  if (type !== 'json_schema') return UNREAD;
  const schema = value.json_schema;
  if (!isJsonObject(schema) || typeof schema.name !== 'string') return UNREAD;
  const jsonSchema: PlainJson = { name: schema.name };
  if (
    !copyNullishText(schema, jsonSchema, 'description') ||
    !copyNullishSchema(schema, jsonSchema, 'schema') ||
    !copyNullishBoolean(schema, jsonSchema, 'strict')
  )
    return UNREAD;
  return { type, json_schema: jsonSchema };
}

function readTools(value: unknown): Read {
  if (value == null) return value;
  if (!Array.isArray(value)) return UNREAD;
  const tools: PlainJson[] = [];
  for (const item of value as unknown[]) {
    if (!isJsonObject(item) || item.type !== 'function') return UNREAD;
    const fn = item.function;
    if (!isJsonObject(fn) || typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name)) return UNREAD;
    const read: PlainJson = { name: fn.name };
    if (
      !copyNullishText(fn, read, 'description') ||
      !copyNullishSchema(fn, read, 'parameters') ||
      !copyNullishBoolean(fn, read, 'strict')
    )
      return UNREAD;
    tools.push({ type: 'function', function: read });
  }
  return tools;
}

function readToolChoice(value: unknown): Read {
  if (value == null || value === 'auto' || value === 'none' || value === 'required') return value;
  if (!isJsonObject(value)) return UNREAD;
  if (value.type === 'function') return readNamedFunction(value) ?? UNREAD;
  if (value.type !== 'allowed_tools') return UNREAD;
  const allowed = value.allowed_tools;
  if (!isJsonObject(allowed) || (allowed.mode !== 'auto' && allowed.mode !== 'required')) return UNREAD;
  const list = allowed.tools;
  if (!Array.isArray(list) || list.length === 0) return UNREAD;
  const tools: PlainJson[] = [];
  for (const item of list as unknown[]) {
    const named = readNamedFunction(item);
    if (!named) return UNREAD;
    tools.push(named);
  }
  return { type: 'allowed_tools', allowed_tools: { mode: allowed.mode, tools } };
}

function readNamedFunction(value: unknown): PlainJson | undefined {
  if (!isJsonObject(value) || value.type !== 'function') return undefined;
  const fn = value.function;
  if (!isJsonObject(fn) || typeof fn.name !== 'string') return undefined;
  return { type: 'function', function: { name: fn.name } };
}
