import { BadRequestError, type OpenAI } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type {
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_MODEL_MAP } from '../../src/gemini/resolve-model';
import {
  blockedReply,
  DUMMY_SIGNATURE,
  functionCallReply,
  type GeminiResponseJSON,
  MODELS,
  THOUGHT_TEXT,
  textChunks,
  textReply,
} from '../fake-gemini';
import { embeddingValues } from '../fake-gemini/embedding-values';
import { DAY_WINDOW_MS } from './support/keys-in-slot-order';
import {
  generateCalls,
  onlyGenerateBody,
  openaiClient,
  recordingFetch,
  type UpstreamGenerateBody,
  withExtra,
} from './support/openai-client';
import { dataEvents, readSse } from './support/read-sse';
import { type Stack, startStack } from './support/stack';

/**
 * The OpenAI surface with the official `openai` client against the real server and the strict fake Gemini:
 * what the client gets back, and exactly what reached the upstream for each request.
 */
let stack: Stack;
let client: OpenAI;
beforeAll(async () => {
  stack = await startStack(
    { KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS), MODEL_MAP: 'my-alias=gemini-3.1-pro-preview' },
    { chunkDelayMs: 0 },
  );
  client = openaiClient(stack.url, 'k1,k2');
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const user = (content: string): ChatCompletionMessageParam => ({ role: 'user', content });
const body = (): UpstreamGenerateBody => onlyGenerateBody(stack.fake.requests);
const nthBody = (n: number): UpstreamGenerateBody =>
  generateCalls(stack.fake.requests)[n]?.body as UpstreamGenerateBody;

async function collect(
  stream: AsyncIterable<ChatCompletionChunk>,
): Promise<{ chunks: ChatCompletionChunk[]; at: number[] }> {
  const started = Date.now();
  const chunks: ChatCompletionChunk[] = [];
  const at: number[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    at.push(Date.now() - started);
  }
  return { chunks, at };
}

const contentOf = (chunks: readonly ChatCompletionChunk[], index = 0) =>
  chunks
    .flatMap((c) => c.choices.filter((choice) => choice.index === index).map((choice) => choice.delta.content ?? ''))
    .join('');
const reasoningOf = (chunks: readonly ChatCompletionChunk[]) =>
  chunks
    .flatMap((c) => c.choices.map((choice) => (choice.delta as { reasoning_content?: string }).reasoning_content ?? ''))
    .join('');
const finishReasons = (chunks: readonly ChatCompletionChunk[]) =>
  chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter((r) => r !== null);

/** A function call reply chunk without a finish reason (more chunks follow). */
function unfinished(reply: GeminiResponseJSON): GeminiResponseJSON {
  return {
    ...reply,
    candidates: (reply.candidates ?? []).map(({ finishReason: _dropped, ...candidate }) => candidate),
  };
}

const weatherTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'City' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};
const timeTool: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
};

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('plain chat', () => {
  it('answers a chat.completion with a fresh id, the requested model name and Gemini’s token counts', async () => {
    const before = Math.floor(Date.now() / 1000);
    const first = await client.chat.completions.create({ model: 'gpt-4o', messages: [user('hello there')] });
    const second = await client.chat.completions.create({ model: 'gpt-4o', messages: [user('hello there')] });
    const after = Math.ceil(Date.now() / 1000);
    expect(first).toEqual({
      id: expect.stringMatching(/^chatcmpl-[A-Za-z0-9-]+$/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Echo: hello there', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 2,
        completion_tokens: 3,
        total_tokens: 5,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(second.id).not.toBe(first.id);
    expect(first.created).toBeGreaterThanOrEqual(before);
    expect(first.created).toBeLessThanOrEqual(after);

    const [request] = stack.fake.requests;
    expect(request?.path).toBe('/v1beta/models/gemini-flash-latest:generateContent');
    expect(request?.keyIn).toBe('header');
    expect(['k1', 'k2']).toContain(request?.key);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('invents nothing: a bare request carries only the conversation upstream', async () => {
    await client.chat.completions.create({ model: 'gpt-4o', messages: [user('bare')] });
    expect(body()).toEqual({ contents: [{ role: 'user', parts: [{ text: 'bare' }] }] });
  });

  it.each([
    ['gpt-4o', 'gemini-flash-latest'],
    ['o3', 'gemini-flash-latest'],
    ['gpt-3.5-turbo', 'gemini-flash-lite-latest'],
    ['gpt-4o-mini', 'gemini-flash-lite-latest'],
    ['gpt-4', 'gemini-flash-latest'],
    ['gemini-3.1-pro-preview', 'gemini-3.1-pro-preview'],
    ['models/gemini-3.6-flash', 'gemini-3.6-flash'],
    ['gemma-3-27b-it', 'gemma-3-27b-it'],
    ['some-other-model', 'gemini-flash-lite-latest'],
    ['my-alias', 'gemini-3.1-pro-preview'],
  ])('%s is served by %s and answered under its own name', async (requested, gemini) => {
    const reply = await client.chat.completions.create({ model: requested, messages: [user('which model')] });
    expect(reply.model).toBe(requested);
    expect(stack.fake.requests.map((r) => r.path)).toEqual([`/v1beta/models/${gemini}:generateContent`]);
  });

  it('reports Gemini’s usage, thoughts and cached tokens included', async () => {
    stack.fake.script({
      reply: {
        ...textReply('counted'),
        usageMetadata: {
          promptTokenCount: 11,
          candidatesTokenCount: 7,
          thoughtsTokenCount: 5,
          cachedContentTokenCount: 3,
          totalTokenCount: 23,
        },
      },
    });
    const reply = await client.chat.completions.create({ model: 'gpt-4o', messages: [user('count')] });
    expect(reply.usage).toEqual({
      prompt_tokens: 11,
      completion_tokens: 12,
      total_tokens: 23,
      prompt_tokens_details: { cached_tokens: 3 },
      completion_tokens_details: { reasoning_tokens: 5 },
    });
  });

  it('puts every system and developer message into systemInstruction, in order', async () => {
    await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'S1' },
        user('first'),
        { role: 'developer', content: [{ type: 'text', text: 'D1' }] },
        { role: 'system', content: 'S2' },
        { role: 'assistant', content: 'reply' },
        user('second'),
      ],
    });
    const sent = body();
    expect(sent.systemInstruction?.parts).toEqual([{ text: 'S1' }, { text: 'D1' }, { text: 'S2' }]);
    expect(sent.contents).toEqual([
      { role: 'user', parts: [{ text: 'first' }] },
      { role: 'model', parts: [{ text: 'reply' }] },
      { role: 'user', parts: [{ text: 'second' }] },
    ]);
  });
});

describe('request parameters arrive upstream', () => {
  it('maps sampling, stop, token cap, penalties and seed (top_k as an extra field)', async () => {
    await client.chat.completions.create(
      withExtra(
        {
          model: 'gpt-4o',
          messages: [user('params')],
          temperature: 0.25,
          top_p: 0.5,
          stop: 'END',
          max_tokens: 64,
          presence_penalty: 0.5,
          frequency_penalty: -0.5,
          seed: 7,
        },
        { top_k: 12 },
      ),
    );
    expect(body().generationConfig).toEqual({
      temperature: 0.25,
      topP: 0.5,
      topK: 12,
      stopSequences: ['END'],
      maxOutputTokens: 64,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      seed: 7,
    });
  });

  it('takes a stop list, and max_completion_tokens over max_tokens', async () => {
    await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [user('stops')],
      stop: ['a', 'b'],
      max_tokens: 50,
      max_completion_tokens: 100,
    });
    expect(body().generationConfig).toEqual({ stopSequences: ['a', 'b'], maxOutputTokens: 100 });
  });

  it('n asks for that many candidates and answers n choices', async () => {
    const reply = await client.chat.completions.create({ model: 'gpt-4o', messages: [user('many')], n: 3 });
    expect(body().generationConfig).toEqual({ candidateCount: 3 });
    expect(reply.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'Echo: many', 'stop'],
      [1, 'Echo[1]: many', 'stop'],
      [2, 'Echo[2]: many', 'stop'],
    ]);
  });

  it('logprobs and top_logprobs become responseLogprobs and logprobs (which no model served today takes)', async () => {
    const request = client.chat.completions.create({
      model: 'gpt-4o',
      messages: [user('probs')],
      logprobs: true,
      top_logprobs: 2,
    });
    await expect(request).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('Logprobs is not enabled for models/gemini-flash-latest'),
    });
    expect(body().generationConfig).toEqual({ responseLogprobs: true, logprobs: 2 });
  });

  it('response_format json_object asks for JSON', async () => {
    const reply = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [user('give json')],
      response_format: { type: 'json_object' },
    });
    expect(body().generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(JSON.parse(reply.choices[0]?.message.content ?? '')).toEqual({ echo: 'give json' });
  });

  it('json_schema from zodResponseFormat works end to end with chat.completions.parse', async () => {
    const Address = z.object({ city: z.string() });
    const Person = z.object({
      name: z.string(),
      age: z.number().int(),
      nickname: z.string().nullable(),
      home: Address,
      work: Address,
      contact: z.union([z.object({ email: z.string() }), z.object({ phone: z.string() })]),
      tags: z.array(z.enum(['a', 'b'])),
    });
    const completion = await client.chat.completions.parse({
      model: 'gpt-4o',
      messages: [user('describe Ada')],
      response_format: zodResponseFormat(Person, 'person'),
    });
    const parsed = completion.choices[0]?.message.parsed;
    expect(parsed).toEqual({
      name: 'describe Ada',
      age: expect.any(Number),
      nickname: 'describe Ada',
      home: { city: 'describe Ada' },
      work: { city: 'describe Ada' },
      contact: { email: 'describe Ada' },
      tags: [],
    });
    const config = body().generationConfig ?? {};
    expect(config.responseMimeType).toBe('application/json');
    const schema = JSON.stringify(config.responseSchema);
    for (const keyword of ['$schema', 'additionalProperties', '$ref', '$defs', 'definitions', 'strict', '"const"'])
      expect(schema).not.toContain(keyword);
    expect(config.responseSchema).toMatchObject({
      type: 'object',
      required: ['name', 'age', 'nickname', 'home', 'work', 'contact', 'tags'],
      properties: {
        nickname: { type: 'string', nullable: true },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
      },
    });
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [
      { type: 'function', function: { name: 'get_time' } },
      { mode: 'ANY', allowedFunctionNames: ['get_time'] },
    ],
  ] as const)('tools with tool_choice %j', async (toolChoice, calling) => {
    const reply = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [user('tools')],
      tools: [weatherTool, timeTool],
      tool_choice: toolChoice,
    });
    const sent = body();
    expect(sent.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather of a city',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string', description: 'City' } },
              required: ['city'],
            },
          },
          { name: 'get_time' },
        ],
      },
    ]);
    expect(sent.toolConfig).toEqual({ functionCallingConfig: calling });
    const choice = reply.choices[0];
    if (calling.mode === 'ANY') {
      // The fake, like the model in ANY mode, calls the first allowed function.
      expect(choice?.finish_reason).toBe('tool_calls');
      expect(choice?.message.tool_calls?.[0]).toMatchObject({
        type: 'function',
        function: { name: 'allowedFunctionNames' in calling ? 'get_time' : 'get_weather' },
      });
    } else {
      expect(choice?.finish_reason).toBe('stop');
      expect(choice?.message.content).toBe('Echo: tools');
    }
  });

  it('web_search_options becomes Google Search; beside functions it brings the tool-combination switch, with the default mode', async () => {
    await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [user('search')],
      tools: [timeTool],
      web_search_options: {},
    });
    const sent = body();
    // Gemini's switch for built-in tools beside functions (test/e2e/openai-search-images.test.ts); AUTO is its default.
    expect(sent.toolConfig).toEqual({
      functionCallingConfig: { mode: 'AUTO' },
      includeServerSideToolInvocations: true,
    });
    expect(sent.tools).toEqual([{ functionDeclarations: [{ name: 'get_time' }] }, { googleSearch: {} }]);
  });

  it.each([
    // gpt-4o is served by gemini-flash-latest (3.8 Flash today), which the fake refuses `minimal` on.
    ['gpt-4o', 'low', { thinkingLevel: 'low', includeThoughts: true }],
    ['gpt-4o', 'minimal', { thinkingLevel: 'low', includeThoughts: true }],
    ['gpt-4o', 'none', { thinkingLevel: 'low' }],
    ['gemini-3.8-flash', 'medium', { thinkingLevel: 'medium', includeThoughts: true }],
    ['gemini-3.6-flash', 'none', { thinkingLevel: 'minimal' }],
    ['gpt-4o-mini', 'minimal', { thinkingLevel: 'low', includeThoughts: true }],
    ['gemini-2.5-flash-lite', 'high', { thinkingBudget: 24576, includeThoughts: true }],
    ['gemini-2.5-flash-lite', 'minimal', { thinkingBudget: 512, includeThoughts: true }],
    ['gemini-2.5-flash-lite', 'none', { thinkingBudget: 0 }],
    ['gemini-3.1-pro-preview', 'medium', { thinkingLevel: 'medium', includeThoughts: true }],
    ['gemini-3.1-pro-preview', 'minimal', { thinkingLevel: 'low', includeThoughts: true }],
    ['gemma-3-27b-it', 'high', undefined],
  ] as const)('%s with reasoning_effort %s', async (model, effort, thinkingConfig) => {
    const reply = await client.chat.completions.create({ model, messages: [user('think')], reasoning_effort: effort });
    expect(body().generationConfig?.thinkingConfig).toEqual(thinkingConfig);
    const message = reply.choices[0]?.message as { content: string | null; reasoning_content?: string };
    expect(message.content).toBe('Echo: think');
    if (thinkingConfig && 'includeThoughts' in thinkingConfig) {
      expect(message.reasoning_content).toBe(THOUGHT_TEXT);
      expect(reply.usage?.completion_tokens_details?.reasoning_tokens).toBe(3);
    } else {
      expect(message.reasoning_content).toBeUndefined();
    }
  });

  it('google.thinking_config, google.safety_settings and google.cached_content (extra_body merged by the SDK)', async () => {
    const harassment = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }];
    await client.chat.completions.create(
      withExtra(
        { model: 'gemini-3.8-flash', messages: [user('google')] },
        {
          google: {
            thinking_config: { thinking_budget: 2048, include_thoughts: true },
            safety_settings: harassment,
            cached_content: 'cachedContents/abc123',
          },
        },
      ),
    );
    const sent = body();
    expect(sent.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } });
    expect(sent.safetySettings).toEqual(harassment);
    expect(sent.cachedContent).toBe('cachedContents/abc123');
  });

  it('a literal extra_body.google and the original top-level safety_settings', async () => {
    const hate = [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_ONLY_HIGH' }];
    await client.chat.completions.create(
      withExtra(
        { model: 'gemini-3-flash-preview', messages: [user('x')] },
        { extra_body: { google: { thinking_config: { thinking_level: 'medium' } } } },
      ),
    );
    await client.chat.completions.create(
      withExtra({ model: 'gemini-3.8-flash', messages: [user('y')] }, { safety_settings: hate }),
    );
    expect(nthBody(0).generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'medium', includeThoughts: true } });
    expect(nthBody(1).safetySettings).toEqual(hate);
    expect(nthBody(1).generationConfig).toBeUndefined();
  });
});

