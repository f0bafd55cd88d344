import { describe, expect, it } from 'vitest';
import { createMessagesStreamStep } from '../../../src/anthropic/create-messages-stream-step';
import { fromGeminiGrounding } from '../../../src/anthropic/from-gemini-grounding';
import { fromGeminiMessage } from '../../../src/anthropic/from-gemini-message';
import { messagesRequestSchema } from '../../../src/anthropic/messages-request-schema';
import { toGeminiRequest } from '../../../src/anthropic/to-gemini-request';
import { readGeminiResponse } from '../../../src/gemini/read-gemini-response';
import { readGroundingMetadata } from '../../../src/gemini/read-grounding-metadata';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { testMeta } from './helpers';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const ANSWER = 'Spain won Euro 2024 🏆, beating England 2–1. Nico Williams scored first. The final was in Berlin.';
const PAGES = [
  { web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/uefa', title: 'uefa.com' } },
  { web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/bbc', title: 'bbc.com' } },
];

/** Gemini's segment for `piece` of `text`: UTF-8 byte offsets, a zero start left out as proto3 JSON does. */
function segment(text: string, piece: string) {
  const start = encoder.encode(text.slice(0, text.indexOf(piece))).length;
  return { ...(start === 0 ? {} : { startIndex: start }), endIndex: start + encoder.encode(piece).length, text: piece };
}

function metadata(text: string, queries = ['euro 2024 final']) {
  return {
    webSearchQueries: queries,
    searchEntryPoint: { renderedContent: '<div>chips</div>' },
    groundingChunks: PAGES,
    groundingSupports: [
      // Nested, as Google sends them: the whole sentence by both pages, its first words by one.
      { segment: segment(text, 'Spain won Euro 2024 🏆, beating England 2–1.'), groundingChunkIndices: [0, 1] },
      { segment: segment(text, 'Spain won'), groundingChunkIndices: [1] },
      { segment: segment(text, 'The final was in Berlin.'), groundingChunkIndices: [0] },
    ],
  };
}

const sentence = (text: string, title: string, url: string) => ({
  type: 'web_search_result_location',
  url,
  title,
  cited_text: text,
  encrypted_index: '',
});
const UEFA = PAGES[0]!.web.uri;
const BBC = PAGES[1]!.web.uri;

/** The message Anthropic's web search would answer for ANSWER, with ids t1, t2 … */
const EXPECTED_CONTENT = [
  { type: 'server_tool_use', id: 'srvtoolu_t1', name: 'web_search', input: { query: 'euro 2024 final' } },
  {
    type: 'web_search_tool_result',
    tool_use_id: 'srvtoolu_t1',
    content: [
      { type: 'web_search_result', url: UEFA, title: 'uefa.com', encrypted_content: '', page_age: null },
      { type: 'web_search_result', url: BBC, title: 'bbc.com', encrypted_content: '', page_age: null },
    ],
  },
  {
    type: 'text',
    text: 'Spain won Euro 2024 🏆, beating England 2–1.',
    citations: [
      sentence('Spain won Euro 2024 🏆, beating England 2–1.', 'uefa.com', UEFA),
      sentence('Spain won Euro 2024 🏆, beating England 2–1.', 'bbc.com', BBC),
    ],
  },
  { type: 'text', text: ' Nico Williams scored first. ' },
  {
    type: 'text',
    text: 'The final was in Berlin.',
    citations: [sentence('The final was in Berlin.', 'uefa.com', UEFA)],
  },
];

describe('fromGeminiGrounding', () => {
  it('puts the search and its results before the text, and splits the text into cited and plain blocks', () => {
    const grounding = readGroundingMetadata(metadata(ANSWER))!;
    const { content, searches } = fromGeminiGrounding(
      [{ type: 'text', text: ANSWER }],
      grounding,
      [ANSWER],
      testMeta().newId,
    );
    expect(content).toEqual(EXPECTED_CONTENT);
    expect(searches).toBe(1);
  });

  it('keeps thoughts first and cites text blocks on either side of them by their place in the whole answer', () => {
    const first = 'Spain won Euro 2024 🏆, beating England 2–1. Nico Williams';
    const second = ANSWER.slice(first.length);
    const grounding = readGroundingMetadata(metadata(ANSWER))!;
    const { content } = fromGeminiGrounding(
      [
        { type: 'thinking', thinking: 'Search first.', signature: '' },
        { type: 'text', text: first },
        { type: 'thinking', thinking: 'Then the venue.', signature: '' },
        { type: 'text', text: second },
      ],
      grounding,
      ['', first, '', second],
      testMeta().newId,
    );
    expect(content.map((block) => block.type)).toEqual([
      'thinking',
      'server_tool_use',
      'web_search_tool_result',
      'text',
      'text',
      'thinking',
      'text',
      'text',
    ]);
    expect(content.slice(3)).toEqual([
      EXPECTED_CONTENT[2],
      { type: 'text', text: ' Nico Williams' },
      { type: 'thinking', thinking: 'Then the venue.', signature: '' },
      { type: 'text', text: ' scored first. ' },
      EXPECTED_CONTENT[4],
    ]);
  });

  it('shows each query as a search of its own, the pages once in the last result, and counts the searches', () => {
    const grounding = readGroundingMetadata(metadata(ANSWER, ['euro 2024 winner', 'euro 2024 final venue']))!;
    const { content, searches } = fromGeminiGrounding(
      [{ type: 'text', text: ANSWER }],
      grounding,
      [ANSWER],
      testMeta().newId,
    );
    expect(content.slice(0, 4)).toEqual([
      { type: 'server_tool_use', id: 'srvtoolu_t1', name: 'web_search', input: { query: 'euro 2024 winner' } },
      { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_t1', content: [] },
      { type: 'server_tool_use', id: 'srvtoolu_t2', name: 'web_search', input: { query: 'euro 2024 final venue' } },
      { ...EXPECTED_CONTENT[1], tool_use_id: 'srvtoolu_t2' },
    ]);
    expect(searches).toBe(2);
  });

  it('leaves an answer Google did not search for as it is', () => {
    const content = [{ type: 'text' as const, text: 'Hello' }];
    expect(fromGeminiGrounding(content, undefined, ['Hello'], testMeta().newId)).toEqual({ content, searches: 0 });
    const empty = readGroundingMetadata({ searchEntryPoint: { renderedContent: '<div></div>' } });
    expect(fromGeminiGrounding(content, empty, ['Hello'], testMeta().newId)).toEqual({ content, searches: 0 });
  });

  it('shows the search even when the answer has no text', () => {
    const grounding = readGroundingMetadata(metadata(ANSWER))!;
    const { content } = fromGeminiGrounding([], grounding, [], testMeta().newId);
    expect(content).toEqual(EXPECTED_CONTENT.slice(0, 2));
  });
});

function geminiAnswer(parts: unknown[], groundingMetadata?: unknown) {
  return {
    candidates: [
      { content: { role: 'model', parts }, finishReason: 'STOP', ...(groundingMetadata ? { groundingMetadata } : {}) },
    ],
    usageMetadata: {
      promptTokenCount: 8,
      candidatesTokenCount: 20,
      toolUsePromptTokenCount: 100,
      totalTokenCount: 128,
    },
  };
}

describe('fromGeminiMessage with web search', () => {
  it('answers as Anthropic’s web search does, and counts the searches in the usage', () => {
    const response = readGeminiResponse(geminiAnswer([{ text: ANSWER }], metadata(ANSWER)))!;
    const message = fromGeminiMessage(response, testMeta(), { webSearch: true });
    expect(message.content).toEqual(EXPECTED_CONTENT);
    expect(message.usage).toEqual({
      input_tokens: 108,
      output_tokens: 20,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      server_tool_use: { web_search_requests: 1 },
    });
    expect(message.stop_reason).toBe('end_turn');
  });

  it('counts no search when Google answered without one; a request without web search gets plain text', () => {
    const plain = fromGeminiMessage(readGeminiResponse(geminiAnswer([{ text: 'Hi' }]))!, testMeta(), {
      webSearch: true,
    });
    expect(plain.content).toEqual([{ type: 'text', text: 'Hi' }]);
    expect(plain.usage.server_tool_use).toEqual({ web_search_requests: 0 });

    const grounded = readGeminiResponse(geminiAnswer([{ text: ANSWER }], metadata(ANSWER)))!;
    const message = fromGeminiMessage(grounded, testMeta());
    expect(message.content).toEqual([{ type: 'text', text: ANSWER }]);
    expect(message.usage).not.toHaveProperty('server_tool_use');
  });
});

type Event = { type: string; data: Record<string, unknown> };

function runStep(body: string, size: number): Event[] {
  const step = createMessagesStreamStep(testMeta(), { onError: () => {}, webSearch: true });
  const bytes = encoder.encode(body);
  let out = '';
  for (let i = 0; i < bytes.length; i += size) {
    const result = step.chunk?.(bytes.subarray(i, i + size));
    if (result) out += decoder.decode(result);
  }
  const last = step.end?.();
  if (last) out += decoder.decode(last);
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

/** What the SDK's MessageStream does with the events: the blocks they build. */
function assemble(events: readonly Event[]): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  const json: string[] = [];
  for (const { type, data } of events) {
    const index = data.index as number;
    if (type === 'content_block_start') {
      blocks[index] = { ...(data.content_block as Record<string, unknown>) };
      json[index] = '';
    }
    if (type === 'content_block_delta') {
      const block = blocks[index]!;
      const delta = data.delta as Record<string, unknown>;
      if (delta.type === 'text_delta') block.text = `${block.text as string}${delta.text as string}`;
      if (delta.type === 'citations_delta')
        block.citations = [...((block.citations as unknown[]) ?? []), delta.citation];
      if (delta.type === 'thinking_delta') block.thinking = `${block.thinking as string}${delta.thinking as string}`;
      if (delta.type === 'input_json_delta') json[index] += delta.partial_json as string;
    }
    if (type === 'content_block_stop' && json[index]) blocks[index]!.input = JSON.parse(json[index]);
  }
  return blocks;
}

describe('the stream with web search', () => {
  const chunk = (value: unknown) => `data: ${JSON.stringify(value)}\r\n\r\n`;
  const body = [
    chunk({ candidates: [{ content: { role: 'model', parts: [{ text: 'Looking it up.', thought: true }] } }] }),
    chunk({ candidates: [{ content: { role: 'model', parts: [{ text: ANSWER.slice(0, 25) }] } }] }),
    chunk({ candidates: [{ content: { role: 'model', parts: [{ text: ANSWER.slice(25, 60) }] } }] }),
    chunk({ ...geminiAnswer([{ text: ANSWER.slice(60) }], metadata(ANSWER)) }),
  ].join('');

  it('starts at once, pings while Gemini answers, then sends the whole answer in Anthropic’s order', () => {
    const events = runStep(body, 11);
    expect(events.slice(0, 5).map((event) => event.type)).toEqual(['message_start', 'ping', 'ping', 'ping', 'ping']);
    expect(events.slice(5, 10).map((event) => event.data)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Looking it up.' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'server_tool_use', id: 'srvtoolu_t1', name: 'web_search', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"query":"euro 2024 final"}' },
      },
    ]);
    expect(events.slice(11, 17).map((event) => event.data)).toEqual([
      { type: 'content_block_start', index: 2, content_block: EXPECTED_CONTENT[1] },
      { type: 'content_block_stop', index: 2 },
      { type: 'content_block_start', index: 3, content_block: { type: 'text', text: '' } },
      {
        type: 'content_block_delta',
        index: 3,
        delta: {
          type: 'citations_delta',
          citation: sentence('Spain won Euro 2024 🏆, beating England 2–1.', 'uefa.com', UEFA),
        },
      },
      {
        type: 'content_block_delta',
        index: 3,
        delta: {
          type: 'citations_delta',
          citation: sentence('Spain won Euro 2024 🏆, beating England 2–1.', 'bbc.com', BBC),
        },
      },
      {
        type: 'content_block_delta',
        index: 3,
        delta: { type: 'text_delta', text: 'Spain won Euro 2024 🏆, beating England 2–1.' },
      },
    ]);
    expect(events.slice(-2).map((event) => event.data)).toEqual([
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: {
          input_tokens: 108,
          output_tokens: 20,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          server_tool_use: { web_search_requests: 1 },
        },
      },
      { type: 'message_stop' },
    ]);
  });

  it('builds the same blocks as the non-streaming answer, however the bytes are cut', () => {
    const whole = fromGeminiMessage(
      readGeminiResponse(
        geminiAnswer([{ text: 'Looking it up.', thought: true }, { text: ANSWER }], metadata(ANSWER)),
      )!,
      testMeta(),
      {
        webSearch: true,
      },
    );
    expect(assemble(runStep(body, 5))).toEqual(whole.content);
    expect(runStep(body, 1)).toEqual(runStep(body, 64));
  });
});

