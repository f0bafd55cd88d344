// measured: run `npm run bench` before changing (docs/performance.md).
import { INT32_MAX } from '../http/int32';
import { isJsonObject, type PlainJson, type Read, UNREAD } from '../http/read-plain-json';
import { EFFORTS, type MessagesRequest } from './messages-request-schema';

/** The fields parse-messages-request.ts has already read by hand (read-plain-messages.ts, read-plain-tools.ts). */
export interface ReadFields {
  messages: unknown;
  system: unknown;
  tools: unknown;
}

/**
 * A Messages request exactly as messagesRequestSchema returns it — the same objects, fields and key order,
 * unknown keys inside objects left out — for the top-level fields Claude Code sends on every turn (model,
 * max_tokens, stream, thinking, output_config, metadata, context_management …), with `messages`, `system` and
 * `tools` as `read` holds them. Undefined as soon as anything is unusual or wrong (an unknown field, a value
 * out of range, a structured output format): the schema then decides, and its error names the field. zod's
 * generic parse of the remaining fields was ~10–16 µs of the request (docs/performance.md); the two are
 * compared on mutated recorded requests in test/unit/anthropic/parse-messages-request.test.ts.
 */
export function readMessagesRequest(json: PlainJson, read: ReadFields): MessagesRequest | undefined {
  for (const key in json) if (!Object.hasOwn(READERS, key)) return undefined;
  if (!('model' in json) || !('messages' in json) || !('max_tokens' in json)) return undefined;
  const request: PlainJson = {};
  // The schema's field order, which is the order of its output's keys.
  for (const key of FIELDS) {
    if (!(key in json)) continue;
    const value =
      key === 'messages'
        ? read.messages
        : key === 'system'
          ? read.system
          : key === 'tools'
            ? read.tools
            : READERS[key](json[key]);
    if (value === UNREAD) return undefined;
    request[key] = value;
  }
  return request as MessagesRequest;
}

/** `z.optional(z.unknown())`: any value, kept as it is (the converter drops these fields). */
const anything = (value: unknown): Read => value;

/** One reader per field of messagesRequestSchema, in its order: the value as the schema outputs it, or UNREAD. */
const READERS: Record<keyof MessagesRequest, (value: unknown) => Read> = {
  model: (value) => (typeof value === 'string' && value.length > 0 ? value : UNREAD),
  // Read before (ReadFields); listed for their place in the order.
  messages: anything,
  system: anything,
  tools: anything,
  tool_choice: readToolChoice,
  thinking: readThinking,
  output_config: readOutputConfig,
  // A structured output format is rare; its JSON Schema is left to the schema.
  output_format: (value) => (value === null ? value : UNREAD),
  temperature: (value) => number(value, 0, 1),
  top_p: (value) => number(value, 0, 1),
  top_k: (value) => integer(value, 0, INT32_MAX),
  stop_sequences: readStopSequences,
  metadata: anything,
  cache_control: anything,
  context_management: anything,
  service_tier: anything,
  speed: anything,
  inference_geo: anything,
  container: anything,
  diagnostics: anything,
  mcp_servers: anything,
  betas: anything,
  user_profile_id: anything,
  workspace_id: anything,
  max_tokens: (value) => integer(value, 1, INT32_MAX),
  stream: (value) => (typeof value === 'boolean' ? value : UNREAD),
};

const FIELDS = Object.keys(READERS) as (keyof MessagesRequest)[];

function readToolChoice(value: unknown): Read {
  if (!isJsonObject(value)) return UNREAD;
  const type = value.type;
  if (type === 'none') return { type };
  if (type !== 'auto' && type !== 'any' && type !== 'tool') return UNREAD;
  const choice: PlainJson = { type };
  if (type === 'tool') {
    if (typeof value.name !== 'string') return UNREAD;
    choice.name = value.name;
  }
  if ('disable_parallel_tool_use' in value) {
    if (typeof value.disable_parallel_tool_use !== 'boolean') return UNREAD;
    choice.disable_parallel_tool_use = value.disable_parallel_tool_use;
  }
  return choice;
}

function readThinking(value: unknown): Read {
  if (!isJsonObject(value)) return UNREAD;
  const type = value.type;
  if (type === 'between_tools' || type === 'disabled') return { type };
  const thinking: PlainJson = { type };
  if (type === 'enabled') {
    const budget = integer(value.budget_tokens, 0, INT32_MAX);
    if (budget === UNREAD) return UNREAD;
    thinking.budget_tokens = budget;
  } else if (type !== 'adaptive') return UNREAD;
  if ('display' in value) {
    const display = value.display;
    if (display != null && display !== 'summarized' && display !== 'omitted') return UNREAD;
    thinking.display = display;
  }
  return thinking;
}

function readOutputConfig(value: unknown): Read {
  if (!isJsonObject(value)) return UNREAD;
  const config: PlainJson = {};
  if ('effort' in value) {
    const effort = value.effort;
    if (effort != null && !(EFFORTS as readonly unknown[]).includes(effort)) return UNREAD;
    config.effort = effort;
  }
  if ('format' in value) {
    if (value.format != null) return UNREAD;
    config.format = value.format;
  }
  return config;
}

function readStopSequences(value: unknown): Read {
  if (!Array.isArray(value) || value.length > 5) return UNREAD;
  for (const stop of value as unknown[]) if (typeof stop !== 'string') return UNREAD;
  return [...(value as string[])];
}

/** `z.number()` within [min, max]: zod's number refuses NaN and ±Infinity (JSON's 1e400). */
function number(value: unknown, min: number, max: number): Read {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : UNREAD;
}

/** `z.int()` with bounds inside int32. */
function integer(value: unknown, min: number, max: number): Read {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : UNREAD;
}
