import OpenAI, {
  type APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/local/start';
import { DAY_WINDOW_MS, keysInSlotOrder } from './support/keys-in-slot-order';
import { openaiClient } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * Every error class the official SDK raises, produced by the real gateway: the status is real (so the SDK
 * picks the class and decides on retries), the body is OpenAI's `{error: {message, type, param, code}}`, and
 * a client's mistake never reaches the upstream.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS) });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const client = (apiKey: string, options: ConstructorParameters<typeof OpenAI>[0] = {}) =>
  openaiClient(stack.url, apiKey, options);
const chat = (sdk: OpenAI, body: Record<string, unknown>) =>
  sdk.chat.completions.create(body as never).then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error,
  );
const hello = [{ role: 'user', content: 'hello' }];

describe('400 BadRequestError: an invalid request names the field and never reaches the upstream', () => {
  it.each([
    ['no messages', { model: 'gpt-4o' }, 'messages'],
    ['empty messages', { model: 'gpt-4o', messages: [] }, 'messages'],
    ['no model', { messages: hello }, 'model'],
    ['an unknown role', { model: 'gpt-4o', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    ['a message without a role', { model: 'gpt-4o', messages: [{ content: 'x' }] }, 'messages[0].role'],
    [
      'content of the wrong type',
      { model: 'gpt-4o', messages: [{ role: 'user', content: 42 }] },
      'messages[0].content',
    ],
    [
      'a text part without text',
      { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text' }] }] },
      'messages[0].content[0].text',
    ],
    [
      'an unknown content part type',
      { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'video', video: {} }] }] },
      'messages[0].content[0].type',
    ],
    ['messages that are not a list', { model: 'gpt-4o', messages: 'hello' }, 'messages'],
    ['temperature as a string', { model: 'gpt-4o', messages: hello, temperature: 'hot' }, 'temperature'],
    ['temperature out of range', { model: 'gpt-4o', messages: hello, temperature: 3 }, 'temperature'],
    ['a fractional n', { model: 'gpt-4o', messages: hello, n: 1.5 }, 'n'],
    ['six stop sequences', { model: 'gpt-4o', messages: hello, stop: ['1', '2', '3', '4', '5', '6'] }, 'stop'],
    ['an unknown top-level field', { model: 'gpt-4o', messages: hello, frobnicate: true }, 'frobnicate'],
    [
      'an unknown reasoning_effort',
      { model: 'gpt-4o', messages: hello, reasoning_effort: 'extreme' },
      'reasoning_effort',
    ],
    ['stream as a string', { model: 'gpt-4o', messages: hello, stream: 'yes' }, 'stream'],
    ['top_logprobs without logprobs', { model: 'gpt-4o', messages: hello, top_logprobs: 2 }, 'top_logprobs'],
    [
      'tool call arguments that are not JSON',
      {
        model: 'gpt-4o',
        messages: [
          ...hello,
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{oops' } }],
          },
        ],
      },
      'messages[1].tool_calls[0].function.arguments',
    ],
    [
      'a tool result for an unknown call',
      { model: 'gpt-4o', messages: [...hello, { role: 'tool', tool_call_id: 'nope', content: 'x' }] },
      'messages[1].tool_call_id',
    ],
    [
      'tool_choice naming an undeclared function',
      {
        model: 'gpt-4o',
        messages: hello,
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: { type: 'function', function: { name: 'g' } },
      },
      'tool_choice.function.name',
    ],
    [
      'a data URL that is not base64',
      {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,%%%' } }] }],
      },
      'messages[0].content[0].image_url.url',
    ],
    [
      'a model name that could change the upstream path',
      { model: 'gemini-3.8-flash/../../x', messages: hello },
      'model',
    ],
  ])('%s', async (_name, body, param) => {
    const error = await chat(client('k1,k2'), body);
    expect(error).toBeInstanceOf(BadRequestError);
    const apiError = error as BadRequestError;
    expect(apiError.status).toBe(400);
    expect(apiError.type).toBe('invalid_request_error');
    expect(apiError.param).toBe(param);
    expect((apiError.error as { message: string }).message.length).toBeGreaterThan(10);
    expect(stack.fake.requests).toHaveLength(0);
  });

  it.each([
    ['input of the wrong type', { model: 'text-embedding-3-small', input: 42 }, 'input'],
    ['no model', { input: 'x' }, 'model'],
    ['token arrays', { model: 'text-embedding-3-small', input: [[1, 2, 3]] }, 'input'],
    ['an empty list', { model: 'text-embedding-3-small', input: [] }, 'input'],
    ['dimensions 0', { model: 'text-embedding-3-small', input: 'x', dimensions: 0 }, 'dimensions'],
    [
      'an unknown encoding_format',
      { model: 'text-embedding-3-small', input: 'x', encoding_format: 'hex' },
      'encoding_format',
    ],
  ])('embeddings: %s', async (_name, body, param) => {
    const error = await client('k1')
      .embeddings.create(body as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param });
    expect(stack.fake.requests).toHaveLength(0);
  });

  it.each([
    ['not JSON', '{"model": "gpt-4o", "messages": ['],
    ['a JSON array', '[1, 2]'],
    ['empty', ''],
  ])('a body that is %s is a 400 in OpenAI’s shape', async (_name, raw) => {
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k1' },
      body: raw,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error).toMatchObject({
      type: 'invalid_request_error',
      param: null,
      message: expect.stringMatching(/JSON/),
    });
    expect(stack.fake.requests).toHaveLength(0);
  });
});

