import {
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  type OpenAI,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import type { ResponseInputItem, ResponseStreamEvent, Tool } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { functionCallReply, THOUGHT_TEXT, textChunks, textReply } from '../fake-gemini';
import { DAY_WINDOW_MS } from './support/keys-in-slot-order';
import { generateCalls, onlyGenerateBody, openaiClient, type UpstreamGenerateBody } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * `POST /v1/responses` with the official `openai` client against the real server and the strict fake Gemini:
 * what the client gets back, and exactly what reached the upstream.
 */
let stack: Stack;
let client: OpenAI;
beforeAll(async () => {
  stack = await startStack({ KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS) }, { chunkDelayMs: 0 });
  client = openaiClient(stack.url, 'k1');
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

/** A model that thinks, with thinking levels and thought signatures the fake checks. */
const GEMINI_3 = 'gemini-pro-latest';
const FLASH = 'gemini-flash-latest';
const body = (): UpstreamGenerateBody => onlyGenerateBody(stack.fake.requests);

const weather: Tool = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather of a city',
  strict: true,
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('responses.create', () => {
  it('answers text with a message item, usage and the requested model name; instructions become the system instruction', async () => {
    const response = await client.responses.create({ model: FLASH, instructions: 'Be brief.', input: 'hello there' });
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: FLASH,
      error: null,
      incomplete_details: null,
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Echo: hello there', annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 4,
        output_tokens: 3,
        total_tokens: 7,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(response.id).toMatch(/^resp_[A-Za-z0-9]+$/);
    expect(response.output_text).toBe('Echo: hello there');
    expect(body()).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'hello there' }] }],
    });
  });

  it('converts message items of every role, images as data URLs, and generation settings', async () => {
    await client.responses.create({
      model: FLASH,
      input: [
        { role: 'developer', content: 'Dev rules.' },
        { role: 'system', content: [{ type: 'input_text', text: 'Sys rules.' }] },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: `data:image/png;base64,${PNG}`, detail: 'auto' },
          ],
        },
        { role: 'assistant', content: 'A pixel.' },
        { role: 'user', content: 'Sure?' },
      ],
      max_output_tokens: 100,
      temperature: 0.5,
      top_p: 0.9,
      text: { verbosity: 'low' },
      store: false,
      metadata: { a: 'b' },
      prompt_cache_key: 'k',
      service_tier: 'auto',
      truncation: 'auto',
    });
    expect(body()).toEqual({
      systemInstruction: { parts: [{ text: 'Dev rules.' }, { text: 'Sys rules.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data: PNG } }] },
        { role: 'model', parts: [{ text: 'A pixel.' }] },
        { role: 'user', parts: [{ text: 'Sure?' }] },
      ],
      generationConfig: { maxOutputTokens: 100, temperature: 0.5, topP: 0.9 },
    });
  });

  it('returns structured output with zodTextFormat, parsed by the SDK', async () => {
    const Answer = z.object({ city: z.string(), days: z.number() });
    const response = await client.responses.parse({
      model: FLASH,
      input: 'Plan a trip',
      text: { format: zodTextFormat(Answer, 'trip') },
    });
    expect(response.output_parsed).toEqual({ city: 'Plan a trip', days: 0 });
    expect(body().generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object' },
    });
  });

  it('json_object sets JSON mode', async () => {
    const response = await client.responses.create({
      model: FLASH,
      input: 'hi',
      text: { format: { type: 'json_object' } },
    });
    expect(JSON.parse(response.output_text)).toEqual({ echo: 'hi' });
    expect(body().generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it('reports a cut reply as incomplete with reason max_output_tokens', async () => {
    stack.fake.script({ reply: textReply('Half of', { finishReason: 'MAX_TOKENS' }) });
    const response = await client.responses.create({ model: FLASH, input: 'long story', max_output_tokens: 2 });
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ type: 'message', status: 'incomplete' }],
    });
  });

  it('reports a blocked prompt as incomplete with reason content_filter', async () => {
    stack.fake.script({
      reply: { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 2, totalTokenCount: 2 } },
    });
    const response = await client.responses.create({ model: FLASH, input: 'bad' });
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [],
    });
  });
});

