import { GatewayError } from '../errors';
import { createSseDecoder } from '../gemini/decode-sse-stream';
import { readGeminiResponse } from '../gemini/read-gemini-response';
import type { StreamStep } from '../upstream/watch-stream';
import { createOutputAssembler, type Emit, type ResponseMeta } from './create-output-assembler';

const encoder = new TextEncoder();

/**
 * Gemini's `streamGenerateContent?alt=sse` body → the Responses event stream: bytes → text → SSE events →
 * JSON → output assembler → `event: <type>` / `data: {…, sequence_number}` → bytes, one upstream chunk at a
 * time inside the one stream stage that watches the upstream (fetchWithFailover's `streamStep`).
 * `response.created` and `response.in_progress` open the stream. Whatever fails — the upstream breaks off,
 * stalls or reports an error, or ends without a finish reason — ends it with an `error` event and
 * `response.failed`, never a silent cut.
 */
export function createResponsesStreamStep(meta: ResponseMeta, onError: (error: GatewayError) => void): StreamStep {
  const assembler = createOutputAssembler(meta);
  let sequence = 0;
  let out = '';
  const emit: Emit = (event) => {
    out += `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence++ })}\n\n`;
  };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    assembler.start(emit);
  };
  const decodeSse = createSseDecoder((data) => assembler.push(parseEvent(data), emit));
  const decoder = new TextDecoder();
  const take = (): Uint8Array | undefined => {
    if (out === '') return undefined;
    const bytes = encoder.encode(out);
    out = '';
    return bytes;
  };

  return {
    chunk: (bytes) => {
      start();
      decodeSse(decoder.decode(bytes, { stream: true }));
      return take();
    },
    end: () => {
      start();
      decodeSse(decoder.decode());
      assembler.end(emit, true);
      return take();
    },
    fail: (cause) => {
      start();
      // A read that fails is the upstream connection breaking (or stalling); our own failures are GatewayErrors.
      const error =
        cause instanceof GatewayError
          ? cause
          : new GatewayError(502, 'The Gemini stream broke off before the reply was complete.', {
              code: 'upstream_stream_broken',
              cause,
            });
      onError(error);
      assembler.fail(error, emit);
      return take();
    },
  };
}

function parseEvent(data: string) {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new GatewayError(502, 'The Gemini API sent a stream event that is not valid JSON.', {
      code: 'upstream_invalid_response',
      cause: error,
    });
  }
  const response = readGeminiResponse(value);
  if (!response)
    throw new GatewayError(502, 'The Gemini API sent a stream chunk that is not a JSON object.', {
      code: 'upstream_invalid_response',
    });
  return response;
}
