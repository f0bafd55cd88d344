import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, RawMessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blockedReply, DUMMY_SIGNATURE, THOUGHT_TEXT, textChunks } from '../fake-gemini';
import { generateCalls, onlyGenerateBody, type UpstreamGenerateBody } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * The Anthropic Messages surface with the official `@anthropic-ai/sdk` against the real server and the
 * strict fake Gemini: what the client gets back, and exactly what reached the upstream.
 */
let stack: Stack;
let client: Anthropic;
beforeAll(async () => {
  stack = await startStack({ MODEL_MAP: 'my-claude=gemini-3-flash-preview' }, { chunkDelayMs: 0 });
  client = anthropicClient('k1');
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

function anthropicClient(
  apiKey: string | null,
  options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {},
): Anthropic {
  return new Anthropic({ baseURL: stack.url, apiKey, maxRetries: 0, ...options });
}

const user = (content: MessageParam['content']): MessageParam => ({ role: 'user', content });
const body = (): UpstreamGenerateBody => onlyGenerateBody(stack.fake.requests);

const readTool: Tool = {
  name: 'read_file',
  description: 'Read a file',
  input_schema: {
    type: 'object',
    properties: { path: { type: 'string', description: 'Absolute path' } },
    required: ['path'],
    additionalProperties: false,
  },
};

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('messages.create', () => {
  it('answers an Anthropic message echoing the requested model, with Gemini’s token counts', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 1024,
      system: 'Be brief.',
      messages: [user('hello there')],
    });
    expect(message).toEqual({
      id: expect.stringMatching(/^msg_[A-Za-z0-9]+$/),
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: 'Echo: hello there' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 4, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(generateCalls(stack.fake.requests)[0]?.path).toBe('/v1beta/models/gemini-flash-latest:generateContent');
    expect(body()).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'hello there' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { maxOutputTokens: 1024 },
    });
  });

  it.each([
    ['claude-opus-4-8', 'gemini-pro-latest'],
    ['claude-sonnet-5', 'gemini-flash-latest'],
    ['claude-haiku-4-5-20251001', 'gemini-flash-lite-latest'],
    ['claude-something-new', 'gemini-flash-latest'],
    ['gemini-3-flash-preview', 'gemini-3-flash-preview'],
    ['my-claude', 'gemini-3-flash-preview'],
  ])('serves %s with %s', async (model, gemini) => {
    const message = await client.messages.create({ model, max_tokens: 100, messages: [user('hi')] });
    expect(message.model).toBe(model);
    expect(generateCalls(stack.fake.requests)[0]?.path).toBe(`/v1beta/models/${gemini}:generateContent`);
  });

  it('maps sampling fields, leaves a max_tokens above any Gemini limit to the model, and drops Anthropic-only fields', async () => {
    // This SDK version no longer types the sampling fields; the API still takes them.
    const sampling = { temperature: 0.3, top_p: 0.9, top_k: 20, context_management: { edits: [] } };
    // Streamed, as Claude Code does: the SDK refuses a non-streaming call with such a max_tokens.
    await client.messages
      .stream({
        model: 'claude-haiku-4-5',
        max_tokens: 128_000,
        stop_sequences: ['END'],
        metadata: { user_id: 'u1' },
        messages: [user([{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }])],
        ...sampling,
      })
      .finalMessage();
    expect(body().generationConfig).toEqual({ temperature: 0.3, topP: 0.9, topK: 20, stopSequences: ['END'] });
  });

  it('sends images as inline data and reads text and PDF documents', async () => {
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [
        user([
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
          {
            type: 'document',
            source: { type: 'text', media_type: 'text/plain', data: 'The notes.' },
            title: 'notes.txt',
          },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' } },
          { type: 'text', text: 'What is this?' },
        ]),
      ],
    });
    expect(body().contents[0]?.parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: PNG } },
      { text: 'notes.txt\n\nThe notes.' },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0xLjQK' } },
      { text: 'What is this?' },
    ]);
  });

  it('shows Gemini’s thoughts as a thinking block first when thinking is enabled', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [user('think')],
    });
    expect(message.content).toEqual([
      { type: 'thinking', thinking: THOUGHT_TEXT, signature: '' },
      { type: 'text', text: 'Echo: think' },
    ]);
    expect(body().generationConfig).toEqual({
      maxOutputTokens: 4096,
      thinkingConfig: { thinkingLevel: 'medium', includeThoughts: true },
    });
    // Two words of text and three of thought.
    expect(message.usage.output_tokens).toBe(2 + 3);
  });

  it.each([
    [{ type: 'adaptive' }, { effort: 'high' }, { thinkingLevel: 'high', includeThoughts: true }],
    [{ type: 'adaptive' }, undefined, { includeThoughts: true }],
    [{ type: 'adaptive', display: 'omitted' }, { effort: 'medium' }, { thinkingLevel: 'medium' }],
    [{ type: 'disabled' }, undefined, { thinkingLevel: 'low' }],
    [undefined, { effort: 'low' }, { thinkingLevel: 'low' }],
  ])('thinking %j with output_config %j → thinkingConfig %j', async (thinking, outputConfig, expected) => {
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [user('hi')],
      ...(thinking ? { thinking: thinking as Anthropic.ThinkingConfigParam } : {}),
      ...(outputConfig ? { output_config: outputConfig as Anthropic.OutputConfig } : {}),
    });
    expect(body().generationConfig?.thinkingConfig).toEqual(expected);
  });

  it('reports a prompt Gemini blocked as an empty refusal', async () => {
    stack.fake.script({ reply: blockedReply('PROHIBITED_CONTENT') });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [user('bad')],
    });
    expect(message.content).toEqual([]);
    expect(message.stop_reason).toBe('refusal');
  });

  it('reports a reply cut at max_tokens', async () => {
    stack.fake.script({ chunks: textChunks('a long answer', { finishReason: 'MAX_TOKENS' }) });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 3,
      messages: [user('go on')],
    });
    expect(message.stop_reason).toBe('max_tokens');
  });
});

