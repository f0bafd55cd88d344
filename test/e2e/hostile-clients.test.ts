import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/local/start';
import { textChunks } from '../fake-gemini';
import { type Stack, startStack } from './support/stack';

/**
 * What a caller with nothing but the URL can send that is not a well-formed request (issue 12): credentials
 * that no header can carry, tokens in the bytes curl sends, Host headers that are not hosts, media URLs in
 * special-purpose IPv6 blocks, and clients that leave mid-stream. Each is a clean 4xx (or a normal answer)
 * through the real server, with nothing sent upstream that should not be, and no false alarm in the log.
 */

const SERVER_KEYS = ['AIzaSyServerKeyOne000000000000000000001', 'AIzaSyServerKeyTwo000000000000000000002'];
const TOKEN = 'family-password-2026';
const GENERATE = '/v1beta/models/gemini-flash-latest:generateContent';
const nativeBody = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hostile test' }] }] });

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ LOG_LEVEL: 'info', GEMINI_API_KEYS: SERVER_KEYS.join(','), ACCESS_TOKENS: TOKEN });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

/** A request as curl sends it: header values are the UTF-8 bytes of what was typed, whatever they are. */
function rawRequest(
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(path, stack.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: body === undefined ? 'GET' : 'POST',
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    // Node writes a string header as Latin-1: each char below U+0100 becomes one byte, as curl's bytes would.
    for (const [name, value] of Object.entries(headers))
      req.setHeader(name, Buffer.from(value, 'utf8').toString('latin1'));
    req.end(body);
  });
}

/** One HTTP/1.1 exchange over a bare socket, for request lines and Host headers no HTTP client would send. */
function rawExchange(text: string): Promise<{ status: number; body: string }> {
  const url = new URL(stack.url);
  return new Promise((resolve, reject) => {
    // Written, not ended: the server closes the connection after its answer (`Connection: close`).
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = received.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      // Bodies come chunked: keep the JSON between the chunk sizes.
      const body = rest
        .join('\r\n\r\n')
        .replace(/^[0-9a-f]+\r\n/gim, '')
        .replace(/\r\n/g, '');
      resolve({ status, body });
    });
  });
}

