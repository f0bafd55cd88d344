import type { RequestContext } from '../context';
import { geminiErrorBody, GatewayError } from '../errors';

const encoder = new TextEncoder();

/**
 * The upstream SSE body, chunk by chunk and unparsed; if the upstream breaks off mid-stream, a final
 * Gemini-shaped `data: {"error": …}` event tells the client so instead of a silent cut. A client that
 * cancels cancels the upstream read, which aborts the upstream request.
 */
export function appendSseErrorEvent(body: ReadableStream<Uint8Array>, ctx: RequestContext): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        if (ctx.signal.aborted) {
          controller.error(error);
          return;
        }
        ctx.log.warn('upstream stream broke', { error: error instanceof Error ? error.name : 'unknown' });
        const event = geminiErrorBody(new GatewayError(502, 'The upstream stream ended unexpectedly.'));
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\r\n\r\n`));
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
