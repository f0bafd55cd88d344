// measured: run `npm run bench` before changing (docs/performance.md).
import * as z from 'zod/mini';
import { parseWithSchema } from '../http/parse-with-schema';
import { isJsonObject } from '../http/read-plain-json';
import { readPlainInput } from './read-plain-input';
import { readPlainTools } from './read-plain-tools';
import { readResponsesRequest } from './read-responses-request';
import {
  type ResponsesRequest,
  responsesRequestSchema,
  responsesRequestWithReadFieldsSchema,
  withItemTypes,
} from './responses-request-schema';

/**
 * A client's Responses request, validated: what `parseWithSchema(responsesRequestSchema, withItemTypes(json))`
 * returns or throws. Plain `input` items and `tools` (readPlainInput, readPlainTools) are read by hand, and so
 * are the usual top-level fields (readResponsesRequest); other top-level values go through the schema for the
 * rest of the request, and anything else, and every request the schema refuses, through the whole schema, so
 * a client's error names its field exactly as before.
 */
export function parseResponsesRequest(json: unknown): ResponsesRequest {
  if (isJsonObject(json)) {
    const body = json as { input?: unknown; tools?: unknown };
    // A string input or no tools cost the schema next to nothing; anything it cannot read leaves it all to the schema.
    const input = Array.isArray(body.input) ? readPlainInput(body.input) : undefined;
    const tools = Array.isArray(body.tools) ? readPlainTools(body.tools) : undefined;
    const inputRead = input !== undefined || !('input' in body) || typeof body.input === 'string';
    const toolsRead = tools !== undefined || !('tools' in body) || body.tools === null;
    if (inputRead && toolsRead) {
      // A string input, or null tools, as they are.
      const read = readResponsesRequest(json, {
        input: input ?? body.input,
        tools: tools ?? body.tools,
      });
      if (read) return read;
      const result = z.safeParse(responsesRequestWithReadFieldsSchema, json);
      if (result.success) {
        const request: ResponsesRequest = { ...result.data };
        if (input) request.input = input;
        if (tools) request.tools = tools;
        return request;
      }
    }
  }
  return parseWithSchema(responsesRequestSchema, withItemTypes(json));
}
