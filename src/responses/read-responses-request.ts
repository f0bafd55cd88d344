// measured: run `npm run bench` before changing (docs/performance.md).
import { INT32_MAX } from '../http/int32';
import {
  copyNullishOneOf,
  isJsonObject,
  nullishBoolean,
  nullishInteger,
  nullishNumber,
  nullishText,
  nullOnly,
  type PlainJson,
  type Read,
  UNREAD,
} from '../http/read-plain-json';
import { IGNORED_FIELDS, REASONING_EFFORTS, type ResponsesRequest } from './responses-request-schema';

/** The fields parse-responses-request.ts has already read by hand (read-plain-input.ts, read-plain-tools.ts). */
export interface ReadFields {
  input: unknown;
  tools: unknown;
}

/**
 * A Responses request exactly as responsesRequestSchema returns it — the same objects, fields and key order,
 * unknown keys inside objects left out, ignored top-level fields dropped — for the top-level fields Codex
 * sends on every turn (model, instructions, stream, tool_choice, reasoning, text, include, store …), with
 * `input` and `tools` as `read` holds them (a string input as it is). Undefined as soon as anything is unusual
 * or wrong (an unknown field, a value out of range, a structured output format, a named or allowed tool
 * choice): the schema then decides, and its error names the field. zod's generic parse of the remaining
 * fields was ~10–16 µs of the request (docs/performance.md); the two are compared on mutated recorded
 * requests in test/unit/responses/parse-responses-request.test.ts.
 */
export function readResponsesRequest(json: PlainJson, read: ReadFields): ResponsesRequest | undefined {
  for (const key in json) if (!Object.hasOwn(READERS, key) && !Object.hasOwn(IGNORED_FIELDS, key)) return undefined;
  if (!('model' in json)) return undefined;
  const request: PlainJson = {};
  // The schema's field order, which is the order of its output's keys.
  for (const key of FIELDS) {
    if (!(key in json)) continue;
    const value = key === 'input' ? read.input : key === 'tools' ? read.tools : READERS[key](json[key]);
    if (value === UNREAD) return undefined;
    request[key] = value;
  }
  return request as ResponsesRequest;
}

const SUMMARIES: readonly unknown[] = ['auto', 'concise', 'detailed', 'none'];
const VERBOSITIES: readonly unknown[] = ['low', 'medium', 'high'];

/** One reader per field of responsesRequestSchema, in its order: the value as the schema outputs it, or UNREAD. */
const READERS: Record<keyof ResponsesRequest, (value: unknown) => Read> = {
  model: (value) => (typeof value === 'string' && value.length > 0 ? value : UNREAD),
  // Read before (ReadFields); listed for their place in the order.
  input: (value) => value,
  instructions: nullishText,
  stream: nullishBoolean,
  tools: (value) => value,
  tool_choice: (value) =>
    value == null || value === 'auto' || value === 'none' || value === 'required' ? value : UNREAD,
  reasoning: readReasoning,
  text: readText,
  max_output_tokens: (value) => nullishInteger(value, 1, INT32_MAX),
  temperature: (value) => nullishNumber(value, 0, 2),
  top_p: (value) => nullishNumber(value, 0, 1),
  include: readInclude,
  store: nullishBoolean,
  previous_response_id: nullishText,
  // Conversations, stored prompts and background runs are refused by the converter; their shapes by the schema.
  conversation: nullOnly,
  prompt: nullOnly,
  background: nullishBoolean,
};

const FIELDS = Object.keys(READERS) as (keyof ResponsesRequest)[];

function readReasoning(value: unknown): Read {
  if (value == null) return value;
  if (!isJsonObject(value)) return UNREAD;
  const reasoning: PlainJson = {};
  if (
    !copyNullishOneOf(value, reasoning, 'effort', REASONING_EFFORTS) ||
    !copyNullishOneOf(value, reasoning, 'summary', SUMMARIES) ||
    !copyNullishOneOf(value, reasoning, 'generate_summary', SUMMARIES)
  )
    return UNREAD;
  return reasoning;
}

function readText(value: unknown): Read {
  if (value == null) return value;
  if (!isJsonObject(value)) return UNREAD;
  const text: PlainJson = {};
  if ('format' in value) {
    const format = value.format;
    if (format == null) text.format = format;
    // A JSON Schema format is left to the schema (jsonSchemaObject).
    else if (isJsonObject(format) && (format.type === 'text' || format.type === 'json_object'))
      text.format = { type: format.type };
    else return UNREAD;
  }
  return copyNullishOneOf(value, text, 'verbosity', VERBOSITIES) ? text : UNREAD;
}

function readInclude(value: unknown): Read {
  if (value == null) return value;
  if (!Array.isArray(value)) return UNREAD;
  for (const item of value as unknown[]) if (typeof item !== 'string') return UNREAD;
  return [...(value as string[])];
}
