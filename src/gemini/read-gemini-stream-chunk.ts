import { GatewayError } from '../errors';
import { type GeminiResponse, readGeminiResponse } from './read-gemini-response';

// measured: run `npm run bench` before changing (once per stream chunk on every surface).

/** One SSE event's data from streamGenerateContent as JSON; a 502 when it is not JSON. */
export function parseGeminiStreamData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch (error) {
    throw new GatewayError(502, 'The Gemini API sent a stream event that is not valid JSON.', {
      code: 'upstream_invalid_response',
      cause: error,
    });
  }
}

/**
 * One stream chunk read leniently. A chunk that is not an object is a 502; an `error` Gemini sends after
 * the stream started ends it with Gemini's status (a 4xx/5xx code, else 502) and message.
 */
export function readGeminiStreamChunk(value: unknown): GeminiResponse {
  const response = readGeminiResponse(value);
  if (!response) {
    throw new GatewayError(502, 'The Gemini API sent a stream chunk that is not a JSON object.', {
      code: 'upstream_invalid_response',
    });
  }
  if (response.error) {
    const code = response.error.code;
    const status = code !== undefined && code >= 400 && code <= 599 ? code : 502;
    throw new GatewayError(
      status,
      response.error.message || 'The Gemini API reported an error in the middle of the stream.',
      {
        code: 'upstream_stream_error',
      },
    );
  }
  return response;
}
