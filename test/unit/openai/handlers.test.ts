import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_MAP } from '../../../src/gemini/resolve-model';
import { gatewayWithStub, geminiError, jsonReply, quota, type StubReply } from '../support/stub-upstream';
import { fixtureJson, fixtureText, sseEvents } from './helpers';

const GW = 'https://gw.test';
const auth = { authorization: 'Bearer k1', 'content-type': 'application/json' };
const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  new Request(`${GW}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const get = (path: string) => new Request(`${GW}${path}`, { headers: auth });
const sseReply = (name: string) =>
  new Response(fixtureText(name), { headers: { 'content-type': 'text/event-stream' } });

/** The official client, talking to the gateway in process. */
function sdk(handler: (request: Request) => Promise<Response>) {
  return new OpenAI({
    apiKey: 'k1',
    baseURL: `${GW}/v1`,
    maxRetries: 0,
    fetch: (url, init) => handler(new Request(url as string, init as RequestInit)),
  });
}

describe('POST /v1/chat/completions', () => {
  it('converts the request, calls generateContent with the mapped model and echoes the requested one', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [jsonReply(fixtureJson('reply-with-thoughts.json'))] });
    const response = await handler(
      post('/v1/chat/completions', {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What is 2+2?' },
        ],
        temperature: 0.3,
        max_tokens: 50,
        reasoning_effort: 'low',
      }),
    );
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('https://upstream.test/v1beta/models/gemini-flash-latest:generateContent');
    expect(calls[0]?.headers.get('x-goog-api-key')).toBe('k1');
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'What is 2+2?' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: {
        temperature: 0.3,
        maxOutputTokens: 50,
        thinkingConfig: { thinkingLevel: 'low', includeThoughts: true },
      },
    });
    const completion = (await response.json()) as Record<string, unknown>;
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o',
      created: 1_700_000_000,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: '2 + 2 = 4.', reasoning_content: expect.any(String) },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 9, completion_tokens: 71, total_tokens: 80 },
    });
    expect(completion.id).toMatch(/^chatcmpl-.+/);
  });

  it.each(['/chat/completions', '/v1/chat/completions'])('is served at %s', async (path) => {
    const { handler, calls } = gatewayWithStub({ replies: [jsonReply(fixtureJson('reply-with-thoughts.json'))] });
    const response = await handler(
      post(path, { model: 'gemini-3.1-pro-preview', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(response.status).toBe(200);
    expect(calls[0]?.url).toBe('https://upstream.test/v1beta/models/gemini-3.1-pro-preview:generateContent');
  });

  it('uses MODEL_MAP', async () => {
    const { handler, calls } = gatewayWithStub({
      env: { MODEL_MAP: 'gpt-4o=gemini-3.1-pro-preview,my-alias=gemini-3.8-flash' },
      replies: [jsonReply(fixtureJson('reply-with-thoughts.json'))],
    });
    const response = await handler(
      post('/v1/chat/completions', { model: 'my-alias', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(calls[0]?.url).toBe('https://upstream.test/v1beta/models/gemini-3.8-flash:generateContent');
    expect(((await response.json()) as { model: string }).model).toBe('my-alias');
  });

  it('streams from streamGenerateContent?alt=sse as OpenAI chunks', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [sseReply('final-chunk-finish-only.chunks.txt')] });
    const response = await handler(
      post('/v1/chat/completions', {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(calls[0]?.url).toBe('https://upstream.test/v1beta/models/gemini-flash-latest:streamGenerateContent?alt=sse');
    const events = sseEvents(await response.text()) as {
      id?: string;
      model?: string;
      choices?: { delta: unknown; finish_reason: unknown }[];
      usage?: unknown;
    }[];
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(new Set(chunks.map((c) => c.model))).toEqual(new Set(['gpt-4o']));
    expect(chunks.map((c) => c.choices?.[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hello' },
      { content: ' world' },
      {},
      undefined,
    ]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });

  it('answers an upstream failure before the stream as a JSON error with the real status', async () => {
    const { handler } = gatewayWithStub({ fallback: quota() });
    const response = await handler(
      post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    );
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
  });

  it.each([
    ['not JSON', '{"model":', 400, null, /^We could not parse the JSON body of your request/],
    ['no messages', { model: 'gpt-4o' }, 400, 'messages', /Missing required parameter: 'messages'/],
    [
      'an unknown role',
      { model: 'gpt-4o', messages: [{ role: 'robot', content: 'x' }] },
      400,
      'messages[0].role',
      /Supported values/,
    ],
    [
      'a model name that would change the path',
      { model: 'gemini-x/../../admin', messages: [{ role: 'user', content: 'x' }] },
      400,
      'model',
      /Invalid model name/,
    ],
  ])('refuses %s before any upstream call', async (_name, body, status, param, message) => {
    const { handler, calls } = gatewayWithStub();
    const response = await handler(post('/v1/chat/completions', body));
    expect(response.status).toBe(status);
    const error = ((await response.json()) as { error: { message: string; type: string; param: string | null } }).error;
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
    expect(calls).toHaveLength(0);
  });

  it.each<[string, StubReply, number, string]>([
    [
      'a Gemini 400',
      geminiError(400, 'INVALID_ARGUMENT', 'Please use a valid role: user, model.'),
      400,
      'invalid_request_error',
    ],
    [
      'a Gemini 404',
      geminiError(404, 'NOT_FOUND', 'models/gemini-9 is not found for API version v1beta.'),
      404,
      'not_found_error',
    ],
    ['an empty 200', jsonReply({ usageMetadata: { promptTokenCount: 1 } }), 502, 'server_error'],
  ])('passes %s on with its status', async (_name, reply, status, type) => {
    const { handler } = gatewayWithStub({ replies: [reply] });
    const response = await handler(
      post('/v1/chat/completions', { model: 'gemini-9', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(type);
  });

  it('works with the official openai client, stream and not, including a tool round trip with a signature', async () => {
    const { handler, calls } = gatewayWithStub({
      replies: [
        jsonReply(fixtureJson('parallel-calls-gemini-3.json')),
        sseReply('thoughts-then-text-with-signature.chunks.txt'),
      ],
    });
    const client = sdk(handler);
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const first = await client.chat.completions.create({
      model: 'gemini-3.1-pro-preview',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools,
    });
    const message = first.choices[0]!.message;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(message.tool_calls).toHaveLength(2);

    const stream = await client.chat.completions.create({
      model: 'gemini-3.1-pro-preview',
      stream: true,
      tools,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: message.content, tool_calls: message.tool_calls },
        ...message.tool_calls!.map((call) => ({
          role: 'tool' as const,
          tool_call_id: call.id,
          content: '{"temp":20}',
        })),
      ],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Soft rain on the roof');

    const history = JSON.parse(calls[1]?.body ?? '') as { contents: unknown[] };
    expect(history.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQBjz1rX+abc/deYQ==' },
          { functionCall: { name: 'get_weather', args: { city: 'Tokyo', unit: 'celsius' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 20 } } },
          { functionResponse: { name: 'get_weather', response: { temp: 20 } } },
        ],
      },
    ]);
  });

  it('gives the openai client the error class of the upstream status', async () => {
    const { handler } = gatewayWithStub({ fallback: quota() });
    await expect(
      sdk(handler).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });
});

describe('GET /v1/models', () => {
  const page1 = {
    models: [{ name: 'models/gemini-3.8-flash', displayName: 'Gemini 3.8 Flash' }, { name: 'models/gpt-4' }],
    nextPageToken: 'tok/2=',
  };
  const page2 = { models: [{ name: 'models/gemini-embedding-001' }] };

  it('lists every upstream page, ids without models/, plus the aliases', async () => {
    const { handler, calls } = gatewayWithStub({
      env: { MODEL_MAP: 'my-alias=gemini-3.1-pro-preview' },
      replies: [jsonReply(page1), jsonReply(page2)],
    });
    const response = await handler(get('/v1/models'));
    expect(response.status).toBe(200);
    expect(calls.map((call) => [call.method, call.url])).toEqual([
      ['GET', 'https://upstream.test/v1beta/models?pageSize=1000'],
      ['GET', 'https://upstream.test/v1beta/models?pageSize=1000&pageToken=tok%2F2%3D'],
    ]);
    const body = (await response.json()) as {
      object: string;
      data: { id: string; object: string; owned_by: string; created: number }[];
    };
    expect(body.object).toBe('list');
    expect(body.data.map((m) => [m.id, m.owned_by])).toEqual([
      ['gemini-3.8-flash', 'google'],
      ['gpt-4', 'google'],
      ['gemini-embedding-001', 'google'],
      // An alias the upstream also lists (gpt-4 here) is shown once, as the upstream's.
      ...Object.keys(DEFAULT_MODEL_MAP)
        .filter((alias) => alias !== 'gpt-4')
        .map((alias) => [alias, 'gemini-balance-lite']),
      ['my-alias', 'gemini-balance-lite'],
    ]);
    expect(new Set(body.data.map((m) => m.object))).toEqual(new Set(['model']));
    expect(new Set(body.data.map((m) => m.created))).toEqual(new Set([1_702_425_600]));
  });

  it('answers an alias without asking upstream', async () => {
    const { handler, calls } = gatewayWithStub();
    const response = await handler(get('/v1/models/gpt-4o'));
    expect(await response.json()).toEqual({
      id: 'gpt-4o',
      object: 'model',
      created: 1_702_425_600,
      owned_by: 'gemini-balance-lite',
    });
    expect(calls).toHaveLength(0);
  });

  it('asks upstream for any other id', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [jsonReply({ name: 'models/gemini-3.8-flash' })] });
    const response = await handler(get('/models/gemini-3.8-flash'));
    expect(await response.json()).toEqual({
      id: 'gemini-3.8-flash',
      object: 'model',
      created: 1_702_425_600,
      owned_by: 'google',
    });
    expect(calls[0]?.url).toBe('https://upstream.test/v1beta/models/gemini-3.8-flash');
  });

  it.each<[string, StubReply | undefined]>([
    ['gemini-nope', geminiError(404, 'NOT_FOUND', 'models/gemini-nope is not found')],
    ['bad:name', undefined],
  ])('answers 404 model_not_found in OpenAI shape for %s', async (id, reply) => {
    const { handler, calls } = gatewayWithStub({ replies: reply ? [reply] : [] });
    const response = await handler(get(`/v1/models/${encodeURIComponent(id)}`));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        message: `The model '${id}' does not exist or you do not have access to it.`,
        type: 'not_found_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
    expect(calls).toHaveLength(reply ? 1 : 0);
  });

  it('works with the official openai client', async () => {
    const { handler } = gatewayWithStub({ replies: [jsonReply(page2)] });
    const ids: string[] = [];
    for await (const model of sdk(handler).models.list()) ids.push(model.id);
    expect(ids).toEqual(['gemini-embedding-001', ...Object.keys(DEFAULT_MODEL_MAP)]);
  });
});

describe('POST /v1/embeddings', () => {
  const vectors = (count: number, offset = 0) => ({
    embeddings: Array.from({ length: count }, (_, i) => ({ values: [i + offset, 0.5, -0.25] })),
  });

  it('splits lists over 100 into several batchEmbedContents calls, in order', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [jsonReply(vectors(100)), jsonReply(vectors(50, 100))] });
    const input = Array.from({ length: 150 }, (_, i) => `text ${i}`);
    const response = await handler(
      post('/v1/embeddings', { model: 'text-embedding-3-small', input, dimensions: 3, encoding_format: 'float' }),
    );
    expect(response.status).toBe(200);
    expect(calls.map((call) => call.url)).toEqual([
      'https://upstream.test/v1beta/models/gemini-embedding-001:batchEmbedContents',
      'https://upstream.test/v1beta/models/gemini-embedding-001:batchEmbedContents',
    ]);
    const first = JSON.parse(calls[0]?.body ?? '') as { requests: unknown[] };
    expect(first.requests).toHaveLength(100);
    expect(first.requests[0]).toEqual({
      model: 'models/gemini-embedding-001',
      content: { parts: [{ text: 'text 0' }] },
      outputDimensionality: 3,
    });
    expect((JSON.parse(calls[1]?.body ?? '') as { requests: unknown[] }).requests).toHaveLength(50);
    const body = (await response.json()) as {
      object: string;
      model: string;
      data: { index: number; embedding: number[] }[];
      usage: unknown;
    };
    expect(body.object).toBe('list');
    expect(body.model).toBe('text-embedding-3-small');
    expect(body.data).toHaveLength(150);
    expect(body.data[149]).toEqual({ object: 'embedding', index: 149, embedding: [149, 0.5, -0.25] });
    expect(body.usage).toEqual({ prompt_tokens: 0, total_tokens: 0 });
  });

  it('decodes right in the official client, which asks for base64 by default', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [jsonReply(vectors(2))] });
    const result = await sdk(handler).embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(JSON.parse(calls[0]?.body ?? '').requests[1]).toEqual({
      model: 'models/gemini-embedding-001',
      content: { parts: [{ text: 'b' }] },
    });
    expect(result.data.map((d) => d.embedding)).toEqual([
      [0, 0.5, -0.25],
      [1, 0.5, -0.25],
    ]);
  });

  it.each([
    ['token arrays', { model: 'text-embedding-3-small', input: [[1, 2, 3]] }, 'token arrays are not supported'],
    ['an empty list', { model: 'text-embedding-3-small', input: [] }, 'must not be empty'],
    [
      'an unknown encoding',
      { model: 'text-embedding-3-small', input: 'a', encoding_format: 'int8' },
      'Supported values',
    ],
  ])('refuses %s with a 400 naming input', async (_name, body, fragment) => {
    const { handler, calls } = gatewayWithStub();
    const response = await handler(post('/v1/embeddings', body));
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { message: string; param: string } }).error;
    expect(error.message).toContain(fragment);
    expect(['input', 'encoding_format']).toContain(error.param);
    expect(calls).toHaveLength(0);
  });
});
