import Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageParam, RawMessageStreamEvent, TextCitation } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GROUNDING_SOURCES } from '../fake-gemini/grounding';
import { onlyGenerateBody } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * Anthropic's web search server tool through the official `@anthropic-ai/sdk`: Gemini's Google Search
 * grounding (the strict fake answers googleSearch with real-shaped groundingMetadata, UTF-8 byte offsets
 * included) comes back as the blocks and citations Anthropic's own web search returns, created or streamed.
 */
let stack: Stack;
let client: Anthropic;
beforeAll(async () => {
  stack = await startStack({}, { chunkDelayMs: 0 });
  client = new Anthropic({ baseURL: stack.url, apiKey: 'k1', maxRetries: 0 });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const QUESTION = 'Wetter in Zürich heute?';
const WEB_SEARCH = { type: 'web_search_20250305', name: 'web_search', max_uses: 3 } as const;
const request = {
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  tools: [WEB_SEARCH],
  messages: [{ role: 'user', content: QUESTION }] as MessageParam[],
};

const location = (source: (typeof GROUNDING_SOURCES)[number]) => ({
  type: 'web_search_result_location',
  url: source.uri,
  title: source.title,
  cited_text: QUESTION,
  encrypted_index: '',
});

/** What Anthropic's web search answers: the search, its results, then the text with the cited words apart. */
function expectSearchAnswer(message: Message): void {
  const search = message.content[0];
  expect(search).toEqual({
    type: 'server_tool_use',
    id: expect.stringMatching(/^srvtoolu_[A-Za-z0-9]+$/),
    name: 'web_search',
    input: { query: QUESTION },
  });
  expect(message.content.slice(1)).toEqual([
    {
      type: 'web_search_tool_result',
      tool_use_id: search?.type === 'server_tool_use' && search.id,
      content: GROUNDING_SOURCES.map((source) => ({
        type: 'web_search_result',
        url: source.uri,
        title: source.title,
        encrypted_content: '',
        page_age: null,
      })),
    },
    { type: 'text', text: 'Echo: ' },
    // The fake cites the first word with one page and the whole question with both: one block, each page once.
    { type: 'text', text: QUESTION, citations: GROUNDING_SOURCES.map(location) },
  ]);
  expect(message.stop_reason).toBe('end_turn');
  expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1 });
}

describe('the web search server tool', () => {
  it('messages.create returns server_tool_use, web_search_tool_result and cited text blocks', async () => {
    const message = await client.messages.create(request);
    expectSearchAnswer(message);
    expect(onlyGenerateBody(stack.fake.requests).tools).toEqual([{ googleSearch: {} }]);
  });

  it('messages.stream builds the same message, with a citation event per source', async () => {
    const events: RawMessageStreamEvent[] = [];
    const citations: TextCitation[] = [];
    const stream = client.messages.stream(request);
    stream.on('streamEvent', (event) => events.push(event));
    stream.on('citation', (citation) => citations.push(citation));
    const message = await stream.finalMessage();
    expectSearchAnswer(message);
    expect(citations).toEqual(GROUNDING_SOURCES.map(location));
    // The message starts at once; the blocks follow in Anthropic's order once Gemini has said what it searched.
    expect(events[0]?.type).toBe('message_start');
    const starts = events.flatMap((event) => (event.type === 'content_block_start' ? [event.content_block.type] : []));
    expect(starts).toEqual(['server_tool_use', 'web_search_tool_result', 'text', 'text']);
  });

  it('an answer with its search, sent back as history, reaches Gemini as its text alone', async () => {
    const answer = await client.messages.create(request);
    stack.fake.reset();
    const next = await client.messages.create({
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: answer.content },
        { role: 'user', content: 'Und morgen?' },
      ],
    });
    expect(next.content[0]?.type).toBe('server_tool_use');
    expect(onlyGenerateBody(stack.fake.requests).contents).toEqual([
      { role: 'user', parts: [{ text: QUESTION }] },
      { role: 'model', parts: [{ text: 'Echo: ' }, { text: QUESTION }] },
      { role: 'user', parts: [{ text: 'Und morgen?' }] },
    ]);
  });

  it('a request without web search streams as before, with no server tool usage', async () => {
    const message = await client.messages.stream({ ...request, tools: [] }).finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: `Echo: ${QUESTION}` }]);
    expect(message.usage.server_tool_use).toBeUndefined();
  });
});