describe('function tools over two turns', () => {
  it('calls a function, then answers from its output; the thought signature comes back through encrypted_content', async () => {
    stack.fake.script({
      reply: functionCallReply({ name: 'get_weather', args: { city: 'Paris' } }, { modelVersion: GEMINI_3 }),
    });
    const first = await client.responses.create({
      model: GEMINI_3,
      input: 'Weather in Paris?',
      tools: [weather],
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'low' },
      store: false,
    });
    const upstreamFirst = generateCalls(stack.fake.requests)[0]?.body as UpstreamGenerateBody;
    expect(upstreamFirst.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather of a city',
            parameters: expect.objectContaining({ type: 'object', required: ['city'] }),
          },
        ],
      },
    ]);
    expect(upstreamFirst.generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'low' } });
    const [reasoning, call] = first.output;
    expect(reasoning).toMatchObject({
      type: 'reasoning',
      summary: [],
      encrypted_content: expect.stringMatching(/^gemini-thought-signature:v1:/),
    });
    expect(call).toMatchObject({
      type: 'function_call',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
      status: 'completed',
      call_id: expect.stringMatching(/^call_/),
    });
    if (call?.type !== 'function_call') throw new Error('expected a function call');

    stack.fake.reset();
    const second = await client.responses.create({
      model: GEMINI_3,
      input: ['Weather in Paris?', ...first.output]
        .flatMap((item): ResponseInputItem[] =>
          typeof item === 'string' ? [{ role: 'user', content: item }] : [item as ResponseInputItem],
        )
        .concat([{ type: 'function_call_output', call_id: call.call_id, output: 'Sunny, 21 °C' }]),
      tools: [weather],
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    expect(second.output_text).toBe('Echo: (no text)');
    const contents = body().contents;
    expect(contents[1]).toEqual({
      role: 'model',
      parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: expect.any(String) }],
    });
    expect(contents[1]?.parts[0]?.thoughtSignature).not.toBe('skip_thought_signature_validator');
    expect(contents[2]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'get_weather', response: { result: 'Sunny, 21 °C' } } }],
    });
  });

  it('uses Google’s placeholder signature when the history has no reasoning items', async () => {
    await client.responses.create({
      model: GEMINI_3,
      input: [
        { role: 'user', content: 'Weather?' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"temp": 20}' },
      ],
      tools: [weather],
    });
    expect(body().contents[1]?.parts[0]).toEqual({
      functionCall: { name: 'get_weather', args: { city: 'Rome' } },
      thoughtSignature: 'skip_thought_signature_validator',
    });
    expect(body().contents[2]?.parts[0]).toEqual({ functionResponse: { name: 'get_weather', response: { temp: 20 } } });
  });

  it('maps tool_choice to Gemini’s function calling modes', async () => {
    const response = await client.responses.create({
      model: FLASH,
      input: 'x',
      tools: [weather],
      tool_choice: { type: 'function', name: 'get_weather' },
    });
    expect(body().toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
    expect(response.output).toMatchObject([{ type: 'function_call', name: 'get_weather', arguments: '{"city":""}' }]);
  });
});

