// measured: run `npm run bench` before changing (docs/performance.md).
import * as z from 'zod/mini';
import { parseWithSchema } from '../http/parse-with-schema';
import { isJsonObject } from '../http/read-plain-json';
import {
  type MessagesRequest,
  messagesRequestSchema,
  messagesRequestWithReadFieldsSchema,
} from './messages-request-schema';
import { readMessagesRequest } from './read-messages-request';
import { readPlainMessages, readTextBlocks } from './read-plain-messages';
import { readPlainTools } from './read-plain-tools';

/**
 * A client's Messages request, validated: what `parseWithSchema(messagesRequestSchema, json)` returns or
 * throws. Plain `messages`, `system` and `tools` are read by hand, and so are the usual top-level fields
 * (readMessagesRequest); other top-level values go through the schema for the rest of the request, and
 * anything else, and every request the schema refuses, through the whole schema, so a client's error names
 * its field exactly as before.
 */
export function parseMessagesRequest(json: unknown): MessagesRequest {
  if (isJsonObject(json)) {
    const body = json as { messages?: unknown; system?: unknown; tools?: unknown };
    const messages = readPlainMessages(body.messages);
    const system = 'system' in body ? readTextBlocks(body.system) : undefined;
    const tools = 'tools' in body ? readPlainTools(body.tools) : undefined;
    if (messages && (system !== undefined || !('system' in body)) && (tools !== undefined || !('tools' in body))) {
      const read = readMessagesRequest(json, { messages, system, tools });
      if (read) return read;
      const result = z.safeParse(messagesRequestWithReadFieldsSchema, json);
      if (result.success) {
        const request: MessagesRequest = { ...result.data, messages };
        if (system !== undefined) request.system = system as MessagesRequest['system'];
        if (tools !== undefined) request.tools = tools;
        return request;
      }
    }
  }
  return parseWithSchema(messagesRequestSchema, json);
}
