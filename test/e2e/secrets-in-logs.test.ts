import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/fingerprint';
import type { RecordedRequest } from '../fake-gemini';
import { DAY_WINDOW_MS, keysInSlotOrder } from './support/keys-in-slot-order';
import { readSse } from './support/read-sse';
import { type Stack, startStack } from './support/stack';

/**
 * Traffic with recognisable keys at LOG_LEVEL=debug — successes, every failover path, errors, streams that
 * break, `?key=` in URLs, both surfaces, /verify, a server pool behind an access token — and then: no full
 * key or token in any log line, response body or response header; every log line one JSON object with a
 * timestamp, a level and the request id that the response's `x-request-id` carries.
 */

/** A Google-looking key: `AIzaSy` + 33 characters, 39 in all, with a readable tag. */
const googleKey = (tag: string) =>
  `AIzaSy${tag}${'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ'.slice(0, 33 - tag.length)}`;

const GOOD = googleKey('TESTKEYgood1');
const GOOD_2 = googleKey('TESTKEYgood2');
/** The fake fails keys by prefix; the rest of each is a full Google-looking key. */
const FAILING = ['bad', 'leaked', 'quota', 'quotaday', 'down', 'err500', 'drop', 'stall'].map(
  (prefix) => `${prefix}-${googleKey(`TESTKEY${prefix}`)}`,
);
const SERVER_KEYS = [googleKey('SERVERKEYone'), googleKey('SERVERKEYtwo')];
const TOKEN = 'tok_SuperSecretAccessToken_9f8e7d6c5b4a';
/** A token JSON has to escape: a log line holds it escaped, where a search for the token itself misses it. */
const QUOTED_TOKEN = 'tok"Quoted\\Token_5e4d3c2b1a';
/** A client key no header can carry: refused, so never in any log line (not even escaped in an error detail). */
const NEWLINE_KEY = `${googleKey('TESTKEYnl')}\nInjected: 1`;

const SECRETS = [
  GOOD,
  GOOD_2,
  ...FAILING,
  ...FAILING.map((key) => key.slice(key.indexOf('AIza'))),
  ...SERVER_KEYS,
  TOKEN,
  QUOTED_TOKEN,
  NEWLINE_KEY,
];
/** A secret as it is, JSON-escaped once (a string value) and twice (a JSON text logged as a string value). */
const jsonEscape = (text: string) => JSON.stringify(text).slice(1, -1);
const formsOf = (secret: string) => [secret, jsonEscape(secret), jsonEscape(jsonEscape(secret))];

interface Seen {
  what: string;
  status: number;
  requestId: string | null;
  headers: [string, string][];
  body: string;
}

let stack: Stack;
const seen: Seen[] = [];

/** One call, with everything the client got back kept for the checks below. */
async function call(what: string, path: string, init: RequestInit = {}): Promise<Seen> {
  const response = await fetch(`${stack.url}${path}`, init);
  const body = await response.text();
  const entry = {
    what,
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    headers: [...response.headers],
    body,
  };
  seen.push(entry);
  return entry;
}

const chatBody = (stream = false, content = 'secret test') =>
  JSON.stringify({ model: 'gpt-4o', stream, messages: [{ role: 'user', content }] });
const nativeBody = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'secret test' }] }] });
const bearer = (keys: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${keys}` });
const googHeader = (keys: string) => ({ 'content-type': 'application/json', 'x-goog-api-key': keys });
const anthropicHeader = (keys: string) => ({
  'content-type': 'application/json',
  'x-api-key': keys,
  'anthropic-version': '2023-06-01',
});
const anthropicBody = (stream = false) =>
  JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 100,
    stream,
    messages: [{ role: 'user', content: 'secret test' }],
  });
const anthropicMessages = (what: string, headers: Record<string, string>, stream = false) =>
  call(what, '/v1/messages?beta=true', { method: 'POST', headers, body: anthropicBody(stream) });
const openaiChat = (what: string, keys: string, stream = false, search = '') =>
  call(what, `/v1/chat/completions${search}`, { method: 'POST', headers: bearer(keys), body: chatBody(stream) });
const nativeGenerate = (what: string, headers: Record<string, string>, stream = false, search = '') =>
  call(what, `/v1beta/models/gemini-3.8-flash:${stream ? 'streamGenerateContent' : 'generateContent'}${search}`, {
    method: 'POST',
    headers,
    body: nativeBody,
  });

/** An upstream error that quotes the key it was called with, in its message and in a URL. */
const echoingError = (request: RecordedRequest) => ({
  status: 400,
  body: {
    error: {
      code: 400,
      message: `API key ${request.key} is not valid for https://generativelanguage.googleapis.com/v1beta/models?key=${request.key}&alt=sse`,
      status: 'INVALID_ARGUMENT',
    },
  },
});

