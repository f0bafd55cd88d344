import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakePngBase64 } from '../fake-gemini/images';
import { DAY_WINDOW_MS, keysInSlotOrder } from './support/keys-in-slot-order';
import { type Stack, startStack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS) }, { chunkDelayMs: 0 });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const genai = (apiKey: string, apiVersion?: string) =>
  new GoogleGenAI({ apiKey, httpOptions: { baseUrl: stack.url, ...(apiVersion ? { apiVersion } : {}) } });

describe('native surface with the official @google/genai client', () => {
  it('generateContent goes through with the key only in x-goog-api-key', async () => {
    const result = await genai('good-key-1').models.generateContent({
      model: 'gemini-3.8-flash',
      contents: 'hello there',
    });
    expect(result.text).toBe('Echo: hello there');
    const [request] = stack.fake.requests;
    expect(request?.path).toBe('/v1beta/models/gemini-3.8-flash:generateContent');
    expect(request?.keyIn).toBe('header');
    expect(request?.key).toBe('good-key-1');
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('leaves a malformed JSON object to Google: its 400 reaches the client as it is, once, without failover', async () => {
    const response = await fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'good-key-1,good-key-2', 'content-type': 'application/json' },
      body: '{"contents": [oops]}',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: number; status: string; message: string } };
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toMatch(/^Invalid JSON payload received\. Unexpected token\./);
    expect(stack.fake.requests).toHaveLength(1);
  });

  it('refuses a body that cannot be a JSON object without calling Google', async () => {
    for (const body of ['[{"contents": []}]', 'contents=hi', '  {  ']) {
      const response = await fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:generateContent`, {
        method: 'POST',
        headers: { 'x-goog-api-key': 'good-key-1', 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
        'Invalid JSON payload received. The request body must be a JSON object.',
      );
    }
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('generateContentStream yields the chunks', async () => {
    const stream = await genai('good-key-1').models.generateContentStream({
      model: 'gemini-3.8-flash',
      contents: 'one two three four',
    });
    const texts: string[] = [];
    for await (const chunk of stream) texts.push(chunk.text ?? '');
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe('Echo: one two three four');
    expect(stack.fake.requests[0]?.query.get('alt')).toBe('sse');
  });

  it('streams an image-only answer, whose one event is far larger than the stream-start check reads', async () => {
    const stream = await genai('good-key-1,good-key-2').models.generateContentStream({
      model: 'gemini-3.1-flash-image',
      contents: 'a red fox',
      config: { responseModalities: ['IMAGE'] },
    });
    const images: string[] = [];
    for await (const chunk of stream)
      for (const part of chunk.candidates?.[0]?.content?.parts ?? [])
        if (part.inlineData?.data) images.push(part.inlineData.data);
    expect(images).toEqual([fakePngBase64()]);
    expect(fakePngBase64().length).toBeGreaterThan(100_000);
    expect(stack.fake.requests).toHaveLength(1);
  });

  it('countTokens, embedContent and batch embeddings work', async () => {
    const ai = genai('good-key-1');
    const count = await ai.models.countTokens({ model: 'gemini-3.8-flash', contents: 'count these words please' });
    expect(count.totalTokens).toBeGreaterThan(0);
    const one = await ai.models.embedContent({
      model: 'gemini-embedding-001',
      contents: 'a',
      config: { outputDimensionality: 8 },
    });
    expect(one.embeddings?.[0]?.values).toHaveLength(8);
    const many = await ai.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['a', 'b', 'c'],
      config: { outputDimensionality: 4 },
    });
    expect(many.embeddings).toHaveLength(3);
  });

  it('lists every model over several pages, and gets one', async () => {
    const ai = genai('good-key-1');
    const names: string[] = [];
    for await (const model of await ai.models.list()) names.push(model.name ?? '');
    expect(names.length).toBeGreaterThan(10);
    expect(names).toContain('models/gemini-3.8-flash');
    expect(stack.fake.requests.filter((r) => r.path === '/v1beta/models').length).toBeGreaterThan(1);
    const model = await ai.models.get({ model: 'gemini-3.1-pro-preview' });
    expect(model.name).toBe('models/gemini-3.1-pro-preview');
  });

  it('works on the stable v1 API version too', async () => {
    const result = await genai('good-key-1', 'v1').models.generateContent({
      model: 'gemini-3.8-flash',
      contents: 'stable',
    });
    expect(result.text).toBe('Echo: stable');
    expect(stack.fake.requests[0]?.path).toBe('/v1/models/gemini-3.8-flash:generateContent');
  });

  it('fails over bad, leaked, rate-limited and overloaded keys to a good one', async () => {
    const keys = ['bad-1', 'leaked-2', 'quota-3', 'down-4', 'good-5'];
    const result = await genai(keysInSlotOrder(keys)).models.generateContent({
      model: 'gemini-3.8-flash',
      contents: 'x',
    });
    expect(result.text).toBe('Echo: x');
    expect(stack.fake.requests.map((r) => r.key)).toEqual(keys);
  });

  it('returns the real status and body of the last failure when every key fails', async () => {
    const response = await fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'bad-1,quota-2' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] }),
    });
    expect([400, 429]).toContain(response.status);
    const body = (await response.json()) as { error: { status: string } };
    expect(['INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED']).toContain(body.error.status);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('does not fail over a client mistake', async () => {
    const response = await fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k1,k2,k3' },
      body: JSON.stringify({ contents: [{ role: 'system', parts: [{ text: 'x' }] }] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('valid role');
    expect(stack.fake.requests).toHaveLength(1);
  });

  it('accepts keys in Bearer and ?key= too, and never sends them in the URL', async () => {
    for (const init of [{ headers: { authorization: 'Bearer kb' } }, { query: '?key=kq' }] as const) {
      const query = 'query' in init ? init.query : '';
      const headers = 'headers' in init ? init.headers : {};
      const response = await fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:generateContent${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ contents: [{ parts: [{ text: 'k' }] }] }),
      });
      expect(response.status).toBe(200);
    }
    expect(stack.fake.requests.map((r) => [r.key, r.keyIn, r.query.has('key')])).toEqual([
      ['kb', 'header', false],
      ['kq', 'header', false],
    ]);
  });

  it('answers 401 with no key and sends nothing upstream', async () => {
    const response = await fetch(`${stack.url}/v1beta/models`);
    expect(response.status).toBe(401);
    expect(stack.fake.requests).toHaveLength(0);
  });
});

describe('native streaming through the real server', () => {
  it('delivers SSE chunks progressively, as the upstream sends them', async () => {
    const chunks = Array.from({ length: 5 }, (_, i) => ({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: `part${i} ` }] },
          ...(i === 4 ? { finishReason: 'STOP' } : {}),
          index: 0,
        },
      ],
    }));
    stack.fake.script({ chunks, delayMs: 200 });
    const started = Date.now();
    const response = await fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'stream' }] }] }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const arrivals: number[] = [];
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      arrivals.push(Date.now() - started);
      text += decoder.decode(chunk, { stream: true });
    }
    expect(text.split('data: ').length - 1).toBe(5);
    expect(text).toContain('part0 ');
    // Progressive: the first event arrives long before the last was sent upstream (~800 ms later).
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(500);
  });

  it('streams a JSON-array stream (no alt=sse) through unchanged', async () => {
    const response = await fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:streamGenerateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'array stream' }] }] }),
    });
    const parsed = JSON.parse(await response.text()) as { candidates: { content: { parts: { text: string }[] } }[] }[];
    expect(parsed.map((c) => c.candidates[0]!.content.parts[0]!.text).join('')).toBe('Echo: array stream');
  });

  it('aborts the upstream request when the client disconnects mid-stream', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => ({
      candidates: [{ content: { role: 'model', parts: [{ text: `${i} ` }] }, index: 0 }],
    }));
    stack.fake.script({ chunks, delayMs: 100 });
    const controller = new AbortController();
    const response = await fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'long' }] }] }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await expect.poll(() => stack.fake.requests[0]?.aborted, { timeout: 5_000 }).toBe(true);
  });

  it('aborts the upstream request when the client leaves before the answer starts', async () => {
    stack.fake.script({ fault: 'stall' });
    const controller = new AbortController();
    const pending = fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'wait' }] }] }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await expect.poll(() => stack.fake.requests.length).toBe(1);
    controller.abort();
    await pending;
    await expect.poll(() => stack.fake.requests[0]?.aborted, { timeout: 5_000 }).toBe(true);
  });
});

describe('path safety through the real server', () => {
  it.each([
    '/v1beta/models/..%2f..%2fadmin',
    '/v1beta/%2e%2e/%2e%2e/etc/passwd',
    '/v1beta//evil.example/v1beta/models',
    '/v1beta/models/%252e%252e/x',
    '/v1beta/models/x%5c..%5cy',
  ])('%s never reaches anything but the upstream API', async (path) => {
    const response = await fetch(`${stack.url}${path}`, { headers: { 'x-goog-api-key': 'k' } });
    for (const request of stack.fake.requests) expect(request.path.startsWith('/v1beta/')).toBe(true);
    expect([400, 404]).toContain(response.status);
  });
});
