import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GroundingMetadataJSON } from './grounding';
import {
  DEFAULT_PAGE_SIZE,
  DUMMY_SIGNATURE,
  type FakeGemini,
  functionCallReply,
  type GeminiResponseJSON,
  MODELS,
  startFakeGemini,
  THOUGHT_TEXT,
  textChunks,
  textReply,
} from './index';

let fake: FakeGemini;

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const KEY = 'test-key';
const gen = (model = 'gemini-3.8-flash', method = 'generateContent') => `/v1beta/models/${model}:${method}`;
const hello = (text = 'hello there world') => ({ contents: [{ role: 'user', parts: [{ text }] }] });

interface CallOptions {
  key?: string | null;
  headers?: Record<string, string>;
  method?: string;
  signal?: AbortSignal;
}

function call(path: string, body?: unknown, options: CallOptions = {}): Promise<Response> {
  const key = options.key === undefined ? KEY : options.key;
  return fetch(fake.origin + path, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { 'x-goog-api-key': key }),
      ...options.headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: options.signal,
  });
}

interface ErrorBody {
  error: { code: number; message: string; status: string; details?: Array<Record<string, unknown>> };
}

async function expectError(res: Response, status: number, message: string | RegExp): Promise<ErrorBody['error']> {
  const body = (await res.json()) as ErrorBody;
  expect(res.status).toBe(status);
  expect(body.error.code).toBe(status);
  if (typeof message === 'string') expect(body.error.message).toBe(message);
  else expect(body.error.message).toMatch(message);
  return body.error;
}

const textOf = (reply: GeminiResponseJSON, candidate = 0) =>
  (reply.candidates?.[candidate]?.content?.parts ?? []).map((p) => p.text ?? '').join('');

function sseEvents(text: string): GeminiResponseJSON[] {
  expect(text.endsWith('\r\n\r\n')).toBe(true);
  return text
    .split('\r\n\r\n')
    .filter((event) => event !== '')
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      return JSON.parse(event.slice('data: '.length)) as GeminiResponseJSON;
    });
}

describe('credentials', () => {
  it('reads the key from x-goog-api-key or ?key= and records which was used', async () => {
    expect((await call(gen(), hello())).status).toBe(200);
    expect((await call(`${gen()}?key=q-key`, hello(), { key: null })).status).toBe(200);
    expect(fake.requests.map((r) => [r.key, r.keyIn])).toEqual([
      [KEY, 'header'],
      ['q-key', 'query'],
    ]);
  });

  it('answers 401 to any Authorization header, as Google reads it as an OAuth token', async () => {
    const res = await call(gen(), hello(), { headers: { authorization: `Bearer ${KEY}` } });
    const error = await expectError(
      res,
      401,
      /^Request had invalid authentication credentials\. Expected OAuth 2 access token/,
    );
    expect(error.status).toBe('UNAUTHENTICATED');
  });

  it('answers 403 without a key', async () => {
    const error = await expectError(
      await call(gen(), hello(), { key: null }),
      403,
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    );
    expect(error.status).toBe('PERMISSION_DENIED');
  });

  it('answers unknown paths and wrong methods with the HTML 404 page', async () => {
    for (const res of [await call('/v1beta/nothing', {}), await call(gen(), undefined, { method: 'GET' })]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('Error 404 (Not Found)');
    }
  });
});

