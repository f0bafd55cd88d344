import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fake-gemini';
import { DAY_WINDOW_MS, keysInSlotOrder } from './support/keys-in-slot-order';
import { type Stack, startStack } from './support/stack';

/**
 * Responses traffic with recognisable keys at LOG_LEVEL=debug (the converted Gemini body is logged there) —
 * success, streams, failover through every fault, an upstream error quoting the key, a stream that breaks,
 * the server pool behind an access token, retrieval — and then: no full key or token in any log line,
 * response body or header.
 */
const googleKey = (tag: string) =>
  `AIzaSy${tag}${'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ'.slice(0, 33 - tag.length)}`;
const GOOD = googleKey('RESPKEYgood1');
const FAILING = ['bad', 'leaked', 'quota', 'down', 'err500', 'drop', 'stall'].map(
  (prefix) => `${prefix}-${googleKey(`RESPKEY${prefix}`)}`,
);
const SERVER_KEYS = [googleKey('RESPSERVERone'), googleKey('RESPSERVERtwo')];
const TOKEN = 'tok_ResponsesAccessToken_1a2b3c4d5e6f';
const SECRETS = [GOOD, ...FAILING, ...FAILING.map((key) => key.slice(key.indexOf('AIza'))), ...SERVER_KEYS, TOKEN];
const escapeJson = (text: string) => JSON.stringify(text).slice(1, -1);
const formsOf = (secret: string) => [secret, escapeJson(secret), escapeJson(escapeJson(secret))];

interface Seen {
  what: string;
  status: number;
  headers: [string, string][];
  body: string;
}

let stack: Stack;
const seen: Seen[] = [];

async function call(what: string, path: string, init: RequestInit = {}): Promise<Seen> {
  const response = await fetch(`${stack.url}${path}`, init);
  const entry = { what, status: response.status, headers: [...response.headers], body: await response.text() };
  seen.push(entry);
  return entry;
}
const responses = (what: string, keys: string, stream = false) =>
  call(what, '/v1/responses', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys}` },
    body: JSON.stringify({
      model: 'gemini-flash-latest',
      stream,
      input: 'secret test',
      include: ['reasoning.encrypted_content'],
      reasoning: { summary: 'auto' },
    }),
  });
const echoingError = (request: RecordedRequest) => ({
  status: 400,
  body: {
    error: {
      code: 400,
      message: `API key ${request.key} is not valid for https://generativelanguage.googleapis.com/v1beta/models?key=${request.key}`,
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
    ACCESS_TOKENS: TOKEN,
  });
  const everyFailure = keysInSlotOrder([...FAILING, GOOD]);
  await responses('success', GOOD);
  await responses('stream success', GOOD, true);
  await responses('failover through every fault', everyFailure);
  await responses('stream failover through every fault', everyFailure, true);
  await responses('every key fails', FAILING.slice(0, 3).join(','), true);
  stack.fake.script(echoingError);
  await responses('upstream error quoting the key', GOOD);
  stack.fake.script(echoingError);
  await responses('stream upstream error quoting the key', GOOD, true);
  stack.fake.script({ fault: 'drop-mid-stream', afterChunks: 1 });
  await responses('stream broken mid-way', GOOD, true);
  await responses('token: server pool', TOKEN, true);
  await call('retrieval with a key in the query', `/v1/responses/resp_1?key=${GOOD}`);
  await call('invalid request', '/v1/responses', {
    method: 'POST',
    headers: { authorization: `Bearer ${GOOD}` },
    body: '{"model": "x", "input": [{"type": "nope"}]}',
  });
}, 60_000);
afterAll(() => stack.close());

describe('Responses traffic keeps secrets in', () => {
  it('really used the keys, failed over, and answered', () => {
    const used = new Set(stack.fake.requests.map((r) => r.key));
    for (const key of [GOOD, ...FAILING]) expect(used, key).toContain(key);
    expect(SERVER_KEYS.some((key) => used.has(key))).toBe(true);
    const status = (what: string) => seen.find((entry) => entry.what === what)?.status;
    expect(status('failover through every fault')).toBe(200);
    expect(status('upstream error quoting the key')).toBe(400);
    expect(status('retrieval with a key in the query')).toBe(404);
    expect(seen.find((entry) => entry.what === 'stream upstream error quoting the key')?.body).toContain(
      'is not valid',
    );
  });

  it('no log line holds a full key or the token', () => {
    expect(stack.logs.some((line) => line.includes('openai responses converted'))).toBe(true);
    for (const line of stack.logs)
      for (const secret of SECRETS)
        for (const form of formsOf(secret))
          expect(line.includes(form), `log line leaks ${secret}: ${line}`).toBe(false);
  });

  it('no response body or header holds a full key or the token', () => {
    for (const entry of seen) {
      for (const secret of SECRETS) {
        for (const form of formsOf(secret))
          expect(entry.body.includes(form), `${entry.what}: body leaks ${secret}`).toBe(false);
        for (const [name, value] of entry.headers)
          expect(value.includes(secret), `${entry.what}: header ${name} leaks ${secret}`).toBe(false);
      }
    }
  });
});
