import { GatewayError } from '../errors';

/** Each SSE event's data → its JSON value; an event that is not JSON ends the stream with an error. */
export function createJsonParser(): TransformStream<string, unknown> {
  return new TransformStream<string, unknown>({
    transform(data, controller) {
      try {
        controller.enqueue(JSON.parse(data));
      } catch (error) {
        throw new GatewayError(502, 'The Gemini API sent a stream event that is not valid JSON.', { code: 'upstream_invalid_response', cause: error });
      }
    },
  });
}