describe('custom tools, namespaces and web search', () => {
  it('maps a freeform tool to a one-string function and its call back to a custom_tool_call', async () => {
    stack.fake.script({
      reply: functionCallReply({ name: 'apply_patch', args: { input: '*** Begin Patch\n*** End Patch' } }),
    });
    const response = await client.responses.create({
      model: FLASH,
      input: 'patch it',
      tools: [
        {
          type: 'custom',
          name: 'apply_patch',
          description: 'Apply a patch',
          format: { type: 'grammar', syntax: 'lark', definition: 'start: "x"' },
        },
      ],
    });
    expect(body().tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'apply_patch',
            description: expect.stringContaining('start: "x"'),
            parameters: expect.objectContaining({
              type: 'object',
              properties: { input: expect.objectContaining({ type: 'string' }) },
              required: ['input'],
            }),
          },
        ],
      },
    ]);
    expect(response.output).toMatchObject([
      {
        type: 'custom_tool_call',
        name: 'apply_patch',
        input: '*** Begin Patch\n*** End Patch',
        call_id: expect.stringMatching(/^call_/),
      },
    ]);
  });

  it('sends a custom tool call and its output back as a function call and response', async () => {
    await client.responses.create({
      model: FLASH,
      input: [
        { role: 'user', content: 'patch it' },
        { type: 'custom_tool_call', call_id: 'call_9', name: 'apply_patch', input: 'PATCH' },
        { type: 'custom_tool_call_output', call_id: 'call_9', output: 'Done' },
      ],
      tools: [{ type: 'custom', name: 'apply_patch' }],
    });
    expect(body().contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'apply_patch', args: { input: 'PATCH' } },
            thoughtSignature: 'skip_thought_signature_validator',
          },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'apply_patch', response: { result: 'Done' } } }] },
    ]);
  });

  it('declares namespaced functions as namespace.name and answers with the namespace', async () => {
    stack.fake.script({ reply: functionCallReply({ name: 'agents.spawn', args: { task: 't' } }) });
    const response = await client.responses.create({
      model: FLASH,
      input: 'go',
      tools: [
        {
          type: 'namespace',
          name: 'agents',
          description: 'Sub-agents',
          tools: [
            {
              type: 'function',
              name: 'spawn',
              parameters: { type: 'object', properties: { task: { type: 'string' } } },
            },
          ],
        },
      ],
    });
    expect(
      (body().tools?.[0] as { functionDeclarations: { name: string }[] } | undefined)?.functionDeclarations.map(
        (d) => d.name,
      ),
    ).toEqual(['agents.spawn']);
    expect(response.output).toMatchObject([
      { type: 'function_call', name: 'spawn', namespace: 'agents', arguments: '{"task":"t"}' },
    ]);
  });

  it('web_search becomes Google Search; Codex’s cached search (external_web_access: false) is skipped', async () => {
    await client.responses.create({ model: FLASH, input: 'news?', tools: [{ type: 'web_search' }] });
    expect(body().tools).toEqual([{ googleSearch: {} }]);
    stack.fake.reset();
    await client.responses.create({
      model: FLASH,
      input: 'news?',
      tools: [{ type: 'web_search', external_web_access: false } as Tool],
    });
    expect(body().tools).toBeUndefined();
  });

  it('Google Search grounding becomes url_citation annotations and a web_search_call item, in the response and in the stream', async () => {
    const reply = {
      ...textReply('Rain is likely today.'),
      candidates: [
        {
          content: { role: 'model', parts: [{ text: 'Rain is likely today.' }] },
          finishReason: 'STOP',
          index: 0,
          groundingMetadata: {
            webSearchQueries: ['rain today'],
            groundingChunks: [{ web: { uri: 'https://weather.example/today', title: 'weather.example' } }],
            groundingSupports: [
              { segment: { startIndex: 0, endIndex: 14, text: 'Rain is likely' }, groundingChunkIndices: [0] },
            ],
          },
        },
      ],
    };
    const annotation = {
      type: 'url_citation',
      start_index: 0,
      end_index: 14,
      url: 'https://weather.example/today',
      title: 'weather.example',
    };
    stack.fake.script({ reply });
    const response = await client.responses.create({ model: FLASH, input: 'rain?', tools: [{ type: 'web_search' }] });
    const search = { type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'rain today' } };
    expect(response.output).toMatchObject([
      { type: 'message', content: [{ text: 'Rain is likely today.', annotations: [annotation] }] },
      search,
    ]);
    stack.fake.script({ reply });
    const stream = client.responses.stream({ model: FLASH, input: 'rain?', tools: [{ type: 'web_search' }] });
    const added: unknown[] = [];
    for await (const event of stream)
      if (event.type === 'response.output_text.annotation.added') added.push(event.annotation);
    expect(added).toEqual([annotation]);
    expect((await stream.finalResponse()).output).toMatchObject([{ content: [{ annotations: [annotation] }] }, search]);
  });

  it('refuses a hosted tool Gemini has no equivalent of, naming it', async () => {
    const error = await client.responses
      .create({ model: FLASH, input: 'x', tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe('tools[0].type');
    expect((error as BadRequestError).message).toContain("'file_search' tool");
    expect(stack.fake.requests).toHaveLength(0);
  });
});

describe('reasoning', () => {
  it('reasoning.summary shows Gemini’s thought summaries as a reasoning item with reasoning tokens', async () => {
    const response = await client.responses.create({
      model: GEMINI_3,
      input: 'think',
      reasoning: { effort: 'high', summary: 'auto' },
    });
    expect(body().generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'high', includeThoughts: true } });
    expect(response.output).toMatchObject([
      { type: 'reasoning', summary: [{ type: 'summary_text', text: THOUGHT_TEXT }] },
      { type: 'message', content: [{ text: 'Echo: think' }] },
    ]);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(3);
  });
});