describe('content parts', () => {
  it('sends a data URL image as inline data', async () => {
    const reply = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } },
          ],
        },
      ],
    });
    expect(body().contents).toEqual([
      { role: 'user', parts: [{ text: 'what is this' }, { inlineData: { mimeType: 'image/png', data: PNG } }] },
    ]);
    expect(reply.choices[0]?.message.content).toBe('Echo: what is this');
  });

  it('sends input_audio as inline audio', async () => {
    const wav = Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ').toString('base64');
    await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'listen' },
            { type: 'input_audio', input_audio: { data: wav, format: 'wav' } },
          ],
        },
      ],
    });
    expect(body().contents[0]?.parts).toEqual([
      { text: 'listen' },
      { inlineData: { mimeType: 'audio/wav', data: wav } },
    ]);
  });

  it('sends file parts (a data URL, or raw base64 typed by its bytes) as inline data; a file_id is a 400', async () => {
    const pdf = Buffer.from('%PDF-1.4\n').toString('base64');
    await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'read' },
            { type: 'file', file: { file_data: `data:application/pdf;base64,${pdf}`, filename: 'a.pdf' } },
            { type: 'file', file: { file_data: pdf, filename: 'b.pdf' } },
          ],
        },
      ],
    });
    const inline = { inlineData: { mimeType: 'application/pdf', data: pdf } };
    expect(body().contents[0]?.parts).toEqual([{ text: 'read' }, inline, inline]);
    const error = await client.chat.completions
      .create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc123' } }] }],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, param: 'messages[0].content[0].file.file_id' });
    expect(generateCalls(stack.fake.requests)).toHaveLength(1);
  });

  it.each([
    'https://127.0.0.1/cat.png',
    'https://localhost/cat.png',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.1.2.3/cat.png',
    'https://[::1]/cat.png',
    'https://0x7f.1/cat.png',
    'https://metadata.google.internal/computeMetadata/v1/',
    'http://example.com/cat.png',
  ])('refuses the media URL %s with a 400 naming the part, before any upstream call', async (url) => {
    const error = await client.chat.completions
      .create({
        model: 'gpt-4o',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image_url', image_url: { url } },
            ],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      param: 'messages[0].content[1].image_url.url',
      code: 'invalid_media_url',
    });
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('never fetches a loopback URL, not even the upstream’s own', async () => {
    const url = `http://127.0.0.1:${stack.fake.port}/v1beta/models`;
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400 });
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('refuses media URLs with a 400 when FETCH_MEDIA_URLS=false, and still takes data URLs', async () => {
    const { startGateway } = await import('../../src/local/start');
    const gateway = await startGateway({
      env: { GEMINI_BASE_URL: stack.fake.origin, FETCH_MEDIA_URLS: 'false', LOG_LEVEL: 'error' },
    });
    try {
      const noFetch = openaiClient(gateway.url, 'k1');
      const error = await noFetch.chat.completions
        .create({
          model: 'gpt-4o',
          messages: [
            { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] },
          ],
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        status: 400,
        param: 'messages[0].content[0].image_url.url',
        code: 'invalid_media_url',
      });
      expect((error as Error).message).toContain('FETCH_MEDIA_URLS=false');
      expect(stack.fake.requests).toHaveLength(0);
      const ok = await noFetch.chat.completions.create({
        model: 'gpt-4o',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'inline' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            ],
          },
        ],
      });
      expect(ok.choices[0]?.message.content).toBe('Echo: inline');
    } finally {
      await gateway.close();
    }
  });
});