describe('tools', () => {
  it('runs a two-turn tool conversation on a Gemini 3 model: the tool_use id carries the thought signature back', async () => {
    const first = await client.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 1000,
      tools: [readTool],
      tool_choice: { type: 'any' },
      messages: [user('read /tmp/a.txt')],
    });
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'read_file', input: { path: '' } });
    const firstBody = generateCalls(stack.fake.requests)[0]?.body as UpstreamGenerateBody;
    expect(firstBody.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(firstBody.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'read_file',
            description: 'Read a file',
            parameters: {
              type: 'object',
              properties: { path: { type: 'string', description: 'Absolute path' } },
              required: ['path'],
            },
          },
        ],
      },
    ]);

    const second = await client.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 1000,
      tools: [readTool],
      messages: [
        user('read /tmp/a.txt'),
        { role: 'assistant', content: first.content },
        user([
          { type: 'tool_result', tool_use_id: toolUse?.type === 'tool_use' ? toolUse.id : '', content: 'file says hi' },
        ]),
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'Echo: (no text)' }]);
    const secondBody = generateCalls(stack.fake.requests)[1]?.body as UpstreamGenerateBody;
    expect(secondBody.contents[1]?.parts[0]).toMatchObject({
      functionCall: { name: 'read_file' },
      thoughtSignature: expect.any(String),
    });
    expect(secondBody.contents[1]?.parts[0]?.thoughtSignature).not.toBe(DUMMY_SIGNATURE);
    expect(secondBody.contents[2]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'read_file', response: { result: 'file says hi' } } }],
    });
  });

  it('keeps every round’s signature across three tool rounds, as an agent loop does', async () => {
    const history: MessageParam[] = [user('do three things')];
    for (let round = 0; round < 3; round++) {
      const reply = await client.messages.create({
        model: 'claude-opus-4-8',
        max_tokens: 1000,
        tools: [readTool],
        tool_choice: { type: 'any' },
        messages: history,
      });
      const call = reply.content.find((block) => block.type === 'tool_use');
      if (call?.type !== 'tool_use') throw new Error('expected a tool_use block');
      history.push(
        { role: 'assistant', content: reply.content },
        user([{ type: 'tool_result', tool_use_id: call.id, content: `result ${round}` }]),
      );
    }
    const final = await client.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 1000,
      tools: [readTool],
      messages: history,
    });
    expect(final.stop_reason).toBe('end_turn');
    // The fake checked each model turn of the current turn against the signatures it issued.
    const last = generateCalls(stack.fake.requests).at(-1)?.body as UpstreamGenerateBody;
    const signatures = last.contents
      .filter((content) => content.role === 'model')
      .map((content) => content.parts[0]?.thoughtSignature);
    expect(signatures).toHaveLength(3);
    expect(new Set(signatures).size).toBe(3);
    expect(signatures).not.toContain(DUMMY_SIGNATURE);
  });

  it('maps tool_choice tool and none, and an error tool result with an image', async () => {
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      tools: [readTool, { name: 'noop', input_schema: { type: 'object', properties: {} } }],
      tool_choice: { type: 'tool', name: 'noop', disable_parallel_tool_use: true },
      messages: [user('x')],
    });
    const forced = body();
    expect(forced.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['noop'] } });
    expect((forced.tools![0] as { functionDeclarations: unknown[] }).functionDeclarations[1]).toEqual({ name: 'noop' });

    stack.fake.reset();
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      tools: [readTool],
      tool_choice: { type: 'none' },
      messages: [
        user('x'),
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_client_made', name: 'read_file', input: { path: '/a' } }],
        },
        user([
          {
            type: 'tool_result',
            tool_use_id: 'toolu_client_made',
            is_error: true,
            content: [
              { type: 'text', text: 'no such file' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
            ],
          },
        ]),
      ],
    });
    const history = body();
    expect(history.toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    // A call whose id carries no signature gets Google's placeholder on a Gemini 3 model.
    expect(history.contents[1]?.parts[0]).toEqual({
      functionCall: { name: 'read_file', args: { path: '/a' } },
      thoughtSignature: DUMMY_SIGNATURE,
    });
    expect(history.contents[2]?.parts).toEqual([
      { functionResponse: { name: 'read_file', response: { error: 'no such file' } } },
      { inlineData: { mimeType: 'image/png', data: PNG } },
    ]);
  });

  it('maps the web search server tool to Google Search grounding and refuses tools Gemini has no equivalent for', async () => {
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
      messages: [user('news?')],
    });
    expect(body().tools).toEqual([{ googleSearch: {} }]);

    // Beside functions it is left out: Gemini cannot combine the two without replaying server-side tool calls.
    stack.fake.reset();
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      tools: [readTool, { type: 'web_search_20250305', name: 'web_search' }],
      messages: [user('news?')],
    });
    expect(body().tools).toEqual([{ functionDeclarations: [expect.objectContaining({ name: 'read_file' })] }]);

    const error = await client.messages
      .create({
        model: 'claude-sonnet-4-6',
        max_tokens: 100,
        tools: [{ type: 'bash_20250124', name: 'bash' }],
        messages: [user('ls')],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining("'tools[0].type'") },
    });
  });
});

