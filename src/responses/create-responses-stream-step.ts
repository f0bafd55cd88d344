import type { GatewayError } from '../errors';
import { createUtf8Decoder } from '../gemini/create-utf8-decoder';
import { createSseDecoder } from '../gemini/decode-sse-stream';
import type { GeminiUsage } from '../gemini/read-gemini-response';
import { parseGeminiStreamData, readGeminiStreamChunk } from '../gemini/read-gemini-stream-chunk';
import { streamBrokenError } from '../upstream/stream-broken-error';
import type { StreamStep } from '../upstream/watch-stream';
import { createOutputAssembler, type Emit, type ResponseMeta } from './create-output-assembler';
import type { ResponseEvent, ResponseObject } from './response-types';
import { createResponseSerializer } from './serialize-response-object';

const encoder = new TextEncoder();

/**
 * Gemini's `streamGenerateContent?alt=sse` body → the Responses event stream: bytes → text → SSE events →
 * JSON → output assembler → `event: <type>` / `data: {…, sequence_number}` → bytes, one upstream chunk at a
 * time inside the one stream stage that watches the upstream (fetchWithFailover's `streamStep`).
 * `response.created` and `response.in_progress` open the stream. Whatever fails — the upstream breaks off,
 * stalls or reports an error, or ends without a finish reason — ends it with an `error` event and
 * `response.failed`, never a silent cut.
 */
export function createResponsesStreamStep(
  meta: ResponseMeta,
  onError: (error: GatewayError) => void,
  /** Told the last usage Gemini reported, once, when the stream ends or breaks (the key pool's usage numbers). */
  onUsage?: (usage: GeminiUsage | undefined) => void,
): StreamStep {
  const assembler = createOutputAssembler(meta);
  let sequence = 0;
  let out = '';
  // Nearly every event of a stream is a text delta: written from a template, the same bytes as the
  // stringified event (its keys in the order the assembler builds them). Its head is the same for every
  // delta of one content part, so it is written once per part.
  let deltaOf: ResponseEvent = { type: '' };
  let deltaHead = '';
  // The sequence number is appended to the event's JSON rather than spread into a copy of it: the same
  // bytes (it is the last key either way) without an object per event.
  const emit: Emit = (event) => {
    if (event.type === 'response.output_text.delta') {
      if (
        deltaOf.item_id !== event.item_id ||
        deltaOf.output_index !== event.output_index ||
        deltaOf.content_index !== event.content_index
      ) {
        deltaOf = event;
        deltaHead = `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":${JSON.stringify(event.item_id)},"output_index":${event.output_index},"content_index":${event.content_index},"delta":`;
      }
      out += `${deltaHead}${JSON.stringify(event.delta)},"logprobs":[],"sequence_number":${sequence++}}\n\n`;
      return;
    }
    const json = event.response === undefined ? JSON.stringify(event) : eventWithResponse(event);
    out += `event: ${event.type}\ndata: ${json.slice(0, -1)},"sequence_number":${sequence++}}\n\n`;
  };
  const responseJson = createResponseSerializer(meta);
  const eventWithResponse = (event: ResponseEvent): string => {
    const { type, response, ...rest } = event;
    if (Object.keys(rest).length > 0) return JSON.stringify(event);
    return `{"type":${JSON.stringify(type)},"response":${responseJson(response as ResponseObject)}}`;
  };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    assembler.start(emit);
  };
  let usage: GeminiUsage | undefined;
  const decodeSse = createSseDecoder((data) => {
    const event = readGeminiStreamChunk(parseGeminiStreamData(data));
    if (event.usageMetadata) usage = event.usageMetadata;
    assembler.push(event, emit);
  });
  let usageReported = false;
  const reportUsage = () => {
    if (usageReported) return;
    usageReported = true;
    onUsage?.(usage);
  };
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
      reportUsage();
      assembler.end(emit, true);
      return take();
    },
    fail: (cause) => {
      start();
      reportUsage();
      const error = streamBrokenError(cause);
      onError(error);
      assembler.fail(error, emit);
      return take();
    },
  };
}
