import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config';
import { GatewayError } from '../../../src/errors';
import { constantTimeEqual, resolveKeys } from '../../../src/keys/resolve-keys';
import { gatewayWithStub, jsonReply } from '../support/stub-upstream';

const SERVER = {
  GEMINI_API_KEYS: 'AIzaSERVERKEY-one-000000000000000000, AIzaSERVERKEY-two-000000000000000000',
  ACCESS_TOKENS: 'family-pass,team-pass',
};

describe('resolveKeys', () => {
  it.each([
    ['client keys, no server pool', {}, ['c1', 'c2'], { keys: ['c1', 'c2'], source: 'client' }],
    [
      'a token unlocks the server pool',
      SERVER,
      ['team-pass'],
      { keys: ['AIzaSERVERKEY-one-000000000000000000', 'AIzaSERVERKEY-two-000000000000000000'], source: 'server' },
    ],
    [
      'a token among other entries still unlocks it',
      SERVER,
      ['x', 'family-pass'],
      { keys: ['AIzaSERVERKEY-one-000000000000000000', 'AIzaSERVERKEY-two-000000000000000000'], source: 'server' },
    ],
    ['own keys beside a server pool', SERVER, ['AIzaClientOwnKey'], { keys: ['AIzaClientOwnKey'], source: 'client' }],
    [
      'a wrong token that looks like a key is used as a client key',
      SERVER,
      ['AIzaSyWrongTokenLooksLikeAKey000000000'],
      { keys: ['AIzaSyWrongTokenLooksLikeAKey000000000'], source: 'client' },
    ],
    [
      'a token without a server pool is just a key',
      { ACCESS_TOKENS: 'team-pass' },
      ['team-pass'],
      { keys: ['team-pass'], source: 'client' },
    ],
    ['nothing', SERVER, [], { keys: [], source: 'none' }],
  ])('%s', (_name, env, credentials, expected) => {
    expect(resolveKeys(credentials, loadConfig(env))).toEqual(expected);
  });

  it.each([['AIzaSyWrongTokenLooksLikeAKey000000000'], ['team-pas'], ['team-pass2'], ['']])(
    'refuses %j when client keys are not allowed',
    (credential) => {
      const config = loadConfig({ ...SERVER, ALLOW_CLIENT_KEYS: 'false' });
      expect(() => resolveKeys([credential], config)).toThrow(GatewayError);
    },
  );

  it.each([
    ['a newline', 'AIzaSyAbc\ndef', /a control character/],
    ['a NUL', 'AIza\u0000', /a control character/],
    ['a character past Latin-1', '给家人的密码', /a non-ASCII character/],
    ['the Latin-1 mojibake of UTF-8', 'ç»\u0099å®¶', /a non-ASCII character/],
    ['a space', 'two words', /a space/],
    ['a quote', '"', /the character """/],
    ['padding before the end', 'ab=c', /"=" before its end/],
  ])('refuses a client key with %s: 401 naming the problem, never the key', (_name, credential, problem) => {
    let error: unknown;
    try {
      resolveKeys(['AIzaSyFineKey_-.~+/==', credential], loadConfig(SERVER));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', message: expect.stringMatching(problem) });
    expect((error as Error).message).toMatch(/^Credential 2 of 2 is neither an access token nor a Gemini API key/);
    if (credential.length > 1) expect((error as Error).message).not.toContain(credential);
  });

  it('accepts every b64token as a client key (Gemini keys, relays’ sk- keys, base64)', () => {
    const keys = ['AIzaSyA-b_c0123456789', 'sk-relay.key~1', 'YWJj+/de==', 'k1'];
    expect(resolveKeys(keys, loadConfig({}))).toEqual({ keys, source: 'client' });
  });

  it('still serves a token when client keys are not allowed', () => {
    expect(resolveKeys(['team-pass'], loadConfig({ ...SERVER, ALLOW_CLIENT_KEYS: 'false' })).source).toBe('server');
  });

  it('accepts the original project’s variable names', () => {
    const config = loadConfig({ BACKUP_API_KEYS: 'b1,b2', TRUSTED_API_KEYS: 't1' });
    expect(config.serverKeys).toEqual(['b1', 'b2']);
    expect(config.accessTokens).toEqual(['t1']);
    expect(loadConfig({ BACKUP_API_KEYS: 'b1', GEMINI_API_KEYS: 'g1', ACCESS_TOKENS: 't' }).serverKeys).toEqual(['g1']);
  });

  it('refuses server keys without tokens: never an open relay', () => {
    expect(() => loadConfig({ GEMINI_API_KEYS: 'k1' })).toThrow(ConfigError);
    expect(() => loadConfig({ BACKUP_API_KEYS: 'k1' })).toThrow('ACCESS_TOKENS');
    expect(() => loadConfig({ ALLOW_CLIENT_KEYS: 'false' })).toThrow('ALLOW_CLIENT_KEYS');
  });

  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
    ['密码', '密码', true],
  ])('constantTimeEqual(%j, %j) = %s', (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
  });
});

describe('server pool through the gateway', () => {
  const reply = { candidates: [{ content: { role: 'model', parts: [{ text: 'hi' }] }, finishReason: 'STOP' }] };
  const generate = (credential: string) =>
    new Request('https://gw.test/v1beta/models/gemini-3.8-flash:generateContent', {
      method: 'POST',
      headers: { 'x-goog-api-key': credential, 'content-type': 'application/json' },
      body: '{"contents":[{"parts":[{"text":"x"}]}]}',
    });

  it('uses the server keys for a token, and never sends the token upstream', async () => {
    const { handler, calls } = gatewayWithStub({ env: SERVER, fallback: () => jsonReply(reply) });
    const response = await handler(generate('team-pass'));
    expect(response.status).toBe(200);
    expect(calls[0]!.headers.get('x-goog-api-key')).toMatch(/^AIzaSERVERKEY-/);
  });

  it('answers every request with a configuration error when keys have no tokens (Edge cannot refuse to start)', async () => {
    const { handler, calls } = gatewayWithStub({ env: { GEMINI_API_KEYS: 'AIzaSERVERKEY-one' } });
    const response = await handler(generate('anything'));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).toContain('ACCESS_TOKENS');
    expect(text).not.toContain('AIzaSERVERKEY');
    expect(calls).toHaveLength(0);
  });

  it('answers 401 in the caller’s format for a wrong token when client keys are off', async () => {
    const { handler, calls } = gatewayWithStub({ env: { ...SERVER, ALLOW_CLIENT_KEYS: 'false' } });
    const native = await handler(generate('wrong'));
    expect(native.status).toBe(401);
    expect(await native.json()).toMatchObject({ error: { status: 'UNAUTHENTICATED' } });
    const openai = await handler(
      new Request('https://gw.test/v1/models', { headers: { authorization: 'Bearer wrong' } }),
    );
    expect(openai.status).toBe(401);
    expect(await openai.json()).toMatchObject({
      error: { type: 'authentication_error', code: 'invalid_access_token' },
    });
    expect(calls).toHaveLength(0);
  });

  it('never logs a server key or a token', async () => {
    const { handler, logs } = gatewayWithStub({
      env: { ...SERVER, LOG_LEVEL: 'debug' },
      fallback: () => jsonReply(reply),
    });
    await handler(generate('team-pass'));
    await handler(generate('family-pass'));
    const all = logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of ['AIzaSERVERKEY', 'team-pass', 'family-pass']) expect(all).not.toContain(secret);
  });
});
