// measured: run `npm run bench` before changing (docs/performance.md).
import { GatewayError } from '../errors';
import { createUtf8Decoder } from '../gemini/create-utf8-decoder';
import { createSseDecoder } from '../gemini/decode-sse-stream';
import { encodeToolCallId } from '../gemini/encode-tool-call-id';
import type { GeminiResponsePart, GeminiUsage } from '../gemini/read-gemini-response';
import { parseGeminiStreamData, readGeminiStreamChunk } from '../gemini/read-gemini-stream-chunk';
import type { Grounding } from '../gemini/read-grounding-metadata';
import { streamBrokenError } from '../upstream/stream-broken-error';
import type { StreamStep } from '../upstream/watch-stream';
import { anthropicErrorEvent } from './anthropic-sse';
import type { MessageMeta } from './anthropic-types';
import { emitContentBlock } from './emit-content-block';
import { fromGeminiMessage } from './from-gemini-message';
import { fromGeminiUsage } from './from-gemini-usage';
import { type AnthropicStopReason, mapStopReason } from './map-stop-reason';

const encoder = new TextEncoder();

export interface MessagesStreamOptions {
  /** Told about a stream that ended in an error event (for the log). */
  onError: (error: GatewayError) => void;
  /** The request offered web search: the answer is held back and sent whole at the end (see below). */
  webSearch?: boolean;
  /** Told the last usage Gemini reported, once, when the stream ends or breaks (the key pool's usage numbers). */
  onUsage?: (usage: GeminiUsage | undefined) => void;
}

/**
 * Gemini's `streamGenerateContent?alt=sse` body → Anthropic's Messages stream
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming): `message_start`, then per content block
 * `content_block_start`, its deltas and `content_block_stop`, then `message_delta` with the stop reason and
 * usage, and `message_stop`. Run as the one stream stage's step (fetchWithFailover's `streamStep`), one
 * upstream chunk at a time, nothing buffered. A thinking block gets a `signature_delta` when Gemini signed
 * its thoughts; a function call becomes a whole `tool_use` block at once (Gemini sends calls complete), its
 * id carrying the call's thought signature. A failure — the upstream breaks or stalls, sends an error or bad
 * JSON, or ends without a finish reason — ends the stream with an `error` event, never a silent cut.
 *
 * With web search the order cannot be kept chunk by chunk: Anthropic puts the search blocks before the text
 * and cites the text as it goes, while Gemini says what it searched and which words each page supports only
 * on its last chunk. So `message_start` goes out at once, each upstream chunk meanwhile sends a `ping` (bytes
 * keep flowing, so neither the Edge runtime's first-byte limit nor an idle proxy cuts the stream), and at the
 * end the whole answer, converted as a non-streaming one (from-gemini-message.ts), is sent block by block.
 */