describe('an earlier web search in the history', () => {
  const search = { type: 'server_tool_use', id: 'srvtoolu_a', name: 'web_search', input: { query: 'q' } } as const;
  const result = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_a', content: [] } as const;
  const history = (role: 'user' | 'assistant') => ({
    model: 'claude-sonnet-4-6',
    max_tokens: 10,
    messages: [
      { role: 'user', content: 'q?' },
      {
        role,
        content: [search, result, { type: 'text', text: 'A.', citations: [sentence('A.', 'a.com', 'https://a.com')] }],
      },
    ],
  });

  it('is dropped from an assistant message, whose text goes on as text', () => {
    const request = parseWithSchema(messagesRequestSchema, history('assistant'));
    expect(toGeminiRequest(request, { model: 'gemini-flash-latest', media: new Map() }).contents).toEqual([
      { role: 'user', parts: [{ text: 'q?' }] },
      { role: 'model', parts: [{ text: 'A.' }] },
    ]);
  });

  it('is a 400 naming the block in a user message', () => {
    const request = parseWithSchema(messagesRequestSchema, history('user'));
    expect(() => toGeminiRequest(request, { model: 'gemini-flash-latest', media: new Map() })).toThrow(
      expect.objectContaining({ status: 400, param: 'messages[1].content[0].type' }),
    );
  });
});