describe('errors with their real status', () => {
  it('401 AuthenticationError without any key, before any upstream call', async () => {
    const error = await chat(client('unused', { defaultHeaders: { Authorization: null } }), {
      model: 'gpt-4o',
      messages: hello,
    });
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, type: 'authentication_error', code: 'missing_api_key' });
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('401 AuthenticationError for a wrong access token when the gateway serves only its own keys', async () => {
    const gateway = await startGateway({
      env: {
        GEMINI_BASE_URL: stack.fake.origin,
        GEMINI_API_KEYS: 'server-key-1',
        ACCESS_TOKENS: 'right-token',
        ALLOW_CLIENT_KEYS: 'false',
        LOG_LEVEL: 'error',
      },
    });
    try {
      const error = await openaiClient(gateway.url, 'wrong-token')
        .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, code: 'invalid_access_token' });
      expect(stack.fake.requests).toHaveLength(0);
      const ok = await openaiClient(gateway.url, 'right-token').chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(ok.choices[0]?.message.content).toBe('Echo: x');
      expect(stack.fake.requests.map((r) => r.key)).toEqual(['server-key-1']);
    } finally {
      await gateway.close();
    }
  });

  it('403 PermissionDeniedError when every key is leaked, with Gemini’s message', async () => {
    const keys = ['leaked-403a', 'leaked-403b'];
    const error = await chat(client(keysInSlotOrder(keys)), { model: 'gpt-4o', messages: hello });
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({
      status: 403,
      type: 'permission_error',
      message: expect.stringContaining('Your API key was reported as leaked'),
    });
    expect(stack.fake.requests.map((r) => r.key)).toEqual(keys);
  });

  it('400 BadRequestError with code invalid_api_key when Gemini rejects every key', async () => {
    const error = await chat(client('bad-400a,bad-400b'), { model: 'gpt-4o', messages: hello });
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_api_key',
      message: expect.stringContaining('API key not valid'),
    });
    expect(stack.fake.requests).toHaveLength(2);
  });

  it.each([false, true])(
    '404 NotFoundError for an unknown model, upstream’s 404 kept, not failed over (stream: %s)',
    async (stream) => {
      const error = await chat(client('k1,k2'), { model: 'gemini-9-ultra', messages: hello, stream });
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({
        status: 404,
        type: 'not_found_error',
        code: 'model_not_found',
        message: expect.stringContaining('models/gemini-9-ultra is not found'),
      });
      expect(stack.fake.requests).toHaveLength(1);
    },
  );

  it('404 NotFoundError from models.retrieve', async () => {
    const error = await client('k1')
      .models.retrieve('gemini-9-ultra')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
  });

  it.each([false, true])(
    '429 RateLimitError when every key is over quota, Gemini’s message kept (stream: %s)',
    async (stream) => {
      const keys = [`quota-429a-${stream}`, `quota-429b-${stream}`];
      const error = await chat(client(keysInSlotOrder(keys)), { model: 'gpt-4o', messages: hello, stream });
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toMatchObject({
        status: 429,
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
        message: expect.stringContaining('You exceeded your current quota'),
      });
      expect(stack.fake.requests.map((r) => r.key)).toEqual(keys);
    },
  );

  it('429 RateLimitError on embeddings too', async () => {
    const error = await client('quota-embed')
      .embeddings.create({ model: 'text-embedding-3-small', input: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as APIError).message).toContain('embed_content_free_tier_requests');
  });

  it.each([false, true])('503 InternalServerError when every key is overloaded (stream: %s)', async (stream) => {
    const error = await chat(client(`down-503a-${stream},down-503b-${stream}`), {
      model: 'gpt-4o',
      messages: hello,
      stream,
    });
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({
      status: 503,
      type: 'server_error',
      code: 'server_overloaded',
      message: expect.stringContaining('The model is overloaded'),
    });
    expect(stack.fake.requests).toHaveLength(2);
  });

  it('500 InternalServerError when every key gets an internal error', async () => {
    const error = await chat(client('err500-a'), { model: 'gpt-4o', messages: hello });
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, type: 'server_error' });
  });

  it('every error body is exactly {error: {message, type, param, code}}', async () => {
    for (const key of ['leaked-shape', 'quota-shape', 'down-shape', 'bad-shape']) {
      const response = await fetch(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'gpt-4o', messages: hello }),
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: Record<string, unknown> };
      expect(Object.keys(body)).toEqual(['error']);
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
      expect(body.error.message).toEqual(expect.any(String));
      expect(body.error.type).toEqual(expect.any(String));
    }
  });
});

describe('SDK retries', () => {
  it('with its default retries the SDK retries a 503 (three attempts in all)', async () => {
    const sdk = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'down-retry' });
    const error = await chat(sdk, { model: 'gpt-4o', messages: hello });
    expect(error).toBeInstanceOf(InternalServerError);
    expect(stack.fake.requests).toHaveLength(3);
  });

  it('and does not retry a 400, 403 or 404', async () => {
    const sdk = (apiKey: string) => new OpenAI({ baseURL: `${stack.url}/v1`, apiKey });
    await chat(sdk('bad-noretry'), { model: 'gpt-4o', messages: hello });
    await chat(sdk('leaked-noretry'), { model: 'gpt-4o', messages: hello });
    await chat(sdk('k-noretry'), { model: 'gemini-9-ultra', messages: hello });
    expect(stack.fake.requests).toHaveLength(3);
  });
});
