// measured: run `npm run bench` before changing (docs/performance.md).

import { type GatewayError, openAIErrorBody } from '../../errors';
import { createUtf8Decoder } from '../../gemini/create-utf8-decoder';
import { createSseDecoder } from '../../gemini/decode-sse-stream';
import { parseGeminiStreamData } from '../../gemini/read-gemini-stream-chunk';
import type { GeminiUsage } from '../../keys/key-state';
import { streamBrokenError } from '../../upstream/stream-broken-error';
import type { StreamStep } from '../../upstream/watch-stream';
import type { CompletionMeta } from '../openai-types';
import { fromGeminiChunks } from './from-gemini-chunks';

export interface ChatStreamOptions {
  includeUsage: boolean;
  /** Told about a stream that ended in an error event (for the log). */
  onError: (error: GatewayError) => void;
  /** Told the stream's token counts once it has ended, completely or not (the key pool's usage numbers). */
  onUsage?: (usage: GeminiUsage | undefined) => void;
}

const encoder = new TextEncoder();
const DONE = 'data: [DONE]\n\n';

/**
 * Gemini's `streamGenerateContent?alt=sse` body → OpenAI's chat completion stream: bytes → text → SSE events
 * → JSON → chat.completion.chunks → SSE text (+ `[DONE]`) → bytes. The steps are plain functions, run by the
 * one stream stage that also watches the upstream for stalls (fetchWithFailover's `streamStep`), one upstream
 * chunk at a time: what an upstream chunk yields is passed on, as one string encoded once, before the next is
 * read (nothing is buffered). A chunk then costs a decode, a parse, a stringify and an encode; as a pipeline
 * of piped TransformStreams it cost three times that, most of it stream bookkeeping (docs/performance.md).
 *
 * If anything fails — the upstream connection breaks or stalls, Gemini sends an error event or bad JSON, the
 * stream ends without a finish reason — the stream ends with `data: {"error": {…}}` (what the openai SDK
 * raises as an APIError) instead of a silent cut, and no `[DONE]`.
 */
export function createChatStreamStep(meta: CompletionMeta, options: ChatStreamOptions): StreamStep {
  const converter = fromGeminiChunks(meta, options.includeUsage);
  // The SSE text one upstream chunk produced; reset after each chunk, so it never grows with the stream.
  let out = '';
  const emit = (json: string) => {
    out += `data: ${json}\n\n`;
  };
  const decodeSse = createSseDecoder((data) => converter.push(parseGeminiStreamData(data), emit));
  const decode = createUtf8Decoder();
  // Once: an end that finds the reply incomplete goes on to `fail`.
  let usageReported = false;
  const reportUsage = () => {
    if (usageReported) return;
    usageReported = true;
    options.onUsage?.(converter.usage());
  };

  return {
    chunk: (bytes) => {
      decodeSse(decode(bytes));
      if (out === '') return undefined;
      const text = out;
      out = '';
      return encoder.encode(text);
    },
    end: () => {
      decodeSse(decode());
      reportUsage();
      converter.end(emit);
      const text = out + DONE;
      out = '';
      return encoder.encode(text);
    },
    fail: (cause) => {
      const error = streamBrokenError(cause);
      options.onError(error);
      reportUsage();
      // What the events before the failure produced still goes out, then the error event.
      const text = `${out}data: ${JSON.stringify(openAIErrorBody(error))}\n\n`;
      out = '';
      return encoder.encode(text);
    },
  };
}

/** Each SSE event's data is one JSON value; one that is not ends the stream with an error. */
