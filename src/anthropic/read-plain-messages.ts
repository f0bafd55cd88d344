// measured: run `npm run bench` before changing (docs/performance.md).

import { isJsonObject, type PlainJson } from '../http/read-plain-json';
import type { AnthropicMessage } from './messages-request-schema';

/** messagesRequestSchema's tool name rule. */
const TOOL_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/;

/**
 * `messages` exactly as messagesRequestSchema returns them — the same objects, fields and key order, unknown
 * keys (`cache_control` …) left out — for what Claude Code sends on every turn: text, tool use, tool results
 * of text, thinking. Undefined as soon as anything else turns up (images, documents, web search blocks, a
 * missing or mistyped field): the schema then decides, with its error naming the field. zod visits every
 * declared field of every block through its discriminated unions; compared with the schema in
 * test/unit/anthropic/parse-messages-request.test.ts.
 */
export function readPlainMessages(value: unknown): AnthropicMessage[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const messages: AnthropicMessage[] = [];
  for (const item of value as unknown[]) {
    if (!isJsonObject(item)) return undefined;
    const role = item.role;
    if (role !== 'user' && role !== 'assistant' && role !== 'system') return undefined;
    const content = role === 'system' ? readTextBlocks(item.content) : readContent(item.content);
    if (content === undefined) return undefined;
    messages.push({ role, content } as AnthropicMessage);
  }
  return messages;
}

/** `system` (or a system message's content): a string or text blocks; undefined for anything else. */
export function readTextBlocks(value: unknown): string | PlainJson[] | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  const blocks: PlainJson[] = [];
  for (const block of value as unknown[]) {
    if (!isJsonObject(block) || block.type !== 'text' || typeof block.text !== 'string') return undefined;
    blocks.push({ type: 'text', text: block.text });
  }
  return blocks;
}

function readContent(value: unknown): string | PlainJson[] | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  const blocks: PlainJson[] = [];
  for (const item of value as unknown[]) {
    const block = isJsonObject(item) ? readBlock(item) : undefined;
    if (!block) return undefined;
    blocks.push(block);
  }
  return blocks;
}

function readBlock(block: PlainJson): PlainJson | undefined {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? { type: 'text', text: block.text } : undefined;
    case 'tool_use': {
      const { id, name, input } = block;
      if (typeof id !== 'string' || typeof name !== 'string' || !TOOL_NAME.test(name) || !isJsonObject(input))
        return undefined;
      return { type: 'tool_use', id, name, input };
    }
    case 'tool_result': {
      if (typeof block.tool_use_id !== 'string') return undefined;
      const result: PlainJson = { type: 'tool_result', tool_use_id: block.tool_use_id };
      if ('content' in block) {
        // zod's `optional`: absent or undefined, not null.
        const content = block.content === undefined ? undefined : readTextBlocks(block.content);
        if (content === undefined && block.content !== undefined) return undefined;
        result.content = content;
      }
      if ('is_error' in block) {
        if (block.is_error !== undefined && typeof block.is_error !== 'boolean') return undefined;
        result.is_error = block.is_error;
      }
      return result;
    }
    case 'thinking': {
      if (typeof block.thinking !== 'string') return undefined;
      const thinking: PlainJson = { type: 'thinking', thinking: block.thinking };
      if ('signature' in block) {
        if (block.signature !== undefined && typeof block.signature !== 'string') return undefined;
        thinking.signature = block.signature;
      }
      return thinking;
    }
    case 'redacted_thinking':
      return typeof block.data === 'string' ? { type: 'redacted_thinking', data: block.data } : undefined;
    default:
      return undefined;
  }
}