describe('responses.stream', () => {
  it('streams the full event sequence with sequence numbers, reasoning summary first', async () => {
    const stream = client.responses.stream({ model: GEMINI_3, input: 'hello stream', reasoning: { summary: 'auto' } });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 5)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
    ]);
    expect(types).toEqual(
      expect.arrayContaining([
        'response.reasoning_summary_text.done',
        'response.reasoning_summary_part.done',
        'response.content_part.added',
        'response.output_text.delta',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
      ]),
    );
    expect(types[types.length - 1]).toBe('response.completed');
    expect(final.output_text).toBe('Echo: hello stream');
    expect(final.output[0]).toMatchObject({ type: 'reasoning', summary: [{ text: THOUGHT_TEXT }] });
    expect(final.usage).toMatchObject({ output_tokens_details: { reasoning_tokens: 3 } });
    const deltas = events.filter((e) => e.type === 'response.output_text.delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(generateCalls(stack.fake.requests)[0]?.path).toMatch(/:streamGenerateContent$/);
  });

  it('streams function call arguments and ends with the call in the final response', async () => {
    stack.fake.script({
      chunks: [
        ...textChunks('Let me check.', { finishReason: undefined }).map((c) => ({
          ...c,
          candidates: c.candidates?.map(({ finishReason: _f, ...rest }) => rest),
        })),
        functionCallReply({ name: 'get_weather', args: { city: 'Oslo' } }),
      ],
    });
    const stream = client.responses.stream({ model: FLASH, input: 'weather', tools: [weather] });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(types).toEqual(
      expect.arrayContaining(['response.function_call_arguments.delta', 'response.function_call_arguments.done']),
    );
    expect(final.output).toMatchObject([
      { type: 'message', content: [{ text: 'Let me check.' }] },
      { type: 'function_call', name: 'get_weather', arguments: '{"city":"Oslo"}' },
    ]);
  });

  it('ends with an error event and response.failed when the upstream breaks mid-stream', async () => {
    stack.fake.script({ fault: 'drop-mid-stream', afterChunks: 1 });
    const response = await fetch(`${stack.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer k1', 'content-type': 'application/json' },
      body: JSON.stringify({ model: FLASH, input: 'hello there friend', stream: true }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('data: '))
      .map(
        (block) =>
          JSON.parse(block.slice(block.indexOf('data: ') + 6)) as {
            type: string;
            sequence_number: number;
            code?: string;
          },
      );
    expect(events[0]?.type).toBe('response.created');
    expect(events.slice(-2).map((e) => e.type)).toEqual(['error', 'response.failed']);
    expect(events.at(-2)).toMatchObject({ code: 'server_error' });
  });
});

describe('errors', () => {
  it('refuses previous_response_id and conversation: the gateway is stateless', async () => {
    const error = await client.responses
      .create({ model: FLASH, input: 'x', previous_response_id: 'resp_1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain('stateless');
    expect((error as BadRequestError).param).toBe('previous_response_id');
    const conversation = await client.responses
      .create({ model: FLASH, input: 'x', conversation: 'conv_1' })
      .catch((e: unknown) => e);
    expect((conversation as BadRequestError).param).toBe('conversation');
  });

  it('serves the short path /responses too', async () => {
    const response = await fetch(`${stack.url}/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer k1', 'content-type': 'application/json' },
      body: JSON.stringify({ model: FLASH, input: 'short path' }),
    });
    expect(await response.json()).toMatchObject({
      object: 'response',
      output: [{ content: [{ text: 'Echo: short path' }] }],
    });
  });

  it('answers 404 in OpenAI’s shape to retrieving or deleting a response', async () => {
    const retrieved = await client.responses.retrieve('resp_abc').catch((e: unknown) => e);
    expect(retrieved).toBeInstanceOf(NotFoundError);
    expect((retrieved as NotFoundError).message).toContain('stateless');
    const deleted = await client.responses.delete('resp_abc').catch((e: unknown) => e);
    expect(deleted).toBeInstanceOf(NotFoundError);
  });

  it('names the field of an invalid request and of an unknown one', async () => {
    const bad = await client.responses
      .create({ model: FLASH, input: [{ type: 'function_call_output', call_id: 'nope', output: 'x' }] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((bad as BadRequestError).message).toContain('No tool call found for function call output with call_id nope');
    const unknown = await client.responses
      .create({ model: FLASH, input: 'x', nonsense: 1 } as never)
      .catch((e: unknown) => e);
    expect((unknown as BadRequestError).message).toContain('Unrecognized request argument supplied: nonsense');
  });

  it('maps upstream key and quota errors to the SDK’s classes', async () => {
    expect(
      await openaiClient(stack.url, 'unknown-token', { fetch: (input, init) => fetch(input, { ...init, headers: {} }) })
        .responses.create({ model: FLASH, input: 'x' })
        .catch((e: unknown) => e),
    ).toBeInstanceOf(AuthenticationError);
    stack.fake.setKey('k1', 'bad');
    expect(await client.responses.create({ model: FLASH, input: 'x' }).catch((e: unknown) => e)).toMatchObject({
      status: 400,
      code: 'invalid_api_key',
    });
    stack.fake.setKey('k1', 'quota');
    expect(await client.responses.create({ model: FLASH, input: 'x' }).catch((e: unknown) => e)).toBeInstanceOf(
      RateLimitError,
    );
    stack.fake.setKey('k1', 'leaked');
    expect(await client.responses.create({ model: FLASH, input: 'x' }).catch((e: unknown) => e)).toBeInstanceOf(
      PermissionDeniedError,
    );
    stack.fake.setKey('k1', 'down');
    expect(await client.responses.create({ model: FLASH, input: 'x' }).catch((e: unknown) => e)).toBeInstanceOf(
      InternalServerError,
    );
  });
});
