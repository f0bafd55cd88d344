import { describe, expect, it } from 'vitest';
import { gatewayWithStub, geminiError, invalidKey, jsonReply, quota } from '../support/stub-upstream';

const GENERATE = 'https://gw.test/v1beta/models/gemini-3.8-flash:generateContent';
const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
const reply = { candidates: [{ content: { role: 'model', parts: [{ text: 'hello' }] }, finishReason: 'STOP' }] };

function post(url: string, headers: Record<string, string>, payload = body) {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });
}

describe('native passthrough', () => {
  it('forwards path, query (minus key), body and status; key only in x-goog-api-key', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [jsonReply(reply)] });
    const response = await handler(
      post(`${GENERATE}?key=secret-1&alt=sse&foo=bar`, { authorization: 'Bearer ignored-2', cookie: 'a=b' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(reply);
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.url).toBe('https://upstream.test/v1beta/models/gemini-3.8-flash:generateContent?alt=sse&foo=bar');
    expect(call.method).toBe('POST');
    expect(call.body).toBe(body);
    expect(['ignored-2', 'secret-1']).toContain(call.headers.get('x-goog-api-key'));
    expect(call.headers.get('authorization')).toBeNull();
    expect(call.headers.get('cookie')).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('x-request-id')).toBe('id-1');
  });

  it('forwards the headers that Google SDKs send, as sent, and no other', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [jsonReply(reply)] });
    await handler(
      post(GENERATE, {
        'x-goog-api-key': 'k1',
        'X-Goog-Api-Client': 'google-genai-sdk/1.0 gl-node/20',
        accept: 'application/json',
        'x-server-timeout': '60',
        'user-agent': 'sdk',
        'x-forwarded-for': '10.0.0.1',
      }),
    );
    const sent = Object.fromEntries(calls[0]!.headers);
    expect(sent).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      'x-goog-api-client': 'google-genai-sdk/1.0 gl-node/20',
      'x-server-timeout': '60',
      'x-goog-api-key': 'k1',
    });
  });

  it('answers 401 in Gemini shape without calling upstream when there is no key', async () => {
    const { handler, calls } = gatewayWithStub();
    const response = await handler(post(GENERATE, {}));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    expect(calls).toHaveLength(0);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('fails over a bad key, a 429 and a 503 to the next key, each key once', async () => {
    const { handler, calls } = gatewayWithStub({
      replies: [invalidKey(), quota(), geminiError(503, 'UNAVAILABLE', 'overloaded'), jsonReply(reply)],
    });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'a1,b2,c3,d4' }));
    expect(response.status).toBe(200);
    const used = calls.map((call) => call.headers.get('x-goog-api-key'));
    expect(new Set(used).size).toBe(4);
    expect(used.sort()).toEqual(['a1', 'b2', 'c3', 'd4']);
  });

  it('fails over a network error', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [new TypeError('fetch failed'), jsonReply(reply)] });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'a1,b2' }));
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it('returns a client error at once, untouched, without trying other keys', async () => {
    const error = geminiError(
      400,
      'INVALID_ARGUMENT',
      'Invalid JSON payload received. Unknown name "foo": Cannot find field.',
    );
    const expected = await error.clone().text();
    const { handler, calls } = gatewayWithStub({ replies: [error] });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'a1,b2,c3' }));
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(expected);
    expect(calls).toHaveLength(1);
  });

  it('answers the last upstream error with its real status when every key fails', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [invalidKey(), quota('5s')] });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'a1,b2' }));
    expect(calls).toHaveLength(2);
    expect(response.status).toBe(429);
    expect(await response.json()).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED' } });
  });

  it('answers 502 in Gemini shape when no key reaches the upstream', async () => {
    const { handler } = gatewayWithStub({ replies: [new TypeError('fetch failed'), new TypeError('fetch failed')] });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'a1,b2' }));
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: 502, status: 'INTERNAL' } });
  });

  it('tries a rate-limited key last on the next request', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [quota('30s'), jsonReply(reply), jsonReply(reply)] });
    await handler(post(GENERATE, { 'x-goog-api-key': 'a1,b2' }));
    const limited = calls[0]!.headers.get('x-goog-api-key');
    await handler(post(GENERATE, { 'x-goog-api-key': 'a1,b2' }));
    expect(calls[2]!.headers.get('x-goog-api-key')).not.toBe(limited);
  });

  it('serves the stable v1 method paths natively and GET models with its query', async () => {
    const { handler, calls } = gatewayWithStub({ replies: [jsonReply(reply), jsonReply({ models: [] })] });
    await handler(post('https://gw.test/v1/models/gemini-3.8-flash:generateContent', { 'x-goog-api-key': 'k' }));
    await handler(
      new Request('https://gw.test/v1beta/models?pageSize=5&pageToken=abc', { headers: { 'x-goog-api-key': 'k' } }),
    );
    expect(calls.map((call) => call.url)).toEqual([
      'https://upstream.test/v1/models/gemini-3.8-flash:generateContent',
      'https://upstream.test/v1beta/models?pageSize=5&pageToken=abc',
    ]);
    expect(calls[1]!.method).toBe('GET');
  });

  it('drops hop-by-hop and encoding headers from the answer and keeps the rest', async () => {
    const upstream = new Response(JSON.stringify(reply), {
      headers: {
        'content-type': 'application/json',
        connection: 'keep-alive',
        'content-encoding': 'gzip',
        'x-goog-thing': '1',
        vary: 'Origin',
      },
    });
    const { handler } = gatewayWithStub({ replies: [upstream] });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'k' }));
    expect(response.headers.get('connection')).toBeNull();
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('x-goog-thing')).toBe('1');
  });

  it.each([
    ['an empty body', ''],
    ['an HTML page', '<html><body>Service temporarily unavailable</body></html>'],
    ['JSON without candidates or prompt feedback', '{"usageMetadata":{"promptTokenCount":3}}'],
    ['truncated JSON', '{"candidates":[{"content":'],
  ])('treats a 200 with %s as an upstream fault and fails over', async (_name, bad) => {
    const { handler, calls } = gatewayWithStub({ replies: [new Response(bad, { status: 200 }), jsonReply(reply)] });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'a1,b2' }));
    expect(calls).toHaveLength(2);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(reply);
  });

  it('answers 502 when every key gets an empty 200', async () => {
    const { handler } = gatewayWithStub({ replies: [new Response('', { status: 200 })] });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'a1' }));
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: 502 } });
  });

  it('keeps a blocked prompt (promptFeedback, no candidates) as the real answer', async () => {
    const blocked = { promptFeedback: { blockReason: 'SAFETY' } };
    const { handler, calls } = gatewayWithStub({ replies: [jsonReply(blocked)] });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'a1,b2' }));
    expect(calls).toHaveLength(1);
    expect(await response.json()).toEqual(blocked);
  });

  it('scrubs keys that an upstream error message echoes', async () => {
    const echo = geminiError(
      400,
      'INVALID_ARGUMENT',
      'Bad request for https://x/v1beta/models/m:generateContent?key=AIzaSyEchoedKey00000000000000000000000&alt=sse',
    );
    const { handler } = gatewayWithStub({ replies: [echo] });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'AIzaSyEchoedKey00000000000000000000000' }));
    const text = await response.text();
    expect(text).not.toContain('AIzaSyEchoedKey');
    expect(text).toContain('key=REDACTED');
  });

  it('refuses traversal with 400 before any upstream call', async () => {
    const { handler, calls } = gatewayWithStub();
    for (const path of ['/v1beta/models/..%2f..%2fx', '/v1beta//evil.example/x', '/v1beta/models/%2e%2e%2fsecret']) {
      const response = await handler(new Request(`https://gw.test${path}`, { headers: { 'x-goog-api-key': 'k' } }));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
    }
    expect(calls).toHaveLength(0);
  });

  it('refuses a body over MAX_BODY_BYTES with 413', async () => {
    const { handler, calls } = gatewayWithStub({ env: { MAX_BODY_BYTES: '1000' } });
    const response = await handler(post(GENERATE, { 'x-goog-api-key': 'k' }, 'x'.repeat(2000)));
    expect(response.status).toBe(413);
    expect(calls).toHaveLength(0);
  });

  it('never logs a full key', async () => {
    const { handler, logs } = gatewayWithStub({
      env: { LOG_LEVEL: 'debug' },
      replies: [invalidKey(), jsonReply(reply)],
    });
    await handler(
      post(`${GENERATE}?key=AIzaSyKEYONE0000000000000000000000000`, {
        'x-goog-api-key': 'AIzaSyKEYTWO0000000000000000000000000',
      }),
    );
    expect(logs.length).toBeGreaterThan(2);
    for (const line of logs) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toContain('KEYONE');
      expect(line).not.toContain('KEYTWO');
    }
  });
});

describe('gateway basics', () => {
  it('answers a CORS preflight on any route, allowing the SDK headers', async () => {
    const { handler } = gatewayWithStub();
    const response = await handler(
      new Request('https://gw.test/v1/chat/completions', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, x-stainless-os, x-goog-api-key',
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = response.headers.get('access-control-allow-headers')!.split(', ');
    expect(allowed).toEqual(
      expect.arrayContaining(['authorization', 'x-stainless-os', 'x-goog-api-key', 'content-type']),
    );
  });

  it('answers GET / without a key', async () => {
    const { handler, calls } = gatewayWithStub();
    const response = await handler(new Request('https://gw.test/'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'gemini-balance-lite', status: 'ok' });
    expect(calls).toHaveLength(0);
  });

  it('answers every request with a config error naming the variable when configuration is invalid', async () => {
    const { handler } = gatewayWithStub({ env: { KEY_ROTATION_WINDOW_MS: 'ten' } });
    const response = await handler(
      new Request('https://gw.test/v1/models', { headers: { authorization: 'Bearer k' } }),
    );
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'KEY_ROTATION_WINDOW_MS',
    );
  });
});
