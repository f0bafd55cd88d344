import { GatewayError } from '../errors';
import { createUtf8Decoder } from '../gemini/create-utf8-decoder';
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
  // The sequence number is appended to the event's JSON rather than spread into a copy of it: the same
  // bytes (it is the last key either way) without an object per event.
  const emit: Emit = (event) => {
    // Nearly every event of a stream is a text delta: written from a template, the same bytes as the
    // stringified event (its keys in the order the assembler builds them).
    if (event.type === 'response.output_text.delta') {
      out += `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":${JSON.stringify(event.item_id)},"output_index":${event.output_index},"content_index":${event.content_index},"delta":${JSON.stringify(event.delta)},"logprobs":[],"sequence_number":${sequence++}}\n\n`;
      return;
    }
    const json = JSON.stringify(event);
    out += `event: ${event.type}\ndata: ${json.slice(0, -1)},"sequence_number":${sequence++}}\n\n`;
  };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    assembler.start(emit);
  };
  const decodeSse = createSseDecoder((data) => assembler.push(parseEvent(data), emit));
  const decode = createUtf8Decoder();
  const take = (): Uint8Array | undefined => {
    if (out === '') return undefined;
    const bytes = encoder.encode(out);
    out = '';
    return bytes;
  };

  return {
    chunk: (bytes) => {
      start();
      decodeSse(decode(bytes));
      return take();
    },
    end: () => {
      start();
      decodeSse(decode());
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