describe('credentials that cannot be keys are refused before any upstream call', () => {
  it.each([
    ['a newline', 'AIzaSyAbc%0AInjected-Header: 1'],
    ['a NUL', 'AIzaSyAbc%00def'],
    ['characters past Latin-1', '%E7%BB%99%E5%AE%B6%E4%BA%BA'],
    ['a Latin-1 character', 'AIzaSy%C3%A9t%C3%A9'],
    ['a quote', '%22'],
  ])('?key= with %s is a 401 naming the problem, on both surfaces', async (_what, key) => {
    const native = await fetch(`${stack.url}${GENERATE}?key=${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: nativeBody,
    });
    expect(native.status).toBe(401);
    expect(await native.json()).toMatchObject({
      error: {
        status: 'UNAUTHENTICATED',
        message: expect.stringMatching(/neither an access token nor a Gemini API key/),
      },
    });
    const openai = await fetch(`${stack.url}/v1/models?key=${key}`);
    expect(openai.status).toBe(401);
    expect(await openai.json()).toMatchObject({ error: { code: 'invalid_api_key', type: 'authentication_error' } });
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('names which credential of several is at fault, without quoting it', async () => {
    const response = await fetch(`${stack.url}/v1/models`, {
      headers: { authorization: 'Bearer AIzaSyGoodLookingKey, bad key!' },
    });
    expect(response.status).toBe(401);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toMatch(/^Credential 2 of 2 .* a space/);
    expect(error.message).not.toContain('bad key');
    expect(stack.fake.requests).toHaveLength(0);
  });
});

describe('access tokens as curl sends them', () => {
  it('a token outside printable ASCII (the README’s old example) keeps the server from starting, naming ACCESS_TOKENS', async () => {
    const started = startGateway({
      env: {
        GEMINI_BASE_URL: stack.fake.origin,
        GEMINI_API_KEYS: SERVER_KEYS.join(','),
        ACCESS_TOKENS: 'ok-token,给家人的密码',
      },
    });
    await expect(started).rejects.toThrow(/^Invalid configuration — ACCESS_TOKENS: entry 2 of 2 .*printable ASCII/);
    await expect(started).rejects.not.toThrow('给家人的密码');
  });

  it('the mojibake of a non-ASCII credential is refused, never sent to Google as a key', async () => {
    const response = await rawRequest(
      GENERATE,
      { 'x-goog-api-key': '给家人的密码', 'content-type': 'application/json' },
      nativeBody,
    );
    expect(response.status).toBe(401);
    expect(response.body).toContain('non-ASCII');
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('an ASCII token sent the same way unlocks the server pool', async () => {
    const response = await rawRequest(
      GENERATE,
      { 'x-goog-api-key': TOKEN, 'content-type': 'application/json' },
      nativeBody,
    );
    expect(response.status).toBe(200);
    expect(SERVER_KEYS).toContain(stack.fake.requests[0]?.key);
  });
});

describe('the local server builds the URL from the path, not from whatever Host says', () => {
  const get = (host: string, target = '/v1beta/models') =>
    rawExchange(
      `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nx-goog-api-key: AIzaSyClientKey\r\nConnection: close\r\n\r\n`,
    );

  it('an empty Host still reaches the native model list (not the OpenAI one)', async () => {
    const response = await get('');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toHaveProperty('models');
  });

  it('Host: a/verify# does not reroute a generate call to /verify', async () => {
    const response = await rawExchange(
      `POST ${GENERATE} HTTP/1.1\r\nHost: a/verify#\r\nx-goog-api-key: AIzaSyClientKey\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(nativeBody)}\r\nConnection: close\r\n\r\n${nativeBody}`,
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toHaveProperty('candidates');
    expect(stack.fake.requests.map((r) => r.path)).toEqual([GENERATE]);
  });

  it.each(['a@b', 'a:b:c', 'a b', 'x:99999'])('Host: %s is not a 500', async (host) => {
    const response = await get(host);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toHaveProperty('models');
  });

  it('whatever Host says, the path is the one the client sent (generated Host values)', async () => {
    const hostChar = fc.oneof(
      fc.constantFrom('/', '#', '?', '@', ':', '[', ']', '\\', '%', '.', ' ', '"'),
      fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' }),
    );
    const host = fc.array(hostChar, { maxLength: 16 }).map((chars) => chars.join('').trim());
    await fc.assert(
      fc.asyncProperty(host, fc.constantFrom('/v1beta/models', '/verify'), async (value, path) => {
        const response = await get(value, path);
        // GET /verify is the key checker's 405; /v1beta/models is Google's list. Never the other route, never a 500.
        if (path === '/verify') expect(response.status, value).toBe(405);
        else expect(JSON.parse(response.body), value).toHaveProperty('models');
      }),
      { numRuns: 60 },
    );
  });

  it('a plain Host is kept: the status page shows the origin the client used', async () => {
    const response = await rawExchange(
      `GET / HTTP/1.1\r\nHost: gateway.example:8080\r\naccept: application/json\r\nConnection: close\r\n\r\n`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toContain('http://gateway.example:8080');
  });

  it('an absolute-form target is served by its path; a target that is no path is a 400', async () => {
    expect((await get('', 'http://elsewhere.example/v1beta/models')).status).toBe(200);
    expect((await rawExchange('OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')).status).toBe(400);
  });
});

describe('media URLs in special-purpose IPv6 blocks', () => {
  it.each(['[::ffff:0:7f00:1]', '[64:ff9b:1::7f00:1]', '[2001::1]', '[3fff::1]'])(
    'https://%s/… is refused as not public, without a fetch',
    async (host) => {
      const response = await fetch(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer AIzaSyClientKey' },
        body: JSON.stringify({
          model: 'gpt-4o',
          messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `https://${host}/a.png` } }] }],
        }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { param: 'messages[0].content[0].image_url.url', message: expect.stringContaining('not public') },
      });
      expect(stack.fake.requests).toHaveLength(0);
    },
  );
});

describe('clients that leave an OpenAI stream', () => {
  it('are not logged as upstream failures', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      stack.fake.script({ chunks: textChunks('one two three four'), delayMs: 60_000 });
      const controller = new AbortController();
      const response = await fetch(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer AIzaSyClientKey' },
        body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'leave early' }] }),
        signal: controller.signal,
      });
      ids.push(response.headers.get('x-request-id') ?? '');
      const reader = response.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('chat.completion.chunk');
      controller.abort();
      await stack.fake.waitForAbort((request) => request === stack.fake.requests[i], 10_000);
    }
    // A request after the aborts: once it is answered, whatever the aborts caused has been logged.
    expect(
      (await fetch(`${stack.url}/v1/models`, { headers: { authorization: 'Bearer AIzaSyClientKey' } })).status,
    ).toBe(200);
    const lines = stack.logs.map((line) => JSON.parse(line) as { requestId: string; level: string; event: string });
    const own = lines.filter((line) => ids.includes(line.requestId));
    expect(own.filter((line) => line.event === 'request')).toHaveLength(3);
    expect(own.filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
  });
});
