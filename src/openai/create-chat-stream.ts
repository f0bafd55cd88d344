import { GatewayError, openAIErrorBody } from '../errors';
import { createChunkConverter } from './convert-gemini-stream';
import { createSseDecoder } from './decode-sse-stream';
import type { CompletionMeta } from './openai-types';

export interface ChatStreamOptions {
  includeUsage: boolean;
  /** Told about a stream that ended in an error event (for the log). */
  onError: (error: GatewayError) => void;
}

const encoder = new TextEncoder();
const DONE = 'data: [DONE]\n\n';

/**
 * Gemini's `streamGenerateContent?alt=sse` body → OpenAI's chat completion stream: bytes → text → SSE events
 * → JSON → chat.completion.chunks → SSE text (+ `[DONE]`) → bytes. The steps are plain functions run in one
 * stream stage, one upstream chunk at a time: what an upstream chunk yields is passed on before the next is
 * read (nothing is buffered). A chunk then costs a decode, a parse, a stringify and an encode; as a pipeline
 * of piped TransformStreams it cost three times that, most of it stream bookkeeping (docs/performance.md).
 *
 * If anything fails — the upstream connection breaks, Gemini sends an error event or bad JSON, the stream ends
 * without a finish reason — the stream ends with `data: {"error": {…}}` (what the openai SDK raises as an
 * APIError) instead of a silent cut, and no `[DONE]`. A client that cancels cancels the upstream body.
 */
export function createChatStream(body: ReadableStream<Uint8Array>, meta: CompletionMeta, options: ChatStreamOptions): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const converter = createChunkConverter(meta, options.includeUsage);
  // The SSE text one upstream chunk produced; reset after each enqueue, so it never grows with the stream.
  let out = '';
  const emit = (json: string) => {
    out += `data: ${json}\n\n`;
  };
  const decodeSse = createSseDecoder((data) => converter.push(parseEvent(data), emit));
  let cancelled = false;

  const fail = (cause: unknown, controller: ReadableStreamDefaultController<Uint8Array>) => {
    // A read that fails is the upstream connection breaking; our own failures are GatewayErrors.
    const error =
      cause instanceof GatewayError
        ? cause
        : new GatewayError(502, 'The Gemini stream broke off before the reply was complete.', { code: 'upstream_stream_broken', cause });
    options.onError(error);
    // What the events before the failure produced still goes out, then the error event.
    controller.enqueue(encoder.encode(`${out}data: ${JSON.stringify(openAIErrorBody(error))}\n\n`));
    controller.close();
    out = '';
    reader.cancel(error).catch(() => {});
  };

  return new ReadableStream<Uint8Array>({
    // Plain promise callbacks rather than an async function: this runs once per chunk, and they cost less.
    pull(controller) {
      const next = (): Promise<void> =>
        reader.read().then(
          (result) => {
            if (cancelled) return;
            try {
              if (result.done) {
                decodeSse(decoder.decode());
                converter.end(emit);
                controller.enqueue(encoder.encode(out + DONE));
                controller.close();
                return;
              }
              decodeSse(decoder.decode(result.value, { stream: true }));
              // An upstream chunk may hold no complete event: read on until there is something to pass on.
              if (out === '') return next();
              controller.enqueue(encoder.encode(out));
              out = '';
            } catch (cause) {
              fail(cause, controller);
            }
          },
          (cause: unknown) => {
            if (!cancelled) fail(cause, controller);
          },
        );
      return next();
    },
    cancel(reason) {
      cancelled = true;
      return reader.cancel(reason);
    },
  });
}

/** Each SSE event's data is one JSON value; one that is not ends the stream with an error. */
function parseEvent(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch (error) {
    throw new GatewayError(502, 'The Gemini API sent a stream event that is not valid JSON.', { code: 'upstream_invalid_response', cause: error });
  }
}
