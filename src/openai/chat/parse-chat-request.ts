// measured: run `npm run bench` before changing (docs/performance.md).
import * as z from 'zod/mini';
import { parseWithSchema } from '../../http/parse-with-schema';
import { type ChatRequest, chatRequestSchema, chatRequestWithReadMessagesSchema } from './chat-request-schema';
import { readChatRequest } from './read-chat-request';
import { readPlainMessages } from './read-plain-messages';

/**
 * A client's chat request, validated: what `parseWithSchema(chatRequestSchema, json)` returns or throws.
 * The usual request is read by hand whole (readChatRequest); failing that, a history of plain messages
 * (readPlainMessages) is read by hand and the rest of the request by the schema; anything else, and every
 * request the schema refuses, goes through the whole schema, so a client's error names its field exactly as
 * before.
 */
export function parseChatRequest(json: unknown): ChatRequest {
  const read = readChatRequest(json);
  if (read) return read;
  const messages =
    typeof json === 'object' && json !== null
      ? readPlainMessages((json as { messages?: unknown }).messages)
      : undefined;
  if (messages) {
    const result = z.safeParse(chatRequestWithReadMessagesSchema, json);
    if (result.success) {
      const request: ChatRequest = { ...result.data, messages };
      return request;
    }
  }
  return parseWithSchema(chatRequestSchema, json);
}
