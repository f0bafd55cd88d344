import type { GatewayError } from '../errors';
import { createChunkConverter } from './convert-gemini-stream';
import { createSseDecoder } from './decode-sse-stream';
import { createSseEncoder } from './encode-sse-stream';
import { endWithErrorEvent } from './end-with-error-event';
import type { CompletionMeta } from './openai-types';
import { createJsonParser } from './parse-json-stream';

export interface ChatStreamOptions {
  includeUsage: boolean;
  /** Told about a stream that ended in an error event (for the log). */
  onError: (error: GatewayError) => void;
}

/**
 * Gemini's `streamGenerateContent?alt=sse` body → OpenAI's chat completion stream, as a pipeline:
 * bytes → text → SSE events → JSON → chat.completion.chunks → SSE text (+ `[DONE]`) → error event on
 * failure → bytes. Each stage passes a chunk on as soon as it has it: nothing is buffered.
 */
export function createChatStream(body: ReadableStream<Uint8Array>, meta: CompletionMeta, options: ChatStreamOptions): ReadableStream<Uint8Array> {
  // TextDecoderStream is typed for any BufferSource; the upstream body is Uint8Array.
  const decoder = new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>;
  const events = body
    .pipeThrough(decoder)
    .pipeThrough(createSseDecoder())
    .pipeThrough(createJsonParser())
    .pipeThrough(createChunkConverter(meta, options.includeUsage))
    .pipeThrough(createSseEncoder());
  return endWithErrorEvent(events, options.onError).pipeThrough(new TextEncoderStream());
}