beforeAll(async () => {
  stack = await startStack({
    LOG_LEVEL: 'debug',
    KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS),
    UPSTREAM_TIMEOUT_MS: '300',
    STREAM_IDLE_TIMEOUT_MS: '500',
    HEARTBEAT_MS: '2000',
    GEMINI_API_KEYS: SERVER_KEYS.join(','),
    ACCESS_TOKENS: `${TOKEN},${QUOTED_TOKEN}`,
  });
  const everyFailure = keysInSlotOrder([...FAILING, GOOD]);

  // OpenAI surface.
  await openaiChat('openai success', GOOD);
  await openaiChat('openai stream success', GOOD, true);
  await openaiChat('openai failover through every fault', everyFailure);
  await openaiChat('openai stream failover through every fault', everyFailure, true);
  await openaiChat('openai every key fails', FAILING.slice(0, 2).join(','));
  await openaiChat('openai key in the query', '', false, `?key=${GOOD}`);
  stack.fake.script(echoingError);
  await openaiChat('openai upstream error quoting the key', GOOD);
  stack.fake.script({ fault: 'drop-mid-stream', afterChunks: 2 });
  await openaiChat('openai stream broken mid-way', GOOD, true);
  await call('openai invalid request', '/v1/chat/completions', {
    method: 'POST',
    headers: bearer(GOOD),
    body: '{"model": "gpt-4o"}',
  });
  await call('openai embeddings', '/v1/embeddings', {
    method: 'POST',
    headers: bearer(`${FAILING[0]},${GOOD}`),
    body: JSON.stringify({ model: 'text-embedding-3-small', input: ['a', 'b'] }),
  });
  await call('openai models', '/v1/models', { headers: bearer(GOOD) });
  await call('openai unknown model', '/v1/models/gemini-9-ultra', { headers: bearer(GOOD) });

  // Anthropic surface: Claude Code sends its key in x-api-key (ANTHROPIC_API_KEY) or as a Bearer token.
  await anthropicMessages('anthropic success', anthropicHeader(GOOD));
  await anthropicMessages('anthropic stream failover through every fault', anthropicHeader(everyFailure), true);
  await anthropicMessages('anthropic every key fails', anthropicHeader(FAILING.slice(0, 2).join(',')));
  stack.fake.script(echoingError);
  await anthropicMessages('anthropic upstream error quoting the key', anthropicHeader(GOOD));
  stack.fake.script({ fault: 'drop-mid-stream', afterChunks: 2 });
  await anthropicMessages('anthropic stream broken mid-way', anthropicHeader(GOOD), true);
  await call('anthropic count_tokens', '/v1/messages/count_tokens', {
    method: 'POST',
    headers: anthropicHeader(GOOD),
    body: JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'secret test' }] }),
  });
  await call('anthropic models', '/v1/models', { headers: anthropicHeader(GOOD) });
  await anthropicMessages(
    'token: anthropic stream',
    { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', authorization: `Bearer ${TOKEN}` },
    true,
  );

  // Native surface.
  await nativeGenerate('native success with ?key=', { 'content-type': 'application/json' }, false, `?key=${GOOD}`);
  await nativeGenerate('native stream', googHeader(GOOD), true, '?alt=sse');
  await nativeGenerate('native failover through every fault', googHeader(everyFailure));
  await nativeGenerate('native stream failover through every fault', googHeader(everyFailure), true, '?alt=sse');
  await nativeGenerate('native every key fails', googHeader(FAILING.slice(2, 5).join(',')));
  stack.fake.script(echoingError);
  await nativeGenerate('native upstream error quoting the key', googHeader(GOOD));
  stack.fake.script({ fault: 'drop-mid-stream', afterChunks: 2 });
  await nativeGenerate('native stream broken mid-way', googHeader(GOOD), true, '?alt=sse');
  await call('native invalid JSON', `/v1beta/models/gemini-3.8-flash:generateContent?key=${GOOD}`, {
    method: 'POST',
    body: '{nope',
  });
  await call('native model list with a Bearer key', '/v1beta/models', {
    headers: { authorization: `Bearer ${GOOD_2}` },
  });

  // Key checker.
  const verifyKeys = [GOOD, ...FAILING.slice(0, 3)].join(',');
  await call('verify', '/verify', { method: 'POST', headers: bearer(verifyKeys) });
  await call('verify as a stream', '/verify', {
    method: 'POST',
    headers: { ...bearer(verifyKeys), accept: 'text/event-stream' },
  });

  // The server's pool behind an access token.
  await openaiChat('token: openai chat', TOKEN);
  await openaiChat('token: openai stream', TOKEN, true);
  await nativeGenerate('token: native with ?key=', { 'content-type': 'application/json' }, false, `?key=${TOKEN}`);
  await call('token: verify', '/verify', { method: 'POST', headers: bearer(TOKEN) });
  await call('status page with a token', '/', { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/html' } });
  await call('status JSON with a key in the query', `/?key=${GOOD}`);
  await call('unknown route with a key in the query', `/nowhere?key=${GOOD}`);

  // Credentials a client can send to break or forge its request's log lines, and one JSON must escape.
  await call('hostile credential: a lone quote', '/v1/models', { headers: { authorization: 'Bearer "' } });
  await call('hostile credential: a forged field', '/x', { headers: { authorization: 'Bearer "path":"/x"' } });
  await call(
    'hostile credential: a key with a newline',
    `/v1beta/models/gemini-flash-latest:generateContent?key=${encodeURIComponent(NEWLINE_KEY)}`,
    {
      method: 'POST',
      body: nativeBody,
    },
  );
  await call(
    'token with a quote, quoted in the prompt',
    `/v1beta/models/gemini-flash-latest:generateContent?key=${encodeURIComponent(QUOTED_TOKEN)}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        systemInstruction: { parts: [{ text: `The password is ${QUOTED_TOKEN}.` }] },
        contents: [{ role: 'user', parts: [{ text: 'secret test' }] }],
      }),
    },
  );
}, 60_000);
afterAll(() => stack.close());

const parsedLogs = () => stack.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('secrets never leave the gateway', () => {
  it('the traffic really used the keys and the token, and failed over where it should', () => {
    const used = new Set(stack.fake.requests.map((r) => r.key));
    for (const key of [GOOD, GOOD_2, ...FAILING, ...SERVER_KEYS]) expect(used, key).toContain(key);
    const byWhat = new Map(seen.map((entry) => [entry.what, entry]));
    expect(byWhat.get('openai failover through every fault')?.status).toBe(200);
    expect(byWhat.get('native stream failover through every fault')?.status).toBe(200);
    expect(byWhat.get('token: openai chat')?.status).toBe(200);
    expect(byWhat.get('anthropic stream failover through every fault')?.status).toBe(200);
    expect(byWhat.get('token: anthropic stream')?.status).toBe(200);
    // Gemini's message is about the key: Anthropic's clients get 401 for that.
    expect(byWhat.get('anthropic upstream error quoting the key')?.status).toBe(401);
    expect(byWhat.get('openai upstream error quoting the key')?.status).toBe(400);
    // Keys are logged, but only as fingerprints.
    expect(stack.logs.some((line) => line.includes(fingerprint(GOOD)))).toBe(true);
  });

  it('no log line holds a full key or the access token', () => {
    expect(stack.logs.length).toBeGreaterThan(seen.length);
    for (const line of stack.logs) {
      for (const secret of SECRETS)
        for (const form of formsOf(secret))
          expect(line.includes(form), `log line leaks ${secret}: ${line}`).toBe(false);
    }
  });

  it('a token JSON must escape still unlocks the pool, and its request is logged with the server key’s fingerprint', () => {
    const entry = seen.find((e) => e.what === 'token with a quote, quoted in the prompt');
    expect(entry?.status).toBe(200);
    const line = parsedLogs().find((record) => record.requestId === entry?.requestId && record.event === 'request');
    expect(line).toMatchObject({ keySource: 'server', key: expect.stringMatching(/^k-/) });
  });

  it('credentials that are not keys are refused before any upstream call, and cannot rewrite their lines', () => {
    const records = parsedLogs();
    const requestLine = (what: string) => {
      const entry = seen.find((e) => e.what === what);
      return {
        status: entry?.status,
        line: records.find((record) => record.requestId === entry?.requestId && record.event === 'request'),
      };
    };
    expect(requestLine('hostile credential: a lone quote')).toMatchObject({
      status: 401,
      line: { path: '/v1/models', status: 401, event: 'request' },
    });
    expect(requestLine('hostile credential: a forged field')).toMatchObject({
      status: 404,
      line: { path: '/x', status: 404 },
    });
    expect(requestLine('hostile credential: a key with a newline')).toMatchObject({
      status: 401,
      line: { path: '/v1beta/models/gemini-flash-latest:generateContent' },
    });
    expect(stack.fake.requests.map((r) => r.key)).not.toContain(NEWLINE_KEY);
  });

  it('no response body or header holds a full key or the access token', () => {
    for (const entry of seen) {
      for (const secret of SECRETS) {
        for (const form of formsOf(secret))
          expect(entry.body.includes(form), `${entry.what}: body leaks ${secret}`).toBe(false);
        for (const [name, value] of entry.headers)
          expect(value.includes(secret), `${entry.what}: header ${name} leaks ${secret}`).toBe(false);
      }
    }
  });

  it('an upstream error quoting the key keeps its message, with the key and key= scrubbed', () => {
    for (const what of [
      'openai upstream error quoting the key',
      'native upstream error quoting the key',
      'anthropic upstream error quoting the key',
    ]) {
      const body = seen.find((entry) => entry.what === what)?.body ?? '';
      expect(body).toContain('is not valid for https://generativelanguage.googleapis.com/v1beta/models?key=');
      expect(body).not.toMatch(/AIza[0-9A-Za-z_-]{35}/);
    }
  });
});

describe('log lines and request ids', () => {
  it('every log line is one JSON object with a timestamp, a level and a request id', () => {
    for (const line of stack.logs) {
      expect(line).not.toContain('\n');
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(typeof record).toBe('object');
      expect(new Date(record.time as string).toISOString()).toBe(record.time);
      expect(['error', 'warn', 'info', 'debug']).toContain(record.level);
      expect(record.requestId).toEqual(expect.any(String));
      expect(record.event).toEqual(expect.any(String));
    }
  });

  it('every response carries a unique x-request-id, and that request’s log lines carry it too', () => {
    const ids = seen.map((entry) => entry.requestId);
    for (const id of ids) expect(id).toEqual(expect.stringMatching(/\S/));
    expect(new Set(ids).size).toBe(ids.length);
    const records = parsedLogs();
    for (const entry of seen) {
      const own = records.filter((record) => record.requestId === entry.requestId);
      expect(
        own.find((record) => record.event === 'request'),
        entry.what,
      ).toMatchObject({ status: entry.status });
    }
    // No line belongs to a request nobody answered.
    const known = new Set(ids);
    for (const record of records) expect(known.has(record.requestId as string), JSON.stringify(record)).toBe(true);
  });

  it('failover attempts and a broken stream are logged under their request’s id', () => {
    const records = parsedLogs();
    const failover = seen.find((entry) => entry.what === 'openai failover through every fault');
    const attempts = records.filter(
      (record) => record.requestId === failover?.requestId && record.event === 'upstream attempt failed',
    );
    expect(attempts).toHaveLength(FAILING.length);
    const broken = seen.find((entry) => entry.what === 'openai stream broken mid-way');
    expect(
      records.some(
        (record) =>
          record.requestId === broken?.requestId &&
          record.level === 'warn' &&
          record.event !== 'upstream attempt failed',
      ),
    ).toBe(true);
  });

  it('the broken streams really ended with an error event', async () => {
    const openai = seen.find((entry) => entry.what === 'openai stream broken mid-way')?.body ?? '';
    const native = seen.find((entry) => entry.what === 'native stream broken mid-way')?.body ?? '';
    const lastData = async (text: string) =>
      (await readSse(new Response(text))).events.filter((e) => e.data !== undefined).at(-1)?.data ?? '';
    expect(await lastData(openai)).toMatch(/^\{"error":/);
    expect(await lastData(native)).toMatch(/^\{"error":/);
  });
});