describe('streaming', () => {
  it('streams the Anthropic event sequence that MessageStream assembles into the same message', async () => {
    const events: RawMessageStreamEvent[] = [];
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [user('stream me')],
    });
    stream.on('streamEvent', (event) => events.push(event));
    const text: string[] = [];
    stream.on('text', (delta) => text.push(delta));
    const message = await stream.finalMessage();
    expect(text.join('')).toBe('Echo: stream me');
    expect(message).toMatchObject({
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: 'Echo: stream me' }],
      stop_reason: 'end_turn',
    });
    expect(message.usage).toMatchObject({ input_tokens: 2, output_tokens: 3 });
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(types.filter((type) => type === 'content_block_start')).toHaveLength(1);
    expect(generateCalls(stack.fake.requests)[0]?.path).toBe(
      '/v1beta/models/gemini-flash-latest:streamGenerateContent',
    );
  });

  it('streams thinking, then text, with thinking_delta and text_delta', async () => {
    const events: RawMessageStreamEvent[] = [];
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      thinking: { type: 'adaptive' },
      messages: [user('ponder')],
    });
    stream.on('streamEvent', (event) => events.push(event));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([
      { type: 'thinking', thinking: THOUGHT_TEXT, signature: '' },
      { type: 'text', text: 'Echo: ponder' },
    ]);
    const deltas = events.flatMap((event) => (event.type === 'content_block_delta' ? [event.delta.type] : []));
    expect(deltas[0]).toBe('thinking_delta');
    expect(deltas.slice(1).every((type) => type === 'text_delta')).toBe(true);
  });

  it('streams a tool_use block with its input as one input_json_delta, and the second turn is accepted', async () => {
    const stream = client.messages.stream({
      model: 'claude-opus-4-8',
      max_tokens: 1000,
      tools: [readTool],
      tool_choice: { type: 'any' },
      messages: [user('/etc/hosts')],
    });
    const inputs: string[] = [];
    stream.on('inputJson', (partial) => inputs.push(partial));
    const first = await stream.finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(inputs).toEqual([JSON.stringify({ path: '' })]);
    const toolUse = first.content[0];
    if (toolUse?.type !== 'tool_use') throw new Error('expected a tool_use block');

    const second = await client.messages
      .stream({
        model: 'claude-opus-4-8',
        max_tokens: 1000,
        tools: [readTool],
        messages: [
          user('/etc/hosts'),
          { role: 'assistant', content: first.content },
          user([{ type: 'tool_result', tool_use_id: toolUse.id, content: '127.0.0.1 localhost' }]),
        ],
      })
      .finalMessage();
    expect(second.stop_reason).toBe('end_turn');
  });

  it('keeps a slow start alive with ping events', async () => {
    const slow = await startStack({ HEARTBEAT_MS: '100' }, { chunkDelayMs: 0 });
    try {
      slow.fake.script({ chunks: textChunks('slow answer'), startDelayMs: 500 });
      const response = await fetch(`${slow.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'k1', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({
          model: 'claude-sonnet-4-6',
          max_tokens: 100,
          stream: true,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      const text = await response.text();
      expect(text.startsWith('event: ping\ndata: {"type": "ping"}\n\n')).toBe(true);
      expect(text).toContain('event: message_start\n');
      expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);

      // The SDK reads past the pings.
      slow.fake.script({ chunks: textChunks('slow answer'), startDelayMs: 500 });
      const message = await new Anthropic({ baseURL: slow.url, apiKey: 'k1', maxRetries: 0 }).messages
        .stream({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: [user('hi')] })
        .finalMessage();
      expect(message.content).toEqual([{ type: 'text', text: 'slow answer' }]);
    } finally {
      await slow.close();
    }
  });

  it('ends a stream that breaks mid-way with an error event, which the SDK raises', async () => {
    stack.fake.script({ fault: 'drop-mid-stream', afterChunks: 1 });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [user('break please')],
    });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: 'error',
      error: { type: 'api_error', message: expect.stringContaining('broke off') },
    });
  });
});

describe('count_tokens and models', () => {
  it('counts the converted request with Gemini’s countTokens', async () => {
    const count = await client.messages.countTokens({
      model: 'claude-sonnet-4-6',
      system: 'Be brief.',
      messages: [user('count these four words')],
      tools: [readTool],
    });
    expect(count).toEqual({ input_tokens: expect.any(Number) });
    expect(count.input_tokens).toBeGreaterThanOrEqual(6);
    const call = stack.fake.requests.find((request) => request.path.endsWith(':countTokens'));
    expect(call?.path).toBe('/v1beta/models/gemini-flash-latest:countTokens');
    expect(call?.body).toMatchObject({
      generateContentRequest: {
        model: 'models/gemini-flash-latest',
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
      },
    });
  });

  it('counts Claude Code’s real request (system, a dozen tools, thinking settings) without a 400 from the strict upstream', async () => {
    const {
      max_tokens: _max,
      stream: _stream,
      ...request
    } = JSON.parse(readFileSync(new URL('../agents/fixtures/claude-code-first-request.json', import.meta.url), 'utf8'))
      .body as Record<string, unknown>;
    const count = await client.messages.countTokens(request as unknown as Anthropic.MessageCountTokensParams);
    expect(count.input_tokens).toBeGreaterThan(1000);
  });

  it('lists models in Anthropic’s shape for Anthropic clients, OpenAI’s otherwise', async () => {
    const page = await client.models.list();
    const ids = page.data.map((model) => model.id);
    expect(ids).toContain('gemini-flash-latest');
    expect(ids).toContain('my-claude');
    expect(page.data[0]).toEqual({
      type: 'model',
      id: expect.any(String),
      display_name: expect.any(String),
      created_at: '2023-12-13T00:00:00Z',
    });
    expect(await client.models.retrieve('claude-opus-4-8')).toMatchObject({
      type: 'model',
      id: 'claude-opus-4-8',
      display_name: 'claude-opus-4-8 (gemini-pro-latest)',
    });
    expect(await client.models.retrieve('gemini-3.8-flash')).toEqual({
      type: 'model',
      id: 'gemini-3.8-flash',
      display_name: 'Gemini 3.8 Flash',
      created_at: '2023-12-13T00:00:00Z',
    });
    const missing = await client.models.retrieve('gemini-0-nonexistent').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);

    const openai = (await (
      await fetch(`${stack.url}/v1/models`, { headers: { authorization: 'Bearer k1' } })
    ).json()) as { object: string };
    expect(openai.object).toBe('list');
  });
});

describe('auth and errors', () => {
  it('takes the key from x-api-key (ANTHROPIC_API_KEY) or Authorization: Bearer (ANTHROPIC_AUTH_TOKEN), never forwarding either', async () => {
    await anthropicClient('k-header').messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 10,
      messages: [user('a')],
    });
    await anthropicClient(null, { authToken: 'k-bearer' }).messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 10,
      messages: [user('b')],
    });
    const calls = generateCalls(stack.fake.requests);
    expect(calls.map((call) => call.key)).toEqual(['k-header', 'k-bearer']);
    expect(
      calls.every((call) => call.headers['x-api-key'] === undefined && call.headers.authorization === undefined),
    ).toBe(true);
  });

  const errorOf = async (promise: Promise<unknown>) =>
    (await promise.catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
  const create = (c: Anthropic, model = 'claude-sonnet-4-6') =>
    c.messages.create({ model, max_tokens: 10, messages: [user('x')] });

  it('401 authentication_error without a key', async () => {
    const response = await fetch(`${stack.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: expect.stringContaining('x-api-key') },
    });
  });

  it.each([
    ['a bad Gemini key', 'bad-key-1', Anthropic.AuthenticationError, 401, 'authentication_error'],
    ['every key over quota', 'quota-1', Anthropic.RateLimitError, 429, 'rate_limit_error'],
    ['Gemini overloaded (503)', 'down-1', Anthropic.InternalServerError, 529, 'overloaded_error'],
    ['Gemini failing (500)', 'err500-1', Anthropic.InternalServerError, 500, 'api_error'],
  ])('%s (%s) → %o %i %s', async (_case, key, errorClass, status, type) => {
    const error = await errorOf(create(anthropicClient(key)));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.status).toBe(status);
    expect(error.error).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
  });

  it('stream: a failure before the first byte is a normal error response too', async () => {
    const error = await errorOf(
      anthropicClient('down-2')
        .messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [user('x')] })
        .finalMessage(),
    );
    expect(error.status).toBe(529);
  });

  it('passes Gemini’s retry delay on as retry-after', async () => {
    stack.fake.setKey('quota-delay', { kind: 'quota', retryDelay: '12.5s' });
    const error = await errorOf(create(anthropicClient('quota-delay')));
    expect(error.status).toBe(429);
    expect(error.headers?.get('retry-after')).toBe('13');
  });

  it('403 permission_error for a Gemini 403 that is not about the key', async () => {
    stack.fake.script({
      status: 403,
      body: { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } },
    });
    const error = await errorOf(create(client));
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(error.error).toEqual({
      type: 'error',
      error: { type: 'permission_error', message: 'The caller does not have permission' },
    });
  });

  it('404 not_found_error for a model Gemini does not have, and for a name that is neither Claude’s nor Gemini’s', async () => {
    const missing = await errorOf(create(client, 'gemini-0-nonexistent'));
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect(missing.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const unknown = await errorOf(create(client, 'gpt-4o'));
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect(unknown.error).toEqual({ type: 'error', error: { type: 'not_found_error', message: 'model: gpt-4o' } });
  });

  it('answers a path under /v1/messages it does not serve in Anthropic’s shape', async () => {
    const response = await fetch(`${stack.url}/v1/messages/batches`, {
      method: 'POST',
      headers: { 'x-api-key': 'k1' },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: 'No route for POST /v1/messages/batches.' },
    });
  });

  it('400 invalid_request_error naming the field, before any upstream call', async () => {
    const missing = await errorOf(
      client.messages.create({
        model: 'claude-sonnet-4-6',
        messages: [user('x')],
      } as unknown as Anthropic.MessageCreateParamsNonStreaming),
    );
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError);
    expect(missing.error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: "Missing required parameter: 'max_tokens'." },
    });
    const badBlock = await errorOf(
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [user([{ type: 'video', url: 'x' } as unknown as Anthropic.TextBlockParam])],
      }),
    );
    expect(badBlock.error).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringContaining("'messages[0].content[0].type'") },
    });
    const extra = await errorOf(
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [user('x')],
        frequency_penalty: 1,
      } as Anthropic.MessageCreateParamsNonStreaming),
    );
    expect(extra.error).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringContaining('frequency_penalty') },
    });
    expect(generateCalls(stack.fake.requests)).toHaveLength(0);
  });

  it('413 request_too_large for a body over MAX_BODY_BYTES', async () => {
    const small = await startStack({ MAX_BODY_BYTES: '2000' });
    try {
      const c = new Anthropic({ baseURL: small.url, apiKey: 'k1', maxRetries: 0 });
      const error = await errorOf(
        c.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [user('x'.repeat(5000))] }),
      );
      expect(error.status).toBe(413);
      expect(error.error).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    } finally {
      await small.close();
    }
  });
});