describe('key behaviours', () => {
  it('bad- keys get 400 API_KEY_INVALID, not 401', async () => {
    const error = await expectError(
      await call(gen(), hello(), { key: 'bad-1' }),
      400,
      'API key not valid. Please pass a valid API key.',
    );
    expect(error.status).toBe('INVALID_ARGUMENT');
    expect(error.details?.[0]).toMatchObject({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
    });
  });

  it('leaked- keys get 403', async () => {
    await expectError(
      await call(gen(), hello(), { key: 'leaked-1' }),
      403,
      'Your API key was reported as leaked. Please use another API key.',
    );
  });

  it('quota- keys get 429 with RetryInfo in the body and no Retry-After header', async () => {
    const res = await call(gen(), hello(), { key: 'quota-1' });
    expect(res.headers.get('retry-after')).toBeNull();
    const error = await expectError(res, 429, /^You exceeded your current quota/);
    expect(error.status).toBe('RESOURCE_EXHAUSTED');
    expect(error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '34s' });
    expect(JSON.stringify(error.details)).toContain('GenerateRequestsPerMinutePerProjectPerModel-FreeTier');
  });

  it('quotaday- keys get 429 with a per-day quota id and no RetryInfo', async () => {
    const error = await expectError(await call(gen(), hello(), { key: 'quotaday-1' }), 429, /current quota/);
    expect(JSON.stringify(error.details)).toContain('GenerateRequestsPerDayPerProjectPerModel-FreeTier');
    expect(JSON.stringify(error.details)).not.toContain('RetryInfo');
  });

  // Issue 16: the free tier's daily quota is per model; the key keeps working for the others.
  it('setKey with models refuses those models only, with a per-day QuotaFailure naming the model and RetryInfo', async () => {
    fake.setKey('plain', { kind: 'quotaday', retryDelay: '36s', models: ['gemini-3.8-flash'] });
    const res = await call('/v1beta/models/gemini-3.8-flash:generateContent', hello(), { key: 'plain' });
    const error = await expectError(res, 429, /model: gemini-3.8-flash/);
    expect(error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
          quotaDimensions: { location: 'global', model: 'gemini-3.8-flash' },
          quotaValue: '250',
        },
      ],
    });
    expect(error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36s' });
    expect((await call('/v1beta/models/gemini-3.6-flash:generateContent', hello(), { key: 'plain' })).status).toBe(200);
  });

  it('down- keys get 503 and err500- keys 500', async () => {
    const down = await expectError(
      await call(gen(), hello(), { key: 'down-1' }),
      503,
      'The model is overloaded. Please try again later.',
    );
    expect(down.status).toBe('UNAVAILABLE');
    const internal = await expectError(
      await call(gen(), hello(), { key: 'err500-1' }),
      500,
      /^An internal error has occurred/,
    );
    expect(internal.status).toBe('INTERNAL');
  });

  it('geo- keys get the 400 FAILED_PRECONDITION Gemini answers from a location it does not serve', async () => {
    const error = await expectError(
      await call(gen(), hello(), { key: 'geo-1' }),
      400,
      'User location is not supported for the API use.',
    );
    expect(error.status).toBe('FAILED_PRECONDITION');
  });

  it('drop- keys lose the connection before any header', async () => {
    await expect(call(gen(), hello(), { key: 'drop-1' })).rejects.toThrow();
    expect(fake.requests[0]?.aborted).toBe(false);
  });

  it('stall- keys never answer; the client giving up is recorded as an abort', async () => {
    const controller = new AbortController();
    const pending = call(gen(), hello(), { key: 'stall-1', signal: controller.signal });
    await fake.waitFor((requests) => requests.length === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect((await fake.waitForAbort()).key).toBe('stall-1');
  });

  it('setKey overrides the prefix convention', async () => {
    fake.setKey('bad-but-fine', 'ok');
    fake.setKey('plain', { kind: 'quota', retryDelay: '12.5s' });
    expect((await call(gen(), hello(), { key: 'bad-but-fine' })).status).toBe(200);
    const error = await expectError(await call(gen(), hello(), { key: 'plain' }), 429, /Please retry in 12.5s/);
    expect(error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12.5s' });
  });

  it('quota and overload apply to model calls only; listing models still works', async () => {
    expect((await call('/v1beta/models', undefined, { key: 'quota-1' })).status).toBe(200);
    expect((await call('/v1beta/models', undefined, { key: 'bad-1' })).status).toBe(400);
  });

  it('a failing key does not consume a scripted step', async () => {
    fake.script({ reply: textReply('scripted') });
    expect((await call(gen(), hello(), { key: 'bad-1' })).status).toBe(400);
    expect(fake.remainingSteps).toBe(1);
    expect(textOf((await (await call(gen(), hello())).json()) as GeminiResponseJSON)).toBe('scripted');
  });
});