export function createMessagesStreamStep(meta: MessageMeta, options: MessagesStreamOptions): StreamStep {
  let out = '';
  const emit = (type: string, data: object) => {
    out += `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  };
  // Nearly every event of a stream is a text or thinking delta: written from a template, the same bytes as
  // emitting the event (its keys in that order), without the event object, its spread copy and a whole stringify.
  const delta = (index: number, kind: 'text' | 'thinking', text: string) => {
    out += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"${kind}_delta","${kind}":${JSON.stringify(text)}}}\n\n`;
  };
  let started = false;
  let usage: GeminiUsage | undefined;
  let finishReason: string | undefined;
  let blocked = false;
  let hasToolUse = false;
  let blocks = 0;
  let open: { kind: 'thinking' | 'text'; index: number; signature?: string } | undefined;
  const held: GeminiResponsePart[] = [];
  let grounding: Grounding | undefined;

  const start = () => {
    if (started) return;
    started = true;
    const { output_tokens: _none, ...input } = fromGeminiUsage(usage);
    emit('message_start', {
      message: {
        id: meta.id,
        type: 'message',
        role: 'assistant',
        model: meta.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...input, output_tokens: 0 },
      },
    });
  };
  const close = () => {
    if (!open) return;
    if (open.kind === 'thinking' && open.signature)
      emit('content_block_delta', { index: open.index, delta: { type: 'signature_delta', signature: open.signature } });
    emit('content_block_stop', { index: open.index });
    open = undefined;
  };
  const openBlock = (kind: 'thinking' | 'text') => {
    if (open?.kind === kind) return open;
    close();
    open = { kind, index: blocks++ };
    emit('content_block_start', {
      index: open.index,
      content_block: kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' },
    });
    return open;
  };

  const push = (value: unknown) => {
    const response = readGeminiStreamChunk(value);
    if (response.usageMetadata) usage = response.usageMetadata;
    start();
    if (response.candidates.length === 0 && response.blockReason) blocked = true;
    const candidate = response.candidates.find((c) => (c.index ?? 0) === 0);
    if (!candidate) return;
    if (options.webSearch) {
      hold(candidate.parts);
      if (candidate.groundingMetadata) grounding = candidate.groundingMetadata;
      if (candidate.finishReason) finishReason = candidate.finishReason;
      emit('ping', {});
      return;
    }
    for (const part of candidate.parts) {
      if (part.functionCall) {
        close();
        hasToolUse = true;
        const index = blocks++;
        const id = encodeToolCallId(meta.newId(), part.thoughtSignature);
        emitContentBlock(
          { type: 'tool_use', id, name: part.functionCall.name, input: part.functionCall.args },
          index,
          emit,
        );
      } else if (part.thought && part.text !== undefined) {
        const block = openBlock('thinking');
        if (part.text !== '') delta(block.index, 'thinking', part.text);
        if (part.thoughtSignature) block.signature ??= part.thoughtSignature;
      } else if (part.text) {
        delta(openBlock('text').index, 'text', part.text);
      }
    }
    if (candidate.finishReason) finishReason = candidate.finishReason;
  };

  /** Keeps a held answer's parts as one response would hold them: a chunk's text continues the part before it. */
  const hold = (parts: readonly GeminiResponsePart[]) => {
    for (const part of parts) {
      const last = held[held.length - 1];
      if (
        part.text !== undefined &&
        !part.functionCall &&
        last?.text !== undefined &&
        !last.functionCall &&
        last.thought === part.thought
      ) {
        last.text += part.text;
        if (part.thoughtSignature) last.thoughtSignature ??= part.thoughtSignature;
      } else held.push({ ...part });
    }
  };

  const decodeSse = createSseDecoder((data) => {
    push(parseGeminiStreamData(data));
  });
  const decode = createUtf8Decoder();
  const flush = (): Uint8Array | undefined => {
    if (out === '') return undefined;
    const bytes = encoder.encode(out);
    out = '';
    return bytes;
  };

  let usageReported = false;
  const reportUsage = () => {
    if (usageReported) return;
    usageReported = true;
    options.onUsage?.(usage);
  };

  return {
    chunk: (bytes) => {
      decodeSse(decode(bytes));
      return flush();
    },
    end: () => {
      decodeSse(decode());
      reportUsage();
      if (finishReason === undefined && !blocked) {
        throw new GatewayError(502, 'The Gemini stream ended before the reply was complete (no finish reason).', {
          code: 'upstream_stream_incomplete',
        });
      }
      start();
      close();
      let finalUsage = fromGeminiUsage(usage);
      if (options.webSearch) {
        const candidate = {
          parts: held,
          ...(finishReason ? { finishReason } : {}),
          ...(grounding ? { groundingMetadata: grounding } : {}),
        };
        const message = fromGeminiMessage({ candidates: [candidate], usageMetadata: usage }, meta, { webSearch: true });
        for (const [index, block] of message.content.entries()) emitContentBlock(block, index, emit);
        hasToolUse = message.content.some((block) => block.type === 'tool_use');
        finalUsage = message.usage;
      }
      const stopReason: AnthropicStopReason =
        blocked && finishReason === undefined ? 'refusal' : mapStopReason(finishReason, hasToolUse);
      emit('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: finalUsage });
      emit('message_stop', {});
      return flush();
    },
    fail: (cause) => {
      reportUsage();
      const error = streamBrokenError(cause);
      options.onError(error);
      // What the events before the failure produced still goes out, then the error event.
      const text = out + anthropicErrorEvent(error);
      out = '';
      return encoder.encode(text);
    },
  };
}