describe('tools round trip', () => {
  // A model without thought signatures, so the history is exactly what the client sent; Gemini 3's
  // signatures have their own section below.
  const TOOLS_MODEL = 'gemini-2.5-flash-lite';
  it('non-stream: a tool call, then its result arrives upstream as a functionResponse', async () => {
    stack.fake.script({ reply: functionCallReply({ name: 'get_weather', args: { city: 'Paris' } }) });
    const question = user('weather in Paris?');
    const first = await client.chat.completions.create({
      model: TOOLS_MODEL,
      messages: [question],
      tools: [weatherTool],
    });
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_[A-Za-z0-9]+$/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
    ]);
    const call = choice?.message.tool_calls?.[0];
    if (!choice || call?.type !== 'function') throw new Error('no function call');

    stack.fake.script({ reply: textReply('It is sunny in Paris.') });
    const second = await client.chat.completions.create({
      model: TOOLS_MODEL,
      messages: [question, choice.message, { role: 'tool', tool_call_id: call.id, content: '{"sky":"sunny"}' }],
      tools: [weatherTool],
    });
    expect(second.choices[0]?.message.content).toBe('It is sunny in Paris.');
    expect(nthBody(1).contents).toEqual([
      { role: 'user', parts: [{ text: 'weather in Paris?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { sky: 'sunny' } } }] },
    ]);
  });

  it('stream: the tool call arrives as one complete delta and goes back the same way', async () => {
    stack.fake.script({ chunks: [functionCallReply({ name: 'get_weather', args: { city: 'Oslo' } })] });
    const { chunks } = await collect(
      await client.chat.completions.create({
        model: TOOLS_MODEL,
        messages: [user('Oslo?')],
        tools: [weatherTool],
        stream: true,
      }),
    );
    const deltas = chunks.flatMap((c) => c.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    expect(deltas).toEqual([
      {
        index: 0,
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
      },
    ]);
    expect(finishReasons(chunks)).toEqual(['tool_calls']);
    const id = deltas[0]?.id as string;

    const second = await client.chat.completions.create({
      model: TOOLS_MODEL,
      messages: [
        user('Oslo?'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
        },
        { role: 'tool', tool_call_id: id, content: 'cold' },
      ],
      tools: [weatherTool],
      stream: true,
    });
    const { chunks: answer } = await collect(second);
    expect(contentOf(answer)).toBe('Echo: (no text)');
    expect(nthBody(1).contents[2]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'get_weather', response: { result: 'cold' } } }],
    });
  });

  it('parallel calls in separate upstream chunks: indexes 0 and 1, results sent back as ONE user content', async () => {
    stack.fake.script({
      chunks: [
        unfinished(functionCallReply({ name: 'get_weather', args: { city: 'Rome' } })),
        functionCallReply({ name: 'get_time', args: { zone: 'CET' } }),
      ],
      delayMs: 100,
    });
    const { chunks } = await collect(
      await client.chat.completions.create({
        model: TOOLS_MODEL,
        messages: [user('weather and time')],
        tools: [weatherTool, timeTool],
        stream: true,
      }),
    );
    const withCalls = chunks.filter((c) => c.choices.some((choice) => choice.delta.tool_calls));
    expect(withCalls).toHaveLength(2);
    const [a, b] = withCalls.map((c) => c.choices[0]?.delta.tool_calls?.[0]);
    expect(a).toMatchObject({
      index: 0,
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
    });
    expect(b).toMatchObject({
      index: 1,
      type: 'function',
      function: { name: 'get_time', arguments: '{"zone":"CET"}' },
    });
    expect(a?.id).not.toBe(b?.id);
    expect(finishReasons(chunks)).toEqual(['tool_calls']);

    await client.chat.completions.create({
      model: TOOLS_MODEL,
      messages: [
        user('weather and time'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: a?.id as string, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
            { id: b?.id as string, type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } },
          ],
        },
        { role: 'tool', tool_call_id: b?.id as string, content: '42' },
        {
          role: 'tool',
          tool_call_id: a?.id as string,
          content: [
            { type: 'text', text: '{"sky":' },
            { type: 'text', text: '"grey"}' },
          ],
        },
      ],
      tools: [weatherTool, timeTool],
    });
    expect(nthBody(1).contents).toEqual([
      { role: 'user', parts: [{ text: 'weather and time' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
          { functionCall: { name: 'get_time', args: { zone: 'CET' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_time', response: { result: 42 } } },
          { functionResponse: { name: 'get_weather', response: { sky: 'grey' } } },
        ],
      },
    ]);
  });
});

