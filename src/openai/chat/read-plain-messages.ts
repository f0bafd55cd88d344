// measured: run `npm run bench` before changing (docs/performance.md).

import { isJsonObject, isNullishText, type PlainJson } from '../../http/read-plain-json';
import type { ChatMessage } from './chat-request-schema';

/**
 * The chat history exactly as chatRequestSchema's `messages` returns it — the same objects, fields and key
 * order, unknown keys left out — for the messages coding clients send on every turn: text content, tool
 * calls, tool results. Undefined as soon as any message is anything else (content parts, a missing or
 * mistyped field, an unknown role): the schema then decides, with its error naming the field. zod copies
 * the history object by object with a visit per declared field; a long history was the larger part of the
 * request's validation (docs/performance.md). The two are compared on generated histories in
 * test/unit/openai/chat/read-plain-messages.test.ts.
 */
export function readPlainMessages(value: unknown): ChatMessage[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const messages: ChatMessage[] = [];
  for (const item of value as unknown[]) {
    const message = readMessage(item);
    if (!message) return undefined;
    messages.push(message);
  }
  return messages;
}

function readMessage(item: unknown): ChatMessage | undefined {
  if (!isJsonObject(item)) return undefined;
  switch (item.role) {
    case 'system':
    case 'developer':
    case 'user': {
      if (typeof item.content !== 'string' || !isNullishText(item, 'name')) return undefined;
      const message: PlainJson = { role: item.role, content: item.content };
      if ('name' in item) message.name = item.name;
      return message as ChatMessage;
    }
    case 'tool':
      if (typeof item.content !== 'string' || typeof item.tool_call_id !== 'string') return undefined;
      return { role: 'tool', content: item.content, tool_call_id: item.tool_call_id };
    case 'assistant':
      return readAssistant(item);
    default:
      return undefined;
  }
}

function readAssistant(item: PlainJson): ChatMessage | undefined {
  if (!isNullishText(item, 'content') || !isNullishText(item, 'refusal') || !isNullishText(item, 'name'))
    return undefined;
  const message: PlainJson = { role: 'assistant' };
  if ('content' in item) message.content = item.content;
  if ('tool_calls' in item) {
    const calls = item.tool_calls;
    if (calls === null) message.tool_calls = null;
    else {
      if (!Array.isArray(calls)) return undefined;
      const read: PlainJson[] = [];
      for (const call of calls as unknown[]) {
        const toolCall = readToolCall(call);
        if (!toolCall) return undefined;
        read.push(toolCall);
      }
      message.tool_calls = read;
    }
  }
  if ('refusal' in item) message.refusal = item.refusal;
  if ('name' in item) message.name = item.name;
  return message as ChatMessage;
}

function readToolCall(call: unknown): PlainJson | undefined {
  if (!isJsonObject(call) || typeof call.id !== 'string' || call.type !== 'function') return undefined;
  const fn = call.function;
  if (!isJsonObject(fn) || typeof fn.name !== 'string' || typeof fn.arguments !== 'string') return undefined;
  const toolCall: PlainJson = { id: call.id, type: 'function', function: { name: fn.name, arguments: fn.arguments } };
  if ('extra_content' in call) {
    const extra = call.extra_content;
    if (extra === null) toolCall.extra_content = null;
    else {
      if (!isJsonObject(extra)) return undefined;
      const copy: PlainJson = {};
      if ('google' in extra) {
        const google = extra.google;
        if (google === null) copy.google = null;
        else {
          if (!isJsonObject(google) || !isNullishText(google, 'thought_signature')) return undefined;
          copy.google = 'thought_signature' in google ? { thought_signature: google.thought_signature } : {};
        }
      }
      toolCall.extra_content = copy;
    }
  }
  return toolCall;
}
