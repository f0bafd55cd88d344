// measured: run `npm run bench` before changing (docs/performance.md).

import { isJsonObject, isNullishText, type PlainJson } from '../http/read-plain-json';
import { readPlainTools } from './read-plain-tools';
import type { ResponsesInputItem } from './responses-request-schema';

const ROLES: ReadonlySet<unknown> = new Set(['user', 'assistant', 'system', 'developer']);

/**
 * An `input` array exactly as responsesRequestSchema returns it after withItemTypes — the same objects,
 * fields and key order, unknown keys left out — for the items Codex sends on every turn: messages of text,
 * function and custom tool calls, their text outputs, reasoning items, the tools of its "code mode"
 * (`additional_tools`). Undefined as soon as an item is
 * anything else (media, item references, a missing or mistyped field): the schema then decides, with its
 * error naming the field. Compared with the schema in test/unit/responses/parse-responses-request.test.ts.
 */
export function readPlainInput(value: unknown): ResponsesInputItem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: ResponsesInputItem[] = [];
  for (const entry of value as unknown[]) {
    const item = readItem(entry);
    if (!item) return undefined;
    items.push(item as ResponsesInputItem);
  }
  return items;
}

function readItem(item: unknown): PlainJson | undefined {
  if (!isJsonObject(item)) return undefined;
  // withItemTypes: an item without `type` that has a `role` is a message.
  const type = 'type' in item ? item.type : 'role' in item ? 'message' : undefined;
  switch (type) {
    case 'message': {
      if (!ROLES.has(item.role)) return undefined;
      const content = readContent(item.content, false);
      return content === undefined ? undefined : { type: 'message', role: item.role, content };
    }
    case 'function_call':
    case 'custom_tool_call': {
      const argument = type === 'function_call' ? 'arguments' : 'input';
      if (!isNonEmpty(item.call_id) || !isNonEmpty(item.name) || typeof item[argument] !== 'string') return undefined;
      if (!isNullishText(item, 'namespace')) return undefined;
      const call: PlainJson = { type, call_id: item.call_id, name: item.name, [argument]: item[argument] };
      if ('namespace' in item) call.namespace = item.namespace;
      return call;
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      if (!isNonEmpty(item.call_id)) return undefined;
      const output = readContent(item.output, true);
      return output === undefined ? undefined : { type, call_id: item.call_id, output };
    }
    case 'reasoning':
      return readReasoning(item);
    case 'additional_tools': {
      const tools = readPlainTools(item.tools);
      return tools === undefined ? undefined : { type, tools };
    }
    default:
      return undefined;
  }
}

/** A string, or an array of text parts (`refusal` parts too in a message); undefined for anything else. */
function readContent(content: unknown, output: boolean): string | PlainJson[] | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts: PlainJson[] = [];
  for (const part of content as unknown[]) {
    if (!isJsonObject(part)) return undefined;
    if (part.type === 'input_text' || part.type === 'output_text') {
      if (typeof part.text !== 'string') return undefined;
      parts.push({ type: part.type, text: part.text });
    } else if (part.type === 'refusal' && !output) {
      if (typeof part.refusal !== 'string') return undefined;
      parts.push({ type: 'refusal', refusal: part.refusal });
    } else return undefined;
  }
  return parts;
}

function readReasoning(item: PlainJson): PlainJson | undefined {
  if (!isNullishText(item, 'encrypted_content')) return undefined;
  const reasoning: PlainJson = { type: 'reasoning' };
  if ('summary' in item) {
    const summary = item.summary;
    if (summary === null || summary === undefined) reasoning.summary = summary;
    else {
      if (!Array.isArray(summary)) return undefined;
      const read: PlainJson[] = [];
      for (const part of summary as unknown[]) {
        if (!isJsonObject(part) || part.type !== 'summary_text' || typeof part.text !== 'string') return undefined;
        read.push({ type: 'summary_text', text: part.text });
      }
      reasoning.summary = read;
    }
  }
  if ('encrypted_content' in item) reasoning.encrypted_content = item.encrypted_content;
  return reasoning;
}

function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