describe('Gemini 3 thought signatures through a client that keeps only standard fields', () => {
  const model = 'gemini-3.1-pro-preview';
  const strip = (calls: readonly { id: string; function: { name: string; arguments: string } }[]) =>
    calls.map(({ id, function: fn }) => ({
      id,
      type: 'function' as const,
      function: { name: fn.name, arguments: fn.arguments },
    }));
  const firstCallPart = (b: UpstreamGenerateBody) =>
    b.contents.find((c) => c.role === 'model')?.parts.find((p) => 'functionCall' in p);

  it('non-stream: the exact signature the model gave goes back upstream', async () => {
    const signature = stack.fake.issueThoughtSignature();
    stack.fake.script({
      reply: functionCallReply({ name: 'get_weather', args: { city: 'Lima' }, thoughtSignature: signature }),
    });
    const first = await client.chat.completions.create({ model, messages: [user('Lima?')], tools: [weatherTool] });
    const calls = first.choices[0]?.message.tool_calls as {
      id: string;
      function: { name: string; arguments: string };
    }[];
    expect(calls).toHaveLength(1);
    expect(calls[0]?.id).toMatch(/^[A-Za-z0-9_-]+$/);

    const second = await client.chat.completions.create({
      model,
      messages: [
        user('Lima?'),
        { role: 'assistant', content: null, tool_calls: strip(calls) },
        { role: 'tool', tool_call_id: calls[0]?.id as string, content: '{"t":20}' },
      ],
      tools: [weatherTool],
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(firstCallPart(nthBody(1))?.thoughtSignature).toBe(signature);
  });

  it('stream: a signature the fake issued itself survives, and is not replaced by the dummy', async () => {
    stack.fake.script({ chunks: [functionCallReply({ name: 'get_weather', args: { city: 'Quito' } })] });
    const { chunks } = await collect(
      await client.chat.completions.create({ model, messages: [user('Quito?')], tools: [weatherTool], stream: true }),
    );
    const deltas = chunks.flatMap((c) => c.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    const calls = deltas.map((d) => ({
      id: d.id as string,
      function: { name: d.function?.name as string, arguments: d.function?.arguments as string },
    }));
    const second = await client.chat.completions.create({
      model,
      messages: [
        user('Quito?'),
        { role: 'assistant', content: null, tool_calls: strip(calls) },
        { role: 'tool', tool_call_id: calls[0]?.id as string, content: 'warm' },
      ],
      tools: [weatherTool],
      stream: true,
    });
    const { chunks: answer } = await collect(second);
    expect(finishReasons(answer)).toEqual(['stop']);
    const signature = firstCallPart(nthBody(1))?.thoughtSignature;
    expect(typeof signature).toBe('string');
    expect(signature).not.toBe(DUMMY_SIGNATURE);
  });

  it('parallel calls: only the first carries the signature, both go back', async () => {
    const signature = stack.fake.issueThoughtSignature();
    stack.fake.script({
      reply: functionCallReply([
        { name: 'get_weather', args: { city: 'Bern' }, thoughtSignature: signature },
        { name: 'get_time', args: {} },
      ]),
    });
    const first = await client.chat.completions.create({
      model,
      messages: [user('Bern?')],
      tools: [weatherTool, timeTool],
    });
    const calls = first.choices[0]?.message.tool_calls as {
      id: string;
      function: { name: string; arguments: string };
    }[];
    expect(calls).toHaveLength(2);
    await client.chat.completions.create({
      model,
      messages: [
        user('Bern?'),
        { role: 'assistant', content: null, tool_calls: strip(calls) },
        { role: 'tool', tool_call_id: calls[0]?.id as string, content: 'fog' },
        { role: 'tool', tool_call_id: calls[1]?.id as string, content: 'noon' },
      ],
      tools: [weatherTool, timeTool],
    });
    const modelTurn = nthBody(1).contents[1];
    expect(modelTurn?.parts).toEqual([
      { functionCall: { name: 'get_weather', args: { city: 'Bern' } }, thoughtSignature: signature },
      { functionCall: { name: 'get_time', args: {} } },
    ]);
  });

  it('history without any signature gets Google’s dummy signature on the first call', async () => {
    const reply = await client.chat.completions.create({
      model,
      messages: [
        user('Oslo?'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_from_elsewhere',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_from_elsewhere', content: 'snow' },
      ],
      tools: [weatherTool],
    });
    expect(reply.choices[0]?.finish_reason).toBe('stop');
    expect(firstCallPart(body())?.thoughtSignature).toBe(DUMMY_SIGNATURE);
  });

  it('accepts Google’s extra_content form of the signature', async () => {
    const signature = stack.fake.issueThoughtSignature();
    const toolCall = {
      id: 'call_plain',
      type: 'function',
      function: { name: 'get_weather', arguments: '{}' },
      extra_content: { google: { thought_signature: signature } },
    };
    await client.chat.completions.create({
      model,
      messages: [
        user('x'),
        { role: 'assistant', content: null, tool_calls: [toolCall as never] },
        { role: 'tool', tool_call_id: 'call_plain', content: '{}' },
      ],
      tools: [weatherTool],
    });
    expect(firstCallPart(body())?.thoughtSignature).toBe(signature);
  });
});

describe('streaming', () => {
  it('first delta has the role, every chunk the same id and model, include_usage adds a final usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [user('one two three four')],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { chunks } = await collect(stream);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const id = chunks[0]?.id;
    expect(id).toMatch(/^chatcmpl-/);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        id,
        object: 'chat.completion.chunk',
        model: 'gpt-4o',
        created: chunks[0]?.created,
      });
    }
    expect(contentOf(chunks)).toBe('Echo: one two three four');
    expect(finishReasons(chunks)).toEqual(['stop']);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 });
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
    expect(stack.fake.requests[0]?.path).toBe('/v1beta/models/gemini-flash-latest:streamGenerateContent');
    expect(stack.fake.requests[0]?.query.get('alt')).toBe('sse');
  });

  it('raw SSE: text/event-stream, data events, then data: [DONE] last; no usage field without include_usage', async () => {
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k1' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'raw stream' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const read = await readSse(response);
    expect(read.events.at(-1)?.data).toBe('[DONE]');
    expect(read.raw.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = dataEvents<Record<string, unknown>>(read);
    for (const chunk of chunks) expect('usage' in chunk).toBe(false);
    expect(read.events.filter((e) => e.data === '[DONE]')).toHaveLength(1);
  });

  it('delivers deltas progressively, while the upstream is still generating', async () => {
    stack.fake.script({ chunks: textChunks('alpha beta gamma delta epsilon'), delayMs: 200 });
    const { chunks, at } = await collect(
      await client.chat.completions.create({ model: 'gpt-4o', messages: [user('slow')], stream: true }),
    );
    const contentAt = chunks.flatMap((c, i) => (c.choices[0]?.delta.content ? [at[i] as number] : []));
    expect(contentOf(chunks)).toBe('alpha beta gamma delta epsilon');
    expect(contentAt).toHaveLength(5);
    // The upstream spreads the five pieces over ~800 ms: the first must arrive long before the last.
    expect((contentAt.at(-1) as number) - (contentAt[0] as number)).toBeGreaterThan(600);
  });

  it('streams reasoning as reasoning_content deltas, never in content', async () => {
    const { chunks } = await collect(
      await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [user('ponder')],
        reasoning_effort: 'low',
        stream: true,
      }),
    );
    expect(reasoningOf(chunks)).toBe(THOUGHT_TEXT);
    expect(contentOf(chunks)).toBe('Echo: ponder');
    const firstReasoning = chunks.findIndex(
      (c) => (c.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content,
    );
    const firstContent = chunks.findIndex((c) => c.choices[0]?.delta.content);
    expect(firstReasoning).toBeGreaterThan(0);
    expect(firstReasoning).toBeLessThan(firstContent);
  });

  it('streams n choices, each with its role, content and finish reason', async () => {
    const { chunks } = await collect(
      await client.chat.completions.create({ model: 'gpt-4o', messages: [user('twice')], n: 2, stream: true }),
    );
    for (const index of [0, 1]) {
      const own = chunks.flatMap((c) => c.choices.filter((choice) => choice.index === index));
      expect(own[0]?.delta.role).toBe('assistant');
      expect(own.filter((choice) => choice.finish_reason !== null).map((choice) => choice.finish_reason)).toEqual([
        'stop',
      ]);
    }
    expect(contentOf(chunks, 0)).toBe('Echo: twice');
    expect(contentOf(chunks, 1)).toBe('Echo[1]: twice');
  });

  it.each([false, true])('a blocked prompt ends with finish_reason content_filter (stream: %s)', async (stream) => {
    stack.fake.script(
      stream ? { chunks: [blockedReply('PROHIBITED_CONTENT')] } : { reply: blockedReply('PROHIBITED_CONTENT') },
    );
    if (!stream) {
      const reply = await client.chat.completions.create({ model: 'gpt-4o', messages: [user('bad')] });
      expect(reply.choices).toEqual([
        {
          index: 0,
          message: { role: 'assistant', content: '', refusal: null },
          logprobs: null,
          finish_reason: 'content_filter',
        },
      ]);
      return;
    }
    const { chunks } = await collect(
      await client.chat.completions.create({ model: 'gpt-4o', messages: [user('bad')], stream: true }),
    );
    expect(finishReasons(chunks)).toEqual(['content_filter']);
    expect(contentOf(chunks)).toBe('');
  });

  it.each([false, true])('MAX_TOKENS ends with finish_reason length (stream: %s)', async (stream) => {
    stack.fake.script({ chunks: textChunks('cut short here', { finishReason: 'MAX_TOKENS' }) });
    if (!stream) {
      const reply = await client.chat.completions.create({ model: 'gpt-4o', messages: [user('long')], max_tokens: 3 });
      expect(reply.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'cut short here' } });
      return;
    }
    const { chunks } = await collect(
      await client.chat.completions.create({ model: 'gpt-4o', messages: [user('long')], max_tokens: 3, stream: true }),
    );
    expect(finishReasons(chunks)).toEqual(['length']);
    expect(contentOf(chunks)).toBe('cut short here');
  });
});