describe('GenerateContentRequest validation', () => {
  it('refuses unknown fields anywhere, naming them like the proto-JSON parser', async () => {
    const error = await expectError(
      await call(gen(), { ...hello(), generationConfig: { temprature: 1 }, extra: true }),
      400,
      'Invalid JSON payload received. Unknown name "temprature" at \'generation_config\': Cannot find field.\n' +
        'Invalid JSON payload received. Unknown name "extra": Cannot find field.',
    );
    expect(error.details?.[0]).toMatchObject({
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ field: 'generation_config' }, {}],
    });
  });

  it('accepts camelCase and snake_case field names, and one value where a list is expected', async () => {
    const body = {
      contents: { role: 'user', parts: { text: 'hi' } },
      system_instruction: { parts: [{ text: 'be brief' }] },
      generation_config: { max_output_tokens: 100, topP: 0.5, stop_sequences: ['x'] },
      safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
    };
    const res = await call(gen(), body);
    expect(res.status).toBe(200);
    expect(textOf((await res.json()) as GeminiResponseJSON)).toBe('Echo: hi');
  });

  it.each([
    [
      'an invalid role',
      { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] },
      'Please use a valid role: user, model.',
    ],
    ['no contents', { contents: [] }, '* GenerateContentRequest.contents: contents is not specified\n'],
    [
      'empty parts',
      { contents: [{ role: 'user', parts: [] }] },
      '* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.\n',
    ],
    [
      'a part without data',
      { contents: [{ parts: [{ thought: true }] }] },
      "* GenerateContentRequest.contents[0].parts[0].data: required oneof field 'data' must have one initialized field\n",
    ],
    [
      'a part with two data fields',
      { contents: [{ parts: [{ text: 'a', inlineData: { mimeType: 'image/png', data: 'AAAA' } }] }] },
      "Invalid JSON payload received. Oneof field 'data' is already set. Cannot set 'inlineData'",
    ],
    [
      'inline data that is not base64',
      { contents: [{ parts: [{ inlineData: { mimeType: 'image/png', data: 'not base64!' } }] }] },
      'Invalid value at \'contents[0].parts[0].inline_data.data\' (TYPE_BYTES), Base64 decoding failed for "not base64!"',
    ],
    [
      'stopSequences over 5',
      { ...hello(), generationConfig: { stopSequences: ['a', 'b', 'c', 'd', 'e', 'f'] } },
      '* GenerateContentRequest.generation_config.stop_sequences: the number of stop_sequences must not exceed 5.\n',
    ],
    [
      'both thinkingBudget and thinkingLevel',
      { ...hello(), generationConfig: { thinkingConfig: { thinkingBudget: 1024, thinkingLevel: 'HIGH' } } },
      'You can only set only one of thinking budget and thinking level.',
    ],
    [
      'an invalid function name',
      { ...hello(), tools: [{ functionDeclarations: [{ name: 'get weather' }] }] },
      /^\* GenerateContentRequest\.tools\[0\]\.function_declarations\[0\]\.name: Invalid function name\./,
    ],
    [
      'allowedFunctionNames with mode AUTO',
      { ...hello(), toolConfig: { functionCallingConfig: { mode: 'AUTO', allowedFunctionNames: ['f'] } } },
      /allowed_function_names may only be set when mode is ANY/,
    ],
    [
      'a maxOutputTokens beyond int32',
      { ...hello(), generationConfig: { maxOutputTokens: 2 ** 31 } },
      "Invalid value at 'generation_config.max_output_tokens' (TYPE_INT32), 2147483648",
    ],
    [
      'a seed below int32',
      { ...hello(), generationConfig: { seed: -(2 ** 31) - 1 } },
      "Invalid value at 'generation_config.seed' (TYPE_INT32), -2147483649",
    ],
    [
      'a thinkingBudget beyond int32, as a numeric string',
      { ...hello(), generationConfig: { thinkingConfig: { thinkingBudget: '2147483648' } } },
      "Invalid value at 'generation_config.thinking_config.thinking_budget' (TYPE_INT32), 2147483648",
    ],
    [
      'a temperature above 2',
      { ...hello(), generationConfig: { temperature: 2.5 } },
      '* GenerateContentRequest.generation_config.temperature: temperature must be in the range [0.0, 2.0].\n',
    ],
    [
      'an unknown enum name',
      { ...hello(), safetySettings: [{ category: 'HARM_CATEGORY_NOPE', threshold: 'BLOCK_NONE' }] },
      'Invalid value at \'safety_settings[0].category\' (type.googleapis.com/google.ai.generativelanguage.v1beta.HarmCategory), "HARM_CATEGORY_NOPE"',
    ],
  ])('refuses %s', async (_case, body, message) => {
    await expectError(await call(gen(), body), 400, message);
  });

  it('refuses a body that is not JSON', async () => {
    await expectError(
      await call(gen(), '{"contents": [oops]}'),
      400,
      /^Invalid JSON payload received\. Unexpected token\./,
    );
  });

  it('refuses a functionResponse whose response is not an object', async () => {
    const withResponse = (response: unknown) => ({
      contents: [
        { role: 'user', parts: [{ text: 'weather?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response } }] },
      ],
    });
    await expectError(
      await call(gen('gemini-2.5-flash-lite'), withResponse('sunny')),
      400,
      'Invalid value at \'contents[2].parts[0].function_response.response\' (type.googleapis.com/google.protobuf.Struct), "sunny"',
    );
    await expectError(
      await call(gen('gemini-2.5-flash-lite'), withResponse(['sunny'])),
      400,
      /function_response\.response' \(type\.googleapis\.com\/google\.protobuf\.Struct\)/,
    );
    expect((await call(gen('gemini-2.5-flash-lite'), withResponse({ result: 'sunny' }))).status).toBe(200);
  });

  it('refuses a function response that does not follow a call of that function', async () => {
    const contents = [
      { role: 'user', parts: [{ text: 'weather?' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { result: 'sunny' } } }] },
    ];
    await expectError(
      await call(gen(), { contents }),
      400,
      'Please ensure that function response turn comes immediately after a function call turn.',
    );
  });

  it('refuses JSON-Schema keywords in responseSchema and function parameters, but not in the *JsonSchema fields', async () => {
    const jsonSchema = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    const config = (schema: Record<string, unknown>) => ({
      ...hello(),
      generationConfig: { responseMimeType: 'application/json', ...schema },
    });
    await expectError(
      await call(gen(), config({ responseSchema: jsonSchema })),
      400,
      'Invalid JSON payload received. Unknown name "additionalProperties" at \'generation_config.response_schema\': Cannot find field.',
    );
    await expectError(
      await call(
        gen(),
        config({ responseSchema: { type: 'OBJECT', properties: { a: { type: ['string', 'null'] } } } }),
      ),
      400,
      'Invalid JSON payload received. Unknown name "type" at \'generation_config.response_schema.properties[0].value\': Proto field is not repeating, cannot start list.',
    );
    await expectError(
      await call(gen(), {
        ...hello(),
        tools: [{ functionDeclarations: [{ name: 'f', parameters: { $schema: 'x', type: 'object' } }] }],
      }),
      400,
      'Invalid JSON payload received. Unknown name "$schema" at \'tools[0].function_declarations[0].parameters\': Cannot find field.',
    );
    expect((await call(gen(), config({ responseJsonSchema: { ...jsonSchema, $defs: {}, oneOf: [] } }))).status).toBe(
      200,
    );
  });

  it('refuses what Gemma on the Gemini API does not take', async () => {
    const body = { ...hello(), systemInstruction: { parts: [{ text: 'be brief' }] } };
    await expectError(
      await call(gen('gemma-3-27b-it'), body),
      400,
      'Developer instruction is not enabled for models/gemma-3-27b-it',
    );
  });

  it('refuses thinking budgets outside the model range', async () => {
    const budget = (thinkingBudget: number) => ({
      ...hello(),
      generationConfig: { thinkingConfig: { thinkingBudget } },
    });
    await expectError(
      await call(gen('gemini-3.5-flash-lite'), budget(0)),
      400,
      'Budget 0 is invalid. This model only works in thinking mode.',
    );
    expect((await call(gen('gemini-2.5-flash-lite'), budget(0))).status).toBe(200);
    await expectError(
      await call(gen('gemini-2.5-flash-lite'), budget(100)),
      400,
      'The thinking budget 100 is invalid. Please choose a value between 512 and 24576.',
    );
    expect((await call(gen('gemini-3.8-flash'), budget(-1))).status).toBe(200);
  });

  it('refuses a thinking level the model does not take, a level on 2.5, and a level with a budget', async () => {
    const thinking = (thinkingConfig: Record<string, unknown>) => ({
      ...hello(),
      generationConfig: { thinkingConfig },
    });
    const refused = 'Thinking level MINIMAL is not supported for this model. Please retry with other thinking level.';
    for (const model of ['gemini-3.8-flash', 'gemini-3.7-flash', 'gemini-flash-latest', 'gemini-3.1-pro-preview']) {
      await expectError(await call(gen(model), thinking({ thinkingLevel: 'minimal' })), 400, refused);
    }
    for (const model of ['gemini-3.6-flash', 'gemini-3.5-flash-lite', 'gemini-flash-lite-latest']) {
      expect((await call(gen(model), thinking({ thinkingLevel: 'minimal' }))).status).toBe(200);
    }
    expect((await call(gen('gemini-3.8-flash'), thinking({ thinkingLevel: 'medium' }))).status).toBe(200);
    await expectError(
      await call(gen('gemini-2.5-flash-lite'), thinking({ thinkingLevel: 'low' })),
      400,
      'Thinking level is not supported for this model.',
    );
    await expectError(
      await call(gen('gemini-3.8-flash'), thinking({ thinkingLevel: 'low', thinkingBudget: 1024 })),
      400,
      'You can only set only one of thinking budget and thinking level.',
    );
  });

  it('accepts schema type names in any case', async () => {
    const res = await call(gen(), {
      ...hello(),
      generationConfig: {
        responseMimeType: 'application/json',
        responseSchema: { type: 'object', properties: { n: { type: 'integer' } } },
      },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(textOf((await res.json()) as GeminiResponseJSON))).toEqual({ n: 0 });
  });
});

describe('Gemini 3 thought signatures', () => {
  const model = 'gemini-3.1-pro-preview';
  const history = (signature?: string) => ({
    contents: [
      { role: 'user', parts: [{ text: 'weather in Paris?' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'get_weather', args: { city: 'Paris' } },
            ...(signature ? { thoughtSignature: signature } : {}),
          },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { result: 'sunny' } } }] },
    ],
  });

  it('refuses a function call without its signature', async () => {
    await expectError(
      await call(gen(model), history()),
      400,
      'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, ' +
        'and missing thought_signature may lead to degraded model performance. Additional data, function call ' +
        '`default_api:get_weather` , position 2. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.',
    );
    expect((await call(gen('gemini-2.5-flash-lite'), history())).status).toBe(200);
  });

  it('accepts the documented dummy and signatures it issued, and refuses invented ones', async () => {
    expect((await call(gen(model), history(DUMMY_SIGNATURE))).status).toBe(200);
    expect((await call(gen(model), history(fake.issueThoughtSignature()))).status).toBe(200);
    await expectError(await call(gen(model), history('aW52ZW50ZWQ=')), 400, 'Corrupted thought signature.');
  });

  it('signs the first function call it returns, and accepts that signature back', async () => {
    fake.script({ reply: functionCallReply([{ name: 'get_weather', args: { city: 'Paris' } }, { name: 'get_time' }]) });
    const reply = (await (await call(gen(model), hello())).json()) as GeminiResponseJSON;
    const [first, second] = reply.candidates?.[0]?.content?.parts ?? [];
    expect(first?.thoughtSignature).toEqual(expect.any(String));
    expect(second?.thoughtSignature).toBeUndefined();
    expect((await call(gen(model), history(first?.thoughtSignature))).status).toBe(200);
  });

  it('validates the current turn only', async () => {
    const old = history().contents;
    const contents = [
      ...old,
      { role: 'model', parts: [{ text: 'Sunny.' }] },
      { role: 'user', parts: [{ text: 'thanks' }] },
    ];
    expect((await call(gen(model), { contents })).status).toBe(200);
  });

  it('ends a text reply with a signed empty part', async () => {
    const events = sseEvents(await (await call(`${gen(model, 'streamGenerateContent')}?alt=sse`, hello('hi'))).text());
    const last = events[events.length - 1]?.candidates?.[0];
    expect(last?.content?.parts?.[0]).toEqual({ text: '', thoughtSignature: expect.any(String) });
    expect(last?.finishReason).toBe('STOP');
  });
});

