import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../src/errors';
import { encodeToolCallId } from '../../../../src/gemini/encode-tool-call-id';
import { DUMMY_THOUGHT_SIGNATURE } from '../../../../src/gemini/ensure-thought-signature';
import type { MediaMap } from '../../../../src/media/fetch-media-urls';
import { type ChatMessage, chatRequestSchema } from '../../../../src/openai/chat/chat-request-schema';
import { toGeminiMessages } from '../../../../src/openai/chat/to-gemini-messages';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PDF = 'JVBERi0xLjQKJcfsj6IKNSAwIG9iago=';

/** Messages as the schema outputs them, from JSON a client would send. */
const messages = (list: unknown[]): ChatMessage[] => chatRequestSchema.parse({ model: 'm', messages: list }).messages;
const convert = (list: unknown[], options: { media?: MediaMap; requireSignatures?: boolean } = {}) =>
  toGeminiMessages(messages(list), {
    media: options.media ?? new Map(),
    requireSignatures: options.requireSignatures ?? false,
  });

const call = (id: string, name: string, args: string, extra?: object) => ({
  id,
  type: 'function',
  function: { name, arguments: args },
  ...extra,
});

describe('toGeminiMessages', () => {
  it('moves every system and developer message, in order, into systemInstruction', () => {
    expect(
      convert([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        {
          role: 'developer',
          content: [
            { type: 'text', text: 'Answer in French.' },
            { type: 'text', text: 'No emoji.' },
          ],
        },
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
        {
          role: 'user',
          content: [
            { type: 'text', text: 'b' },
            { type: 'text', text: '' },
          ],
        },
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
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          call('call_a', 'get_weather', '{"city":"Paris"}'),
          call('call_b', 'get_weather', '{"city":"Tokyo"}'),
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '{"temp":18}' },
      {
        role: 'tool',
        tool_call_id: 'call_b',
        content: [
          { type: 'text', text: 'sunny, ' },
          { type: 'text', text: '25C' },
        ],
      },
      { role: 'assistant', content: null, tool_calls: [call('call_c', 'get_time', '')] },
      { role: 'tool', tool_call_id: 'call_c', content: '[1,2]' },
    ]);
    expect(out.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Tokyo?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Let me check.' },
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'get_weather', args: { city: 'Tokyo' } } },
        ],
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

  describe('pairing of tool calls and results', () => {
    const ask = { role: 'user', content: 'x' };
    const calls = (...ids: string[]) => ({
      role: 'assistant',
      content: null,
      tool_calls: ids.map((id) => call(id, `f_${id}`, '{}')),
    });
    const result = (id: string) => ({ role: 'tool', tool_call_id: id, content: 'r' });
    const UNANSWERED =
      "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ";
    const NOT_A_RESPONSE =
      "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.";

    it.each([
      ['a result whose id no assistant call has', [ask, result('call_zz')], 'messages[1].tool_call_id', NOT_A_RESPONSE],
      [
        'fewer results than calls before the next user message',
        [ask, calls('a', 'b'), result('a'), ask],
        'messages[3].role',
        `${UNANSWERED}b`,
      ],
      [
        'no results before the next assistant message',
        [ask, calls('a', 'b'), { role: 'assistant', content: 'hm' }],
        'messages[2].role',
        `${UNANSWERED}a, b`,
      ],
      [
        'some results but not all at the end',
        [ask, calls('a', 'b', 'c'), result('b')],
        'messages[1].tool_calls',
        `${UNANSWERED}a, c`,
      ],
      [
        'a result after the next user message',
        [ask, calls('a'), result('a'), ask, result('a')],
        'messages[4].role',
        NOT_A_RESPONSE,
      ],
      [
        'a result after the next round started',
        [ask, calls('a'), result('a'), calls('b'), result('a'), result('b')],
        'messages[4].role',
        NOT_A_RESPONSE,
      ],
      [
        'two results for one call',
        [ask, calls('a'), result('a'), result('a')],
        'messages[3].tool_call_id',
        "the tool call 'a' already has its response in 'messages[2]'",
      ],
    ])('refuses %s (400 naming %s)', (_name, list, param, message) => {
      let error: GatewayError | undefined;
      try {
        convert(list);
      } catch (caught) {
        error = caught as GatewayError;
      }
      expect(error).toBeInstanceOf(GatewayError);
      expect(error?.status).toBe(400);
      expect(error?.param).toBe(param);
      expect(error?.message).toContain(message);
    });

    it.each([
      ['results in another order than the calls', [ask, calls('a', 'b'), result('b'), result('a'), ask], 2],
      [
        'a system message between the calls and the results',
        [ask, calls('a'), { role: 'system', content: 's' }, result('a')],
        1,
      ],
      ['a history that stops at the calls', [ask, calls('a', 'b')], 0],
      ['one id used by two calls, answered twice', [ask, calls('a', 'a'), result('a'), result('a'), ask], 2],
      [
        'several rounds',
        [
          ask,
          calls('a'),
          result('a'),
          calls('b', 'c'),
          result('c'),
          result('b'),
          { role: 'assistant', content: 'done' },
        ],
        3,
      ],
    ])('accepts %s', (_name, list, responses) => {
      const parts = convert(list).contents.flatMap((content) => content.parts);
      expect(parts.filter((part) => 'functionResponse' in part)).toHaveLength(responses);
    });

    it('names each result after the function of the call it answers', () => {
      expect(convert([ask, calls('a', 'b'), result('b'), result('a')]).contents[2]?.parts).toEqual([
        { functionResponse: { name: 'f_b', response: { result: 'r' } } },
        { functionResponse: { name: 'f_a', response: { result: 'r' } } },
      ]);
    });
  });

  it.each([
    ['{not json', 'not valid JSON'],
    ['[1,2]', 'must be a JSON object'],
    [`${'{"a":'.repeat(65)}1${'}'.repeat(65)}`, 'the JSON is nested more than 64 levels deep'],
    [`{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 'the JSON is nested more than 64 levels deep'],
  ])('refuses tool call arguments %s', (args, fragment) => {
    let error: GatewayError | undefined;
    try {
      convert([
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [call('call_a', 'f', args)] },
      ]);
    } catch (caught) {
      error = caught as GatewayError;
    }
    expect(error?.param).toBe('messages[1].tool_calls[0].function.arguments');
    expect(error?.message).toContain(fragment);
  });

  describe('thought signatures', () => {
    const history = (calls: unknown[]) => [
      { role: 'user', content: 'x' },
      { role: 'assistant', tool_calls: calls },
    ];
    const modelParts = (calls: unknown[], requireSignatures: boolean) =>
      convert(history(calls), { requireSignatures }).contents[1]?.parts;

    it('takes the signature from our tool call id', () => {
      const signature = 'CiQBjz1rX+abc/deYQ==';
      expect(
        modelParts([call(encodeToolCallId('abc', signature), 'f', '{}'), call('call_x', 'f', '{}')], true),
      ).toEqual([
        { functionCall: { name: 'f', args: {} }, thoughtSignature: signature },
        { functionCall: { name: 'f', args: {} } },
      ]);
    });

    it("takes Google's extra_content form first", () => {
      expect(
        modelParts(
          [
            call(encodeToolCallId('abc', 'AAAA'), 'f', '{}', {
              extra_content: { google: { thought_signature: 'BBBB' } },
            }),
          ],
          false,
        ),
      ).toEqual([{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'BBBB' }]);
    });

    it('puts the documented dummy on the first call of an unsigned turn for Gemini 3', () => {
      expect(modelParts([call('call_1', 'f', '{}'), call('call_2', 'g', '{}')], true)).toEqual([
        { functionCall: { name: 'f', args: {} }, thoughtSignature: DUMMY_THOUGHT_SIGNATURE },
        { functionCall: { name: 'g', args: {} } },
      ]);
    });

    it.each([
      ['an id whose signature part has a length no decoder accepts', call('call_x__a', 'f', '{}')],
      ['an id whose signature part has five characters', call('call_x__AAAAA', 'f', '{}')],
      [
        'an extra_content signature of padding only',
        call('call_1', 'f', '{}', { extra_content: { google: { thought_signature: '====' } } }),
      ],
      [
        'an extra_content signature that is not base64',
        call('call_1', 'f', '{}', { extra_content: { google: { thought_signature: 'sig!' } } }),
      ],
      [
        'an extra_content signature with one character',
        call('call_1', 'f', '{}', { extra_content: { google: { thought_signature: 'A' } } }),
      ],
    ])('drops %s, so Gemini 3 gets the dummy and other models none', (_name, toolCall) => {
      expect(modelParts([toolCall], true)).toEqual([
        { functionCall: { name: 'f', args: {} }, thoughtSignature: DUMMY_THOUGHT_SIGNATURE },
      ]);
      expect(modelParts([toolCall], false)).toEqual([{ functionCall: { name: 'f', args: {} } }]);
    });

    it('falls back to the id when the extra_content signature is not base64', () => {
      expect(
        modelParts(
          [
            call(encodeToolCallId('abc', 'AAAA'), 'f', '{}', {
              extra_content: { google: { thought_signature: 'A===' } },
            }),
          ],
          false,
        ),
      ).toEqual([{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'AAAA' }]);
    });

    it('adds no dummy for other models', () => {
      expect(modelParts([call('call_1', 'f', '{}')], false)).toEqual([{ functionCall: { name: 'f', args: {} } }]);
    });
  });

  describe('multimodal parts', () => {
    const userParts = (content: unknown[], media?: MediaMap) =>
      convert([{ role: 'user', content }], { media }).contents[0]?.parts;

    it.each([
      [
        'image data URL',
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'high' } },
        { inlineData: { mimeType: 'image/png', data: PNG } },
      ],
      [
        'image data URL as a bare string',
        { type: 'image_url', image_url: `data:image/png;base64,${PNG}` },
        { inlineData: { mimeType: 'image/png', data: PNG } },
      ],
      [
        'non-base64 data URL',
        { type: 'image_url', image_url: { url: 'data:image/svg+xml,%3Csvg%2F%3E' } },
        { inlineData: { mimeType: 'image/svg+xml', data: btoa('<svg/>') } },
      ],
      [
        'wav audio',
        { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
        { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
      ],
      [
        'mp3 audio',
        { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
        { inlineData: { mimeType: 'audio/mp3', data: 'SUQz' } },
      ],
      [
        'file as data URL',
        { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'a.pdf' } },
        { inlineData: { mimeType: 'application/pdf', data: PDF } },
      ],
      [
        'file as raw base64 (sniffed)',
        { type: 'file', file: { file_data: PDF } },
        { inlineData: { mimeType: 'application/pdf', data: PDF } },
      ],
      [
        'file as raw base64 named .csv',
        { type: 'file', file: { file_data: btoa('a,b\n1,2'), filename: 'data.CSV' } },
        { inlineData: { mimeType: 'text/csv', data: btoa('a,b\n1,2') } },
      ],
      [
        'line-wrapped base64 audio',
        { type: 'input_audio', input_audio: { data: 'UklG\r\nRg==\n', format: 'wav' } },
        { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
      ],
      [
        'URL-safe base64 in a data URL',
        { type: 'image_url', image_url: { url: 'data:image/png;base64,-_8' } },
        { inlineData: { mimeType: 'image/png', data: '+/8' } },
      ],
      [
        'raw file base64 with whitespace',
        { type: 'file', file: { file_data: `${PDF.slice(0, 8)}\n${PDF.slice(8)}` } },
        { inlineData: { mimeType: 'application/pdf', data: PDF } },
      ],
    ])('%s', (_name, part, expected) => {
      expect(userParts([{ type: 'text', text: 'Look:' }, part])).toEqual([{ text: 'Look:' }, expected]);
    });

    it('uses fetched media for https URLs', () => {
      const media: MediaMap = new Map([['https://example.com/cat.jpg', { mimeType: 'image/jpeg', data: '/9j/' }]]);
      expect(userParts([{ type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }], media)).toEqual([
        { inlineData: { mimeType: 'image/jpeg', data: '/9j/' } },
      ]);
    });

    it.each([
      ['a file id', { type: 'file', file: { file_id: 'file-abc' } }, 'messages[0].content[0].file.file_id'],
      [
        'raw base64 of unknown type',
        { type: 'file', file: { file_data: btoa('hello') } },
        'messages[0].content[0].file.filename',
      ],
      [
        'a malformed data URL',
        { type: 'image_url', image_url: { url: 'data:image/png;base64,!!!' } },
        'messages[0].content[0].image_url.url',
      ],
      [
        'a data URL of five base64 characters',
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAAA' } },
        'messages[0].content[0].image_url.url',
      ],
      [
        'a data URL of one base64 character',
        { type: 'image_url', image_url: 'data:image/png;base64,A' },
        'messages[0].content[0].image_url',
      ],
      [
        'a data URL with padding in the middle',
        { type: 'image_url', image_url: { url: 'data:image/png;base64,QQ==QQ==' } },
        'messages[0].content[0].image_url.url',
      ],
      [
        'an empty data URL',
        { type: 'image_url', image_url: { url: 'data:image/png;base64,' } },
        'messages[0].content[0].image_url.url',
      ],
      [
        'an empty plain data URL',
        { type: 'image_url', image_url: { url: 'data:,' } },
        'messages[0].content[0].image_url.url',
      ],
      [
        'input_audio data that is not base64',
        { type: 'input_audio', input_audio: { data: '!!!not base64!!!', format: 'wav' } },
        'messages[0].content[0].input_audio.data',
      ],
      [
        'input_audio data of one character',
        { type: 'input_audio', input_audio: { data: 'A', format: 'mp3' } },
        'messages[0].content[0].input_audio.data',
      ],
      [
        'empty input_audio data',
        { type: 'input_audio', input_audio: { data: '', format: 'mp3' } },
        'messages[0].content[0].input_audio.data',
      ],
      [
        'raw file_data that is not base64',
        { type: 'file', file: { file_data: '%%%%', filename: 'a.pdf' } },
        'messages[0].content[0].file.file_data',
      ],
      [
        'raw file_data mixing both alphabets',
        { type: 'file', file: { file_data: 'ab+-', filename: 'a.pdf' } },
        'messages[0].content[0].file.file_data',
      ],
      [
        'a URL of another scheme',
        { type: 'image_url', image_url: { url: 'ftp://example.com/a.png' } },
        'messages[0].content[0].image_url.url',
      ],
    ])('refuses %s naming the field', (_name, part, param) => {
      expect(() => userParts([part])).toThrowError(expect.objectContaining({ status: 400, param }) as Error);
    });
  });

  it('refuses a conversation with only system messages', () => {
    expect(() => convert([{ role: 'system', content: 'x' }])).toThrowError(
      expect.objectContaining({ status: 400, param: 'messages' }) as Error,
    );
  });

  it('never mutates its input', () => {
    const input = messages([
      { role: 'assistant', content: 'a', tool_calls: [call('call_1', 'f', '{}')] },
      { role: 'tool', tool_call_id: 'call_1', content: 'x' },
      { role: 'assistant', content: 'b' },
    ]);
    const copy = structuredClone(input);
    toGeminiMessages(input, { media: new Map(), requireSignatures: true });
    expect(input).toEqual(copy);
  });
});
