import { GatewayError, openAIErrorBody } from '../errors';

/**
 * Passes SSE text through; if anything before it fails (the upstream connection breaks, Gemini sends an
 * error event or bad JSON, the stream ends without a finish reason), ends the stream with
 * `data: {"error": {…}}` — what the openai SDK raises as an APIError — instead of cutting it silently.
 * No `[DONE]` follows an error. A client that cancels cancels the whole chain up to the upstream body.
 */
export function endWithErrorEvent(source: ReadableStream<string>, onError: (error: GatewayError) => void): ReadableStream<string> {
  const reader = source.getReader();
  return new ReadableStream<string>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (cause) {
        const error =
          cause instanceof GatewayError
            ? cause
            : new GatewayError(502, 'The Gemini stream broke off before the reply was complete.', { code: 'upstream_stream_broken', cause });
        onError(error);
        controller.enqueue(`data: ${JSON.stringify(openAIErrorBody(error))}\n\n`);
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
