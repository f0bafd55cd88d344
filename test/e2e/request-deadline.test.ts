import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY_WINDOW_MS, keysInSlotOrder } from './support/keys-in-slot-order';
import { type Stack, startStack } from './support/stack';

/**
 * One deadline per request, through the real server (issue 12, item 4): an upstream that sends 200 headers
 * and then stalls (`hang-` keys of the fake) no longer holds a request past REQUEST_DEADLINE_MS, and a
 * request that makes several upstream calls gets one deadline for all of them, not one per call. On expiry:
 * a 504 in the caller's format, and the upstream connections closed.
 */
const UPSTREAM_TIMEOUT_MS = 600;
const REQUEST_DEADLINE_MS = 1_500;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(
    {
      KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS),
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
      REQUEST_DEADLINE_MS: String(REQUEST_DEADLINE_MS),
    },
    // Small pages, so that listing the models takes several upstream calls.
    { maxPageSize: 10 },
  );
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const openai = (path: string, keys: string, body?: unknown) =>
  fetch(`${stack.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const native = (path: string, keys: string, body?: unknown) =>
  fetch(`${stack.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': keys },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Every upstream call the request made was closed by the gateway, none left hanging. */
async function expectAllReleased(): Promise<void> {
  expect(stack.fake.requests.length).toBeGreaterThan(0);
  await expect.poll(() => stack.fake.requests.every((r) => r.aborted), { timeout: 5_000 }).toBe(true);
}

const OPENAI_TIMEOUT = {
  error: { type: 'server_error', code: 'upstream_timeout', message: expect.any(String), param: null },
};
const GEMINI_TIMEOUT = { error: { code: 504, status: 'DEADLINE_EXCEEDED', message: expect.any(String) } };
const stalling = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `hang-${prefix}-${i}`).join(',');

describe('an upstream that stalls after its 200 headers', () => {
  it.each([
    ['GET /v1/models', '/v1/models'],
    ['GET /v1/models/{id}', '/v1/models/gemini-flash-latest'],
  ])('%s: 504 in OpenAI’s shape once the deadline passes, before every key was tried', async (_name, path) => {
    const keys = stalling(5, 'models');
    const response = await openai(path, keys);
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual(OPENAI_TIMEOUT);
    // Five keys at 600 ms each would take 3 s: the 1.5 s deadline stops failover first.
    expect(stack.fake.requests.length).toBeLessThan(5);
    await expectAllReleased();
  });

  it('POST /v1/embeddings: 504 in OpenAI’s shape', async () => {
    const response = await openai('/v1/embeddings', stalling(5, 'embed'), {
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
    });
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual(OPENAI_TIMEOUT);
    expect(stack.fake.requests.length).toBeLessThan(5);
    await expectAllReleased();
  });

  it.each([
    [
      'generateContent',
      '/v1beta/models/gemini-flash-latest:generateContent',
      { contents: [{ parts: [{ text: 'hi' }] }] },
    ],
    ['countTokens', '/v1beta/models/gemini-flash-latest:countTokens', { contents: [{ parts: [{ text: 'hi' }] }] }],
    ['embedContent', '/v1beta/models/gemini-embedding-001:embedContent', { content: { parts: [{ text: 'hi' }] } }],
    ['GET models', '/v1beta/models', undefined],
  ])('native %s: 504 in Gemini’s shape', async (_name, path, body) => {
    const response = await native(path, stalling(5, 'native'), body);
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual(GEMINI_TIMEOUT);
    expect(stack.fake.requests.length).toBeLessThan(5);
    await expectAllReleased();
  });

  it('one stalling key among good ones: the next key answers (the body read is part of the attempt)', async () => {
    const response = await openai('/v1/models/gemini-flash-latest', keysInSlotOrder(['hang-first', 'good-second']));
    expect(response.status).toBe(200);
    expect(stack.fake.requests[0]).toMatchObject({ key: 'hang-first', aborted: true });
  });
});

describe('requests that make several upstream calls share one deadline', () => {
  // Each call loses 600 ms on the stalling first key, then the second key answers: every call alone fits in
  // the 1.5 s deadline, their sum does not.
  const slowThenGood = () => keysInSlotOrder(['hang-slow', 'good']);

  it('embedding batches (300 inputs: 3 calls)', async () => {
    const input = Array.from({ length: 300 }, (_, i) => `text ${i}`);
    const response = await openai('/v1/embeddings', slowThenGood(), { model: 'text-embedding-3-small', input });
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual(OPENAI_TIMEOUT);
    const batches = stack.fake.requests.filter((r) => r.key === 'good');
    expect(batches.length).toBeLessThan(3);
  });

  it('model list paging (pages of 10)', async () => {
    const response = await openai('/v1/models', slowThenGood());
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual(OPENAI_TIMEOUT);
  });

  it('POST /verify with six hung keys answers by the deadline, the unchecked ones as not answering in time', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `hang-verify-key-${i}-0123456789`);
    const response = await fetch(`${stack.url}/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.join(',')}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { verdict: string; message: string }[] };
    expect(body.results).toHaveLength(6);
    for (const result of body.results)
      expect(result).toMatchObject({ verdict: 'unreachable', message: 'No answer in time.' });
    // Five checks at a time: the sixth key is never sent once the deadline has passed.
    expect(stack.fake.requests).toHaveLength(5);
    await expectAllReleased();
  });
});

describe('a client that leaves while the upstream stalls after its headers', () => {
  let patient: Stack;
  beforeAll(async () => {
    // Timeouts far beyond the test: only the client's leaving can close the upstream connection.
    patient = await startStack({ UPSTREAM_TIMEOUT_MS: '60000', REQUEST_DEADLINE_MS: '60000' });
  });
  afterAll(() => patient.close());

  it.each([
    [
      '/v1/embeddings',
      { authorization: 'Bearer hang-leave-1' },
      JSON.stringify({ model: 'text-embedding-3-small', input: 'a' }),
    ],
    [
      '/v1beta/models/gemini-flash-latest:countTokens',
      { 'x-goog-api-key': 'hang-leave-2' },
      JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
    ],
  ])('%s: the upstream connection is closed', async (path, headers, body) => {
    patient.fake.reset();
    const client = new AbortController();
    const pending = fetch(`${patient.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: client.signal,
    });
    pending.catch(() => {});
    await patient.fake.waitFor((requests) => requests.length === 1);
    // Let the 200 headers reach the gateway before the client leaves.
    await new Promise((resolve) => setTimeout(resolve, 200));
    client.abort();
    expect((await patient.fake.waitForAbort(undefined, 5_000)).path).toContain(
      path.startsWith('/v1/') ? 'batchEmbedContents' : 'countTokens',
    );
  });
});
