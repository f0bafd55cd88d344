import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { chatRequestSchema, type ChatMessage } from '../../../src/openai/chat-request-schema';
import { convertOpenAIMessages, DUMMY_THOUGHT_SIGNATURE, wrapToolResult } from '../../../src/openai/convert-openai-messages';
import { encodeToolCallId } from '../../../src/openai/encode-tool-call-id';
import type { MediaMap } from '../../../src/openai/fetch-media-urls';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PDF = 'JVBERi0xLjQKJcfsj6IKNSAwIG9iago=';

/** Messages as the schema outputs them, from JSON a client would send. */
const messages = (list: unknown[]): ChatMessage[] => chatRequestSchema.parse({ model: 'm', messages: list }).messages;
const convert = (list: unknown[], options: { media?: MediaMap; requireSignatures?: boolean } = {}) =>
  convertOpenAIMessages(messages(list), { media: options.media ?? new Map(), requireSignatures: options.requireSignatures ?? false });

const call = (id: string, name: string, args: string, extra?: object) => ({ id, type: 'function', function: { name, arguments: args }, ...extra });

describe('convertOpenAIMessages', () => {
  it('moves every system and developer message, in order, into systemInstruction', () => {
    expect(
      convert([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }, { type: 'text', text: 'No emoji.' }] },
        { role: 'assistant', content: 'Salut' },
        { role: 'system', content: '' },
      ]),
    ).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }, { text: 'No emoji.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Salut' }] },
      ],
    });
  });

  it('merges consecutive turns of one role and leaves out empty text', () => {
    expect(
      convert([
        { role: 'user', content: 'a' },
        { role: 'user', content: [{ type: 'text', text: 'b' }, { type: 'text', text: '' }] },
        { role: 'assistant', content: 'c' },
        { role: 'assistant', content: [{ type: 'text', text: 'd' }] },
        { role: 'user', content: '' },
        { role: 'user', content: 'e' },
      ]).contents,
    ).toEqual([
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ text: 'c' }, { text: 'd' }] },
      { role: 'user', parts: [{ text: 'e' }] },
    ]);
  });

  it('round-trips tool calls: text and calls in one model turn, results in one user turn named by id', () => {
    const out = convert([
      { role: 'user', content: 'Weather in Paris and Tokyo?' },
      { role: 'assistant', content: 'Let me check.', tool_calls: [call('call_a', 'get_weather', '{"city":"Paris"}'), call('call_b', 'get_weather', '{"city":"Tokyo"}')] },
      { role: 'tool', tool_call_id: 'call_a', content: '{"temp":18}' },
      { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: 'sunny, ' }, { type: 'text', text: '25C' }] },
      { role: 'assistant', content: null, tool_calls: [call('call_c', 'get_time', '')] },
      { role: 'tool', tool_call_id: 'call_c', content: '[1,2]' },
    ]);
    expect(out.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Tokyo?' }] },
      {
        role: 'model',
        parts: [{ text: 'Let me check.' }, { functionCall: { name: 'get_weather', args: { city: 'Paris' } } }, { functionCall: { name: 'get_weather', args: { city: 'Tokyo' } } }],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 18 } } },
          { functionResponse: { name: 'get_weather', response: { result: 'sunny, 25C' } } },
        ],
      },
      { role: 'model', parts: [{ functionCall: { name: 'get_time', args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_time', response: { result: [1, 2] } } }] },
    ]);
  });

  it.each([
    ['{"ok":true}', { ok: true }],
    ['"done"', { result: 'done' }],
    ['42', { result: 42 }],
    ['null', { result: null }],
    ['[1]', { result: [1] }],
    ['plain text', { result: 'plain text' }],
    ['', { result: '' }],
  ])('wraps the tool result %j as %j', (text, expected) => {
    expect(wrapToolResult(text)).toEqual(expected);
  });

  it('refuses a tool result whose id no earlier assistant call has', () => {
    expect(() => convert([{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_zz', content: 'r' }])).toThrowError(
      expect.objectContaining({ status: 400, param: 'messages[1].tool_call_id' }) as Error,
    );
  });

  it.each([
    ['{not json', 'not valid JSON'],
    ['[1,2]', 'must be a JSON object'],
  ])('refuses tool call arguments %j', (args, fragment) => {
    let error: GatewayError | undefined;
    try {
      convert([{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [call('call_a', 'f', args)] }]);
    } catch (caught) {
      error = caught as GatewayError;
    }
    expect(error?.param).toBe('messages[1].tool_calls[0].function.arguments');
    expect(error?.message).toContain(fragment);
  });

  describe('thought signatures', () => {
    const history = (calls: unknown[]) => [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: calls }];
    const modelParts = (calls: unknown[], requireSignatures: boolean) => convert(history(calls), { requireSignatures }).contents[1]?.parts;

    it('takes the signature from our tool call id', () => {
      const signature = 'CiQBjz1rX+abc/deYQ==';
      expect(modelParts([call(encodeToolCallId('abc', signature), 'f', '{}'), call('call_x', 'f', '{}')], true)).toEqual([
        { functionCall: { name: 'f', args: {} }, thoughtSignature: signature },
        { functionCall: { name: 'f', args: {} } },
      ]);
    });

    it("takes Google's extra_content form first", () => {
      expect(modelParts([call(encodeToolCallId('abc', 'AAAA'), 'f', '{}', { extra_content: { google: { thought_signature: 'BBBB' } } })], false)).toEqual([
        { functionCall: { name: 'f', args: {} }, thoughtSignature: 'BBBB' },
      ]);
    });

    it('puts the documented dummy on the first call of an unsigned turn for Gemini 3', () => {
      expect(modelParts([call('call_1', 'f', '{}'), call('call_2', 'g', '{}')], true)).toEqual([
        { functionCall: { name: 'f', args: {} }, thoughtSignature: DUMMY_THOUGHT_SIGNATURE },
        { functionCall: { name: 'g', args: {} } },
      ]);
    });

    it('adds no dummy for other models', () => {
      expect(modelParts([call('call_1', 'f', '{}')], false)).toEqual([{ functionCall: { name: 'f', args: {} } }]);
    });
  });

  describe('multimodal parts', () => {
    const userParts = (content: unknown[], media?: MediaMap) => convert([{ role: 'user', content }], { media }).contents[0]?.parts;

    it.each([
      ['image data URL', { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'high' } }, { inlineData: { mimeType: 'image/png', data: PNG } }],
      ['image data URL as a bare string', { type: 'image_url', image_url: `data:image/png;base64,${PNG}` }, { inlineData: { mimeType: 'image/png', data: PNG } }],
      ['non-base64 data URL', { type: 'image_url', image_url: { url: 'data:image/svg+xml,%3Csvg%2F%3E' } }, { inlineData: { mimeType: 'image/svg+xml', data: btoa('<svg/>') } }],
      ['wav audio', { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } }, { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } }],
      ['mp3 audio', { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } }, { inlineData: { mimeType: 'audio/mp3', data: 'SUQz' } }],
      ['file as data URL', { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'a.pdf' } }, { inlineData: { mimeType: 'application/pdf', data: PDF } }],
      ['file as raw base64 (sniffed)', { type: 'file', file: { file_data: PDF } }, { inlineData: { mimeType: 'application/pdf', data: PDF } }],
      ['file as raw base64 named .csv', { type: 'file', file: { file_data: btoa('a,b\n1,2'), filename: 'data.CSV' } }, { inlineData: { mimeType: 'text/csv', data: btoa('a,b\n1,2') } }],
    ])('%s', (_name, part, expected) => {
      expect(userParts([{ type: 'text', text: 'Look:' }, part])).toEqual([{ text: 'Look:' }, expected]);
    });

    it('uses fetched media for https URLs', () => {
      const media: MediaMap = new Map([['https://example.com/cat.jpg', { mimeType: 'image/jpeg', data: '/9j/' }]]);
      expect(userParts([{ type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }], media)).toEqual([{ inlineData: { mimeType: 'image/jpeg', data: '/9j/' } }]);
    });

    it.each([
      ['a file id', { type: 'file', file: { file_id: 'file-abc' } }, 'messages[0].content[0].file.file_id'],
      ['raw base64 of unknown type', { type: 'file', file: { file_data: btoa('hello') } }, 'messages[0].content[0].file.filename'],
      ['a malformed data URL', { type: 'image_url', image_url: { url: 'data:image/png;base64,!!!' } }, 'messages[0].content[0].image_url.url'],
      ['a URL of another scheme', { type: 'image_url', image_url: { url: 'ftp://example.com/a.png' } }, 'messages[0].content[0].image_url.url'],
    ])('refuses %s naming the field', (_name, part, param) => {
      expect(() => userParts([part])).toThrowError(expect.objectContaining({ status: 400, param }) as Error);
    });
  });

  it('refuses a conversation with only system messages', () => {
    expect(() => convert([{ role: 'system', content: 'x' }])).toThrowError(expect.objectContaining({ status: 400, param: 'messages' }) as Error);
  });

  it('never mutates its input', () => {
    const input = messages([
      { role: 'assistant', content: 'a', tool_calls: [call('call_1', 'f', '{}')] },
      { role: 'assistant', content: 'b' },
      { role: 'tool', tool_call_id: 'call_1', content: 'x' },
    ]);
    const copy = structuredClone(input);
    convertOpenAIMessages(input, { media: new Map(), requireSignatures: true });
    expect(input).toEqual(copy);
  });
});
