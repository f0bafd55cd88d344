// measured: run `npm run bench` before changing (docs/performance.md).

import { isJsonObject, isNullishText, isSchemaObject, type PlainJson } from '../http/read-plain-json';
import type { ResponsesTool } from './responses-request-schema';

/** responsesRequestSchema's tool name rule. */
const TOOL_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/;
const WEB_SEARCH_TYPES: ReadonlySet<unknown> = new Set([
  'web_search',
  'web_search_2025_08_26',
  'web_search_preview',
  'web_search_preview_2025_03_11',
]);

/**
 * `tools` exactly as responsesRequestSchema returns them — the same objects, fields and key order, unknown
 * keys left out — for the tools Codex sends on every turn: functions, custom (freeform) tools, namespaces of
 * those, web search. Undefined as soon as a tool is anything else or a field is not what the schema takes:
 * the schema then decides, with its error naming the field. zod tries the tool union's branches in order
 * and builds an issue for every branch that fails, so a namespace or web search tool cost several failed
 * parses (docs/performance.md). Compared with the schema in test/unit/responses/parse-responses-request.test.ts.
 */
export function readPlainTools(value: unknown): ResponsesTool[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const tools: ResponsesTool[] = [];
  for (const item of value as unknown[]) {
    if (!isJsonObject(item)) return undefined;
    let tool: PlainJson | undefined;
    if (item.type === 'function' || item.type === 'custom') tool = readFunctionOrCustom(item);
    else if (item.type === 'namespace') tool = readNamespace(item);
    else if (WEB_SEARCH_TYPES.has(item.type)) tool = readWebSearch(item);
    if (!tool) return undefined;
    tools.push(tool as ResponsesTool);
  }
  return tools;
}

function readFunctionOrCustom(item: PlainJson): PlainJson | undefined {
  if (typeof item.name !== 'string' || !TOOL_NAME.test(item.name) || !isNullishText(item, 'description'))
    return undefined;
  const tool: PlainJson = { type: item.type, name: item.name };
  if ('description' in item) tool.description = item.description;
  if (item.type === 'function') {
    if ('parameters' in item) {
      const parameters = item.parameters;
      if (parameters !== null && parameters !== undefined && !isSchemaObject(parameters)) return undefined;
      tool.parameters = parameters;
    }
    if ('strict' in item) {
      const strict = item.strict;
      if (strict !== null && strict !== undefined && typeof strict !== 'boolean') return undefined;
      tool.strict = strict;
    }
    return tool;
  }
  if ('format' in item) {
    const format = readFormat(item.format);
    if (format === undefined && item.format !== undefined) return undefined;
    tool.format = format;
  }
  return tool;
}

/** A custom tool's `format`: null, `{type: 'text'}` or a grammar; undefined when it is anything else. */
function readFormat(format: unknown): PlainJson | null | undefined {
  if (format === null) return null;
  if (!isJsonObject(format)) return undefined;
  if (format.type === 'text') return { type: 'text' };
  if (format.type !== 'grammar' || (format.syntax !== 'lark' && format.syntax !== 'regex')) return undefined;
  if (typeof format.definition !== 'string') return undefined;
  return { type: 'grammar', syntax: format.syntax, definition: format.definition };
}

function readNamespace(item: PlainJson): PlainJson | undefined {
  if (typeof item.name !== 'string' || !TOOL_NAME.test(item.name) || !isNullishText(item, 'description'))
    return undefined;
  if (!Array.isArray(item.tools)) return undefined;
  const inner: PlainJson[] = [];
  for (const entry of item.tools as unknown[]) {
    if (!isJsonObject(entry) || (entry.type !== 'function' && entry.type !== 'custom')) return undefined;
    const tool = readFunctionOrCustom(entry);
    if (!tool) return undefined;
    inner.push(tool);
  }
  const tool: PlainJson = { type: 'namespace', name: item.name };
  if ('description' in item) tool.description = item.description;
  tool.tools = inner;
  return tool;
}

function readWebSearch(item: PlainJson): PlainJson | undefined {
  const tool: PlainJson = { type: item.type };
  if ('external_web_access' in item) {
    const access = item.external_web_access;
    if (access !== null && access !== undefined && typeof access !== 'boolean') return undefined;
    tool.external_web_access = access;
  }
  return tool;
}
