import { describe, expect, it } from 'vitest';
import { createMessagesStreamStep } from '../../../src/anthropic/create-messages-stream-step';
import { fromGeminiMessage } from '../../../src/anthropic/from-gemini-message';
import type { GatewayError } from '../../../src/errors';
import { decodeToolCallId } from '../../../src/gemini/encode-tool-call-id';
import { readGeminiResponse } from '../../../src/gemini/read-gemini-response';
import { geminiFixture, testMeta } from './helpers';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('fromGeminiMessage', () => {
  it('turns parallel Gemini 3 calls into tool_use blocks whose ids carry the signature', () => {
    const message = fromGeminiMessage(
      readGeminiResponse(JSON.parse(geminiFixture('parallel-calls-gemini-3.json')))!,
      testMeta(),
    );
    expect(message).toMatchObject({
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      stop_reason: 'tool_use',
      stop_sequence: null,
      content: [
        { type: 'tool_use', id: expect.stringMatching(/^call_t1__/), name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_t2', name: 'get_weather', input: { city: 'Tokyo', unit: 'celsius' } },
      ],
    });
    const first = message.content[0];
    expect(first?.type === 'tool_use' && decodeToolCallId(first.id)).toBe('CiQBjz1rX+abc/deYQ==');
  });

  it('joins thought parts into one thinking block and text parts into one text block; counts cache reads apart', () => {
    const message = fromGeminiMessage(
      readGeminiResponse({
        candidates: [
          {
            content: {
              parts: [
                { text: 'Plan ', thought: true },
                { text: 'more.', thought: true, thoughtSignature: 'c2ln' },
                { text: 'Hello' },
                { text: ' world' },
                { text: '', thoughtSignature: 'dGV4dA==' },
              ],
            },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: {
          promptTokenCount: 10,
          candidatesTokenCount: 2,
          thoughtsTokenCount: 5,
          cachedContentTokenCount: 4,
        },
      })!,
      testMeta(),
    );
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Plan more.', signature: 'c2ln' },
      { type: 'text', text: 'Hello world' },
    ]);
    expect(message.usage).toEqual({
      input_tokens: 6,
      output_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 4,
    });
    expect(message.stop_reason).toBe('end_turn');
  });

  it('answers a blocked prompt as an empty refusal', () => {
    const message = fromGeminiMessage(
      readGeminiResponse(JSON.parse(geminiFixture('blocked-prompt.json')))!,
      testMeta(),
    );
    expect(message.content).toEqual([]);
    expect(message.stop_reason).toBe('refusal');
  });
});

/** Runs the step over a raw SSE body, split into chunks of `size` bytes; returns the events it wrote. */
function runStep(
  body: string,
  size = 7,
  onError: (error: GatewayError) => void = () => {},
): { type: string; data: Record<string, unknown> }[] {
  const step = createMessagesStreamStep(testMeta(), { onError });
  const bytes = encoder.encode(body);
  let out = '';
  try {
    for (let i = 0; i < bytes.length; i += size) {
      const result = step.chunk?.(bytes.subarray(i, i + size));
      if (result) out += decoder.decode(result);
    }
    const last = step.end?.();
    if (last) out += decoder.decode(last);
  } catch (error) {
    out += decoder.decode(step.fail?.(error));
  }
  return out
    .split('\n\n')
    .filter(Boolean)
    .map((event) => {
      const [typeLine, dataLine] = event.split('\n');
      return {
        type: (typeLine ?? '').replace('event: ', ''),
        data: JSON.parse((dataLine ?? '').replace('data: ', '')) as Record<string, unknown>,
      };
    });
}

describe('createMessagesStreamStep', () => {
  it('writes Anthropic’s event sequence for thoughts then text, whatever the chunking', () => {
    const body = geminiFixture('thoughts-then-text-with-signature.chunks.txt');
    const events = runStep(body);
    expect(runStep(body, 1)).toEqual(events);
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]?.data).toEqual({
      type: 'message_start',
      message: {
        id: 'msg_test',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-6',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 6, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
      },
    });
    expect(events[1]?.data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    });
    expect(events[2]?.data).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'thinking_delta', thinking: '**Planning**\nA haiku about rain.' },
    });
    expect(events[5]?.data).toEqual({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'text_delta', text: 'Soft rain on the roof' },
    });
    expect(events[7]?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 2, output_tokens: 29, cache_creation_input_tokens: 0, cache_read_input_tokens: 4 },
    });
  });

  it('sends a signature_delta before a signed thinking block stops, and a call as a whole tool_use block', () => {
    const chunk = (parts: unknown[], finishReason?: string) =>
      `data: ${JSON.stringify({ candidates: [{ content: { parts }, ...(finishReason ? { finishReason } : {}) }] })}\r\n\r\n`;
    const events = runStep(
      chunk([{ text: 'think', thought: true, thoughtSignature: 'c2ln' }]) +
        chunk([{ functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'ZnVuYw==' }], 'STOP'),
    );
    expect(events.slice(2, 9).map((event) => event.data)).toEqual([
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'call_t1__ZnVuYw', name: 'f', input: {} },
      },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a":1}' } },
      { type: 'content_block_stop', index: 1 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    ]);
  });

  it.each([
    ['ends-without-finish.chunks.txt', 'api_error'],
    ['error-mid-stream.chunks.txt', undefined],
  ])('ends %s with an error event, after what came before', (fixture, type) => {
    const errors: GatewayError[] = [];
    const events = runStep(geminiFixture(fixture), 7, (error) => errors.push(error));
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    expect(last?.data).toMatchObject({
      type: 'error',
      error: { type: type ?? expect.any(String), message: expect.any(String) },
    });
    expect(events[0]?.type).toBe('message_start');
    expect(errors).toHaveLength(1);
  });

  it('writes each delta as the stringified event, multi-byte text split across reads included', () => {
    // The text and thinking deltas are written from a template: byte for byte what stringifying the event
    // object ({ type, ...data }, in that key order) gives, whatever the text holds and however it is cut.
    const texts = ['Je réfléchis "vite"', 'Héllo 😀 "x"\n\ttab</script>\u2028', '\\ back\u0001', ''];
    const chunk = (parts: unknown[], finishReason?: string) =>
      `data: ${JSON.stringify({ candidates: [{ content: { parts }, index: 0, ...(finishReason ? { finishReason } : {}) }] })}\r\n\r\n`;
    const body =
      chunk(texts.map((text) => ({ text, thought: true }))) +
      chunk(
        texts.map((text) => ({ text })),
        'STOP',
      );
    const expected = [
      ...texts
        .filter((text) => text !== '')
        .map((thinking) => ({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking } })),
      ...texts
        .filter((text) => text !== '')
        .map((text) => ({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text } })),
    ].map((event) => `event: content_block_delta\ndata: ${JSON.stringify(event)}\n\n`);
    for (const size of [1, 7, 4096]) {
      const step = createMessagesStreamStep(testMeta(), { onError: () => {} });
      const bytes = encoder.encode(body);
      const streaming = new TextDecoder();
      let sent = '';
      for (let at = 0; at < bytes.length; at += size) {
        const out = step.chunk?.(bytes.subarray(at, at + size));
        if (out) sent += streaming.decode(out, { stream: true });
      }
      sent += streaming.decode(step.end?.());
      const deltas = sent.split(/(?<=\n\n)/).filter((event) => event.startsWith('event: content_block_delta\n'));
      expect(deltas).toEqual(expected);
    }
  });

  it('reports a prompt blocked mid-stream as a refusal', () => {
    const events = runStep(`data: ${geminiFixture('blocked-prompt.json').replace(/\s*\n\s*/g, '')}\n\n`);
    expect(events.map((event) => event.type)).toEqual(['message_start', 'message_delta', 'message_stop']);
    expect(events[1]?.data).toMatchObject({ delta: { stop_reason: 'refusal' } });
  });
});