describe('models', () => {
  it('lists every upstream model (ids without models/) and the aliases', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual([...MODELS.map((m) => m.id), ...Object.keys(DEFAULT_MODEL_MAP), 'my-alias']);
    const page = await client.models.list();
    expect(page.data[0]).toEqual({
      id: MODELS[0]?.id,
      object: 'model',
      created: expect.any(Number),
      owned_by: 'google',
    });
    expect(page.data.at(-1)).toEqual({
      id: 'my-alias',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'gemini-balance-lite',
    });
  });

  it('retrieves an alias without an upstream call, and a Gemini model from the upstream', async () => {
    expect(await client.models.retrieve('gpt-4o')).toEqual({
      id: 'gpt-4o',
      object: 'model',
      created: expect.any(Number),
      owned_by: 'gemini-balance-lite',
    });
    expect(stack.fake.requests).toHaveLength(0);
    expect(await client.models.retrieve('gemini-3.1-pro-preview')).toMatchObject({
      id: 'gemini-3.1-pro-preview',
      object: 'model',
      owned_by: 'google',
    });
    expect(stack.fake.requests.map((r) => r.path)).toEqual(['/v1beta/models/gemini-3.1-pro-preview']);
  });
});

describe('embeddings', () => {
  it('the SDK’s default (base64) decodes to exactly the float values', async () => {
    const recording = recordingFetch();
    const sdk = openaiClient(stack.url, 'k1', { fetch: recording.fetch });
    const defaulted = await sdk.embeddings.create({ model: 'text-embedding-3-small', input: 'vector me' });
    const floats = await sdk.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'vector me',
      encoding_format: 'float',
    });
    expect(recording.bodies[0]).toMatchObject({ encoding_format: 'base64' });
    const expected = embeddingValues('vector me', 3072);
    expect(floats.data[0]?.embedding).toEqual(expected);
    expect(defaulted.data[0]?.embedding).toEqual(expected.map((v) => Math.fround(v)));
    expect(defaulted).toMatchObject({
      object: 'list',
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
    expect(stack.fake.requests.map((r) => r.path)).toEqual([
      '/v1beta/models/gemini-embedding-001:batchEmbedContents',
      '/v1beta/models/gemini-embedding-001:batchEmbedContents',
    ]);
  });

  it('dimensions becomes outputDimensionality', async () => {
    const reply = await client.embeddings.create({ model: 'text-embedding-3-large', input: ['a', 'b'], dimensions: 8 });
    expect(reply.data.map((d) => d.embedding.length)).toEqual([8, 8]);
    const requests = (
      stack.fake.requests[0]?.body as { requests: { outputDimensionality?: number; model: string }[] } | undefined
    )?.requests;
    expect(requests?.map((r) => [r.model, r.outputDimensionality])).toEqual([
      ['models/gemini-embedding-001', 8],
      ['models/gemini-embedding-001', 8],
    ]);
  });

  it('splits 150 inputs into two upstream batches and keeps their order', async () => {
    const inputs = Array.from({ length: 150 }, (_, i) => `text number ${i}`);
    const reply = await client.embeddings.create({ model: 'text-embedding-3-small', input: inputs, dimensions: 4 });
    expect(stack.fake.requests.map((r) => (r.body as { requests: unknown[] }).requests.length)).toEqual([100, 50]);
    expect(reply.data.map((d) => d.index)).toEqual(inputs.map((_, i) => i));
    for (const [i, d] of reply.data.entries())
      expect(d.embedding).toEqual(embeddingValues(inputs[i] as string, 4).map((v) => Math.fround(v)));
  });
});

describe('short paths without /v1', () => {
  const headers = { 'content-type': 'application/json', authorization: 'Bearer k1' };

  it('POST /chat/completions', async () => {
    const response = await fetch(`${stack.url}/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'short' }] }),
    });
    expect(response.status).toBe(200);
    expect(
      ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content,
    ).toBe('Echo: short');
  });

  it('GET /models and /models/{id}', async () => {
    const list = await fetch(`${stack.url}/models`, { headers });
    expect(list.status).toBe(200);
    const ids = ((await list.json()) as { data: { id: string }[] }).data.map((m) => m.id);
    expect(ids).toContain('gemini-3.8-flash');
    expect(ids).toContain('gpt-4o');
    const one = await fetch(`${stack.url}/models/gpt-4`, { headers });
    expect(await one.json()).toMatchObject({ id: 'gpt-4', object: 'model' });
  });

  it('POST /embeddings', async () => {
    const response = await fetch(`${stack.url}/embeddings`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: 'text-embedding-3-small',
        input: 'short',
        encoding_format: 'float',
        dimensions: 3,
      }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { embedding: number[] }[] }).data[0]?.embedding).toEqual(
      embeddingValues('short', 3),
    );
  });
});