describe('default replies and streams', () => {
  it('echoes the last user turn with usage, modelVersion and responseId', async () => {
    const reply = (await (await call(gen(), hello('what is up'))).json()) as GeminiResponseJSON;
    expect(textOf(reply)).toBe('Echo: what is up');
    expect(reply.candidates?.[0]).toMatchObject({ finishReason: 'STOP', index: 0 });
    expect(reply.usageMetadata).toMatchObject({ promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 });
    expect(reply.modelVersion).toBe('gemini-3.8-flash');
    expect(reply.responseId).toEqual(expect.any(String));
  });

  it('streams SSE as `data: {json}\\r\\n\\r\\n` with cumulative usage and one responseId', async () => {
    const res = await call(`${gen('gemini-3.8-flash', 'streamGenerateContent')}?alt=sse`, hello());
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = sseEvents(await res.text());
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.map((e) => textOf(e)).join('')).toBe('Echo: hello there world');
    expect(new Set(events.map((e) => e.responseId)).size).toBe(1);
    const usage = events.map((e) => e.usageMetadata?.candidatesTokenCount ?? 0);
    expect(usage).toEqual([...usage].sort((a, b) => a - b));
    expect(events.map((e) => e.candidates?.[0]?.finishReason)).toEqual([
      ...events.slice(1).map(() => undefined),
      'STOP',
    ]);
  });

  it('streams a JSON array progressively without alt=sse', async () => {
    const res = await call(gen('gemini-3.8-flash', 'streamGenerateContent'), hello());
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text.startsWith('[{')).toBe(true);
    expect(text).toContain('}\n,\r\n{');
    const chunks = JSON.parse(text) as GeminiResponseJSON[];
    expect(chunks.map((c) => textOf(c)).join('')).toBe('Echo: hello there world');
  });

  it('delivers stream chunks as they are written', async () => {
    fake.script({ chunks: textChunks('one two three'), delayMs: 150 });
    const res = await call(`${gen('gemini-3.8-flash', 'streamGenerateContent')}?alt=sse`, hello());
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const arrivals: number[] = [];
    const start = Date.now();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      arrivals.push(Date.now() - start);
    }
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    expect((arrivals[arrivals.length - 1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it('sends thoughts first when asked, and counts them', async () => {
    const body = { ...hello(), generationConfig: { thinkingConfig: { includeThoughts: true } } };
    const events = sseEvents(
      await (await call(`${gen('gemini-3.8-flash', 'streamGenerateContent')}?alt=sse`, body)).text(),
    );
    expect(events[0]?.candidates?.[0]?.content?.parts).toEqual([{ text: THOUGHT_TEXT, thought: true }]);
    expect(events[events.length - 1]?.usageMetadata?.thoughtsTokenCount).toBe(3);
  });

  it('answers candidateCount candidates and JSON in JSON mode', async () => {
    const reply = (await (
      await call(gen(), { ...hello('hi'), generationConfig: { candidateCount: 2 } })
    ).json()) as GeminiResponseJSON;
    expect([textOf(reply, 0), textOf(reply, 1)]).toEqual(['Echo: hi', 'Echo[1]: hi']);
    const json = (await (
      await call(gen(), { ...hello('hi'), generationConfig: { responseMimeType: 'application/json' } })
    ).json()) as GeminiResponseJSON;
    expect(JSON.parse(textOf(json))).toEqual({ echo: 'hi' });
  });

  it('gzips only when the client accepts it', async () => {
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = httpRequest(
        `${fake.origin}${gen()}`,
        { method: 'POST', headers: { 'x-goog-api-key': KEY } },
        (res) => {
          res.resume();
          resolve(res.headers);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(hello()));
    });
    expect(headers['content-encoding']).toBeUndefined();
    expect(
      (await call(gen(), hello(), { headers: { 'accept-encoding': 'gzip' } })).headers.get('content-encoding'),
    ).toBe('gzip');
  });
});

describe('Google Search grounding', () => {
  const search = (text: string) => ({ ...hello(text), tools: [{ googleSearch: {} }] });
  const utf8 = (s: string) => Buffer.from(s, 'utf8');

  it('cites two pages with segments in UTF-8 bytes over the answer text', async () => {
    const reply = (await (await call(gen(), search('Zürich 天气 😀 today'))).json()) as GeminiResponseJSON;
    const text = textOf(reply);
    expect(text).toBe('Echo: Zürich 天气 😀 today');
    const metadata = reply.candidates?.[0]?.groundingMetadata as GroundingMetadataJSON;
    expect(metadata.webSearchQueries).toEqual(['Zürich 天气 😀 today']);
    expect(metadata.groundingChunks.map((c) => c.web.title)).toEqual(['example.com', 'example.org']);
    expect(metadata.searchEntryPoint.renderedContent).toContain('<div');
    for (const support of metadata.groundingSupports) {
      const { startIndex = 0, endIndex, text: segment } = support.segment;
      expect(utf8(text).subarray(startIndex, endIndex).toString('utf8')).toBe(segment);
    }
    // Byte offsets, not character offsets: the whole echo ends at the text's byte length.
    expect(metadata.groundingSupports.at(-1)?.segment.endIndex).toBe(utf8(text).length);
    expect(utf8(text).length).toBeGreaterThan(text.length);
  });

  it('sends the metadata once, on the chunk that ends a stream', async () => {
    const events = sseEvents(
      await (await call(`${gen('gemini-3.8-flash', 'streamGenerateContent')}?alt=sse`, search('hi there'))).text(),
    );
    const withMetadata = events.filter((e) => e.candidates?.[0]?.groundingMetadata !== undefined);
    expect(withMetadata).toHaveLength(1);
    expect(withMetadata[0]).toBe(events.at(-1));
    expect(events.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('refuses search beside function declarations unless Gemini 3 is told to combine them', async () => {
    const fn = { functionDeclarations: [{ name: 'lookup' }] };
    const both = { ...hello(), tools: [{ googleSearch: {} }, fn] };
    await expectError(await call(gen(), both), 400, /include_server_side_tool_invocations/);
    const combined = { ...both, toolConfig: { includeServerSideToolInvocations: true } };
    const reply = (await (await call(gen(), combined)).json()) as GeminiResponseJSON;
    // The switch shows the search Gemini ran as parts before the text, which segments then count from.
    const parts = reply.candidates?.[0]?.content?.parts ?? [];
    expect(parts.map((p) => Object.keys(p).find((k) => k !== 'thoughtSignature'))).toEqual([
      'toolCall',
      'toolResponse',
      'text',
    ]);
    const metadata = reply.candidates?.[0]?.groundingMetadata as GroundingMetadataJSON;
    expect(metadata.groundingSupports.every((s) => s.segment.partIndex === 2)).toBe(true);
    await expectError(
      await call(gen('gemini-2.5-flash-lite'), combined),
      400,
      'Tool call context circulation is not enabled for models/gemini-2.5-flash-lite',
    );
  });
});

describe('image output', () => {
  const image = (config: Record<string, unknown> = {}) => ({ ...hello('a red fox'), generationConfig: config });
  const parts = (reply: GeminiResponseJSON) => reply.candidates?.[0]?.content?.parts ?? [];

  it('answers image models with text and a PNG inlineData part, by default or when asked for IMAGE', async () => {
    for (const config of [{}, { responseModalities: ['TEXT', 'IMAGE'] }]) {
      const reply = (await (await call(gen('gemini-3.1-flash-image'), image(config))).json()) as GeminiResponseJSON;
      expect(textOf(reply)).toBe('Echo: a red fox');
      expect(parts(reply).at(-1)?.inlineData).toEqual({ mimeType: 'image/png', data: expect.stringMatching(/^iVBOR/) });
    }
  });

  it('answers IMAGE alone with the image alone, and TEXT alone with text alone', async () => {
    const only = (await (
      await call(gen('gemini-3-pro-image'), image({ responseModalities: ['IMAGE'] }))
    ).json()) as GeminiResponseJSON;
    expect(parts(only).map((p) => Object.keys(p).filter((k) => k !== 'thoughtSignature'))).toEqual([['inlineData']]);
    const text = (await (
      await call(gen('gemini-3-pro-image'), image({ responseModalities: ['TEXT'] }))
    ).json()) as GeminiResponseJSON;
    expect(parts(text).some((p) => p.inlineData)).toBe(false);
  });

  it('streams the image in the chunk that ends the reply', async () => {
    const events = sseEvents(
      await (await call(`${gen('gemini-3.1-flash-image', 'streamGenerateContent')}?alt=sse`, image())).text(),
    );
    expect(events.at(-1)?.candidates?.[0]?.content?.parts?.[0]?.inlineData?.mimeType).toBe('image/png');
    expect(events.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('refuses an aspect ratio or size Gemini does not offer', async () => {
    await expectError(
      await call(gen('gemini-3.1-flash-image'), image({ imageConfig: { aspectRatio: '7:3' } })),
      400,
      /aspect_ratio: Unsupported aspect ratio: 7:3/,
    );
    await expectError(
      await call(gen('gemini-3.1-flash-image'), image({ imageConfig: { imageSize: '2k' } })),
      400,
      /image_size: Unsupported image size: 2k/,
    );
  });

  it('refuses IMAGE on a text-only model', async () => {
    await expectError(
      await call(gen(), image({ responseModalities: ['TEXT', 'IMAGE'] })),
      400,
      'Model does not support the requested response modalities: image',
    );
  });
});

describe('models', () => {
  it('pages through the whole catalogue with nextPageToken', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await call(`/v1beta/models${token ? `?pageToken=${token}` : ''}`);
      const page = (await res.json()) as { models: Array<{ name: string }>; nextPageToken?: string };
      expect(page.models.length).toBeLessThanOrEqual(DEFAULT_PAGE_SIZE);
      names.push(...page.models.map((m) => m.name));
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThan(1);
    expect(names).toEqual(MODELS.map((m) => `models/${m.id}`));
    const all = (await (await call('/v1/models?pageSize=1000')).json()) as {
      models: unknown[];
      nextPageToken?: string;
    };
    expect(all.models).toHaveLength(MODELS.length);
    expect(all.nextPageToken).toBeUndefined();
  });

  it('caps pageSize at the maxPageSize it was started with', async () => {
    const small = await startFakeGemini({ maxPageSize: 3 });
    try {
      const res = await fetch(`${small.origin}/v1beta/models?pageSize=1000`, { headers: { 'x-goog-api-key': KEY } });
      const page = (await res.json()) as { models: unknown[]; nextPageToken?: string };
      expect(page.models).toHaveLength(3);
      expect(page.nextPageToken).toEqual(expect.any(String));
    } finally {
      await small.close();
    }
  });

  it('refuses a page token it did not issue', async () => {
    await expectError(await call('/v1beta/models?pageToken=garbage'), 400, 'Invalid page token.');
  });

  it('gets one model, and 404s unknown ones', async () => {
    const model = (await (await call('/v1beta/models/gemini-3.8-flash')).json()) as Record<string, unknown>;
    expect(model).toMatchObject({ name: 'models/gemini-3.8-flash', inputTokenLimit: 1048576, thinking: true });
    const message =
      'models/gemini-9 is not found for API version v1beta, or is not supported for generateContent. ' +
      'Call ListModels to see the list of available models and their supported methods.';
    await expectError(await call('/v1beta/models/gemini-9'), 404, message);
    await expectError(await call(gen('gemini-9'), hello()), 404, message);
    await expectError(
      await call(gen('gemini-3.8-flash', 'embedContent'), { content: { parts: [{ text: 'x' }] } }),
      404,
      /not supported for embedContent/,
    );
  });

  it.each([
    'gemini-2.5-flash',
    'gemini-2.5-pro',
    'gemini-2.0-flash',
    'gemini-2.0-flash-lite-001',
    'gemini-3-pro-preview',
    'text-embedding-004',
  ])("answers the retired %s with Google's retirement 404, and leaves it out of the list", async (retired) => {
    const message =
      `This model models/${retired} is no longer available to new users. ` +
      'Please update your code to use a newer model for the latest features and improvements.';
    await expectError(await call(gen(retired), hello()), 404, message);
    await expectError(await call(`/v1beta/models/${retired}`), 404, message);
    const list = (await (await call('/v1beta/models?pageSize=1000')).json()) as { models: { name: string }[] };
    expect(list.models.map((m) => m.name)).not.toContain(`models/${retired}`);
  });
});

describe('embeddings and token counts', () => {
  const embed = (text: string, extra: Record<string, unknown> = {}) => ({ content: { parts: [{ text }] }, ...extra });
  type Embedding = { embedding: { values: number[] } };

  it('embeds deterministically with the model default or the requested size', async () => {
    const a = (await (await call(gen('gemini-embedding-001', 'embedContent'), embed('cat'))).json()) as Embedding;
    const again = (await (await call(gen('gemini-embedding-001', 'embedContent'), embed('cat'))).json()) as Embedding;
    const other = (await (await call(gen('gemini-embedding-001', 'embedContent'), embed('dog'))).json()) as Embedding;
    expect(a.embedding.values).toHaveLength(3072);
    expect(again.embedding.values).toEqual(a.embedding.values);
    expect(other.embedding.values).not.toEqual(a.embedding.values);
    const small = (await (
      await call(gen('gemini-embedding-001', 'embedContent'), embed('cat', { outputDimensionality: 256 }))
    ).json()) as Embedding;
    expect(small.embedding.values).toHaveLength(256);
  });

  it('batch-embeds, requiring each request to name the URL model and at most 100 requests', async () => {
    const path = gen('gemini-embedding-001', 'batchEmbedContents');
    const item = (text: string, model = 'models/gemini-embedding-001') => ({ model, ...embed(text) });
    const ok = (await (await call(path, { requests: [item('a'), item('b')] })).json()) as { embeddings: unknown[] };
    expect(ok.embeddings).toHaveLength(2);
    await expectError(
      await call(path, { requests: Array.from({ length: 101 }, (_, i) => item(`t${i}`)) }),
      400,
      '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n',
    );
    await expectError(
      await call(path, { requests: [item('a', 'models/gemini-3.8-flash')] }),
      400,
      /BatchEmbedContentsRequest\.requests\[0\]\.model/,
    );
    await expectError(
      await call(path, { requests: [embed('a')] }),
      400,
      '* BatchEmbedContentsRequest.requests[0].model: model is not specified\n',
    );
  });

  it('counts tokens of contents or of a generateContentRequest that names its model', async () => {
    const counted = (await (await call(gen('gemini-3.8-flash', 'countTokens'), hello('one two three'))).json()) as {
      totalTokens: number;
    };
    expect(counted.totalTokens).toBe(3);
    await expectError(
      await call(gen('gemini-3.8-flash', 'countTokens'), { generateContentRequest: hello() }),
      400,
      '* CountTokensRequest.generate_content_request.model: unexpected model name format\n',
    );
    const nested = await call(gen('gemini-3.8-flash', 'countTokens'), {
      generateContentRequest: { model: 'models/gemini-3.8-flash', ...hello('a b') },
    });
    expect(((await nested.json()) as { totalTokens: number }).totalTokens).toBe(2);
  });
});

describe('scripted steps', () => {
  it('consumes steps first in, first out, then falls back to the default reply', async () => {
    fake.script({ reply: textReply('first') }, { reply: textReply('second') });
    expect(fake.remainingSteps).toBe(2);
    const texts = [];
    for (let i = 0; i < 3; i++)
      texts.push(textOf((await (await call(gen(), hello('x'))).json()) as GeminiResponseJSON));
    expect(texts).toEqual(['first', 'second', 'Echo: x']);
  });

  it('does not consume a step on an invalid request', async () => {
    fake.script({ reply: textReply('kept') });
    expect((await call(gen(), { contents: [] })).status).toBe(400);
    expect(fake.remainingSteps).toBe(1);
  });

  it('merges chunks for a non-stream call', async () => {
    fake.script({ chunks: textChunks('a b c') });
    const reply = (await (await call(gen(), hello())).json()) as GeminiResponseJSON;
    expect(textOf(reply)).toBe('a b c');
    expect(reply.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('sends any status and body, or raw bytes', async () => {
    fake.script(
      {
        status: 429,
        body: { error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } },
        headers: { 'x-extra': '1' },
      },
      { raw: '<html>502 Bad Gateway</html>', status: 502, contentType: 'text/html' },
      { keyError: 'down' },
    );
    const scripted = await call(gen(), hello());
    expect(scripted.headers.get('x-extra')).toBe('1');
    await expectError(scripted, 429, 'slow down');
    const raw = await call(gen(), hello());
    expect([raw.status, raw.headers.get('content-type'), await raw.text()]).toEqual([
      502,
      'text/html',
      '<html>502 Bad Gateway</html>',
    ]);
    await expectError(await call(gen(), hello()), 503, 'The model is overloaded. Please try again later.');
  });

  it('computes a step from the recorded request', async () => {
    fake.script((req) => ({ reply: textReply(`saw ${req.key}`) }));
    expect(textOf((await (await call(gen(), hello())).json()) as GeminiResponseJSON)).toBe(`saw ${KEY}`);
  });

  it('drops the connection before headers', async () => {
    fake.script({ fault: 'drop-before-headers' });
    await expect(call(gen(), hello())).rejects.toThrow();
  });

  it('drops a stream after some chunks', async () => {
    fake.script({ fault: 'drop-mid-stream', afterChunks: 1 });
    const res = await call(`${gen('gemini-3.8-flash', 'streamGenerateContent')}?alt=sse`, hello());
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^data: /);
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return;
      })(),
    ).rejects.toThrow();
  });

  it('cuts a non-stream answer halfway, and does not count its own drops as client aborts', async () => {
    fake.script({ fault: 'drop-mid-stream' });
    const res = await call(gen(), hello());
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(fake.requests[0]?.aborted).toBe(false);
  });

  it('records a client abort during a slow stream', async () => {
    fake.script({ chunks: textChunks('a b c d e'), delayMs: 1000 });
    const controller = new AbortController();
    const res = await call(`${gen('gemini-3.8-flash', 'streamGenerateContent')}?alt=sse`, hello(), {
      signal: controller.signal,
    });
    await (res.body as ReadableStream<Uint8Array>).getReader().read();
    controller.abort();
    const aborted = await fake.waitForAbort();
    expect(aborted.path).toBe(gen('gemini-3.8-flash', 'streamGenerateContent'));
  });

  it('close() ends stalled requests', async () => {
    const other = await startFakeGemini();
    const pending = fetch(`${other.origin}${gen()}`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'stall-1' },
      body: JSON.stringify(hello()),
    });
    await other.waitFor((requests) => requests.length === 1);
    await other.close();
    await expect(pending).rejects.toThrow();
  });
});
