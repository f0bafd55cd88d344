// measured: run `npm run bench` before changing (docs/performance.md).

import { isJsonObject, type PlainJson } from '../http/read-plain-json';
import type { AnthropicTool } from './messages-request-schema';

/** messagesRequestSchema's tool name rule. */
const TOOL_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/;

/**
 * `tools` exactly as messagesRequestSchema returns them — the same objects, fields and key order, unknown
 * keys (`cache_control`, `eager_input_streaming` …) left out. Every tool has the one shape, so only a field
 * of the wrong type makes this undefined, and the schema then decides with its error naming the field.
 * Compared with the schema in test/unit/anthropic/parse-messages-request.test.ts.
 */
export function readPlainTools(value: unknown): AnthropicTool[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const tools: AnthropicTool[] = [];
  for (const item of value as unknown[]) {
    if (!isJsonObject(item) || typeof item.name !== 'string' || !TOOL_NAME.test(item.name)) return undefined;
    const tool: PlainJson = {};
    if ('type' in item) {
      if (!isNullish(item.type) && typeof item.type !== 'string') return undefined;
      tool.type = item.type;
    }
    tool.name = item.name;
    if ('description' in item) {
      if (!isNullish(item.description) && typeof item.description !== 'string') return undefined;
      tool.description = item.description;
    }
    if ('input_schema' in item) {
      if (item.input_schema !== undefined && !isJsonObject(item.input_schema)) return undefined;
      tool.input_schema = item.input_schema;
    }
    if ('defer_loading' in item) {
      if (!isNullish(item.defer_loading) && typeof item.defer_loading !== 'boolean') return undefined;
      tool.defer_loading = item.defer_loading;
    }
    tools.push(tool as AnthropicTool);
  }
  return tools;
}

function isNullish(value: unknown): boolean {
  return value === null || value === undefined;
}
