import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      geminiBaseUrl: 'https://generativelanguage.googleapis.com',
      keyRotationWindowMs: 10_000,
      logLevel: 'info',
      maxBodyBytes: 4_500_000,
      fetchMediaUrls: true,
    });
    expect(config.modelMap.size).toBe(0);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      GEMINI_BASE_URL: 'http://127.0.0.1:8787/',
      KEY_ROTATION_WINDOW_MS: '60000',
      LOG_LEVEL: 'DEBUG',
      MODEL_MAP: 'gpt-4o=gemini-3.1-pro-preview, my-alias = models/gemini-3.8-flash',
      FETCH_MEDIA_URLS: 'false',
      MAX_BODY_BYTES: '1000',
    });
    expect(config.geminiBaseUrl).toBe('http://127.0.0.1:8787');
    expect(config.keyRotationWindowMs).toBe(60_000);
    expect(config.logLevel).toBe('debug');
    expect([...config.modelMap]).toEqual([
      ['gpt-4o', 'gemini-3.1-pro-preview'],
      ['my-alias', 'gemini-3.8-flash'],
    ]);
    expect(config.fetchMediaUrls).toBe(false);
    expect(config.maxBodyBytes).toBe(1000);
  });

  it('treats empty strings as unset (Vercel keeps blank variables)', () => {
    expect(loadConfig({ LOG_LEVEL: '', GEMINI_BASE_URL: ' ' }).logLevel).toBe('info');
  });

  it.each([
    ['GEMINI_BASE_URL', 'not a url'],
    ['GEMINI_BASE_URL', 'ftp://example.com'],
    ['GEMINI_BASE_URL', 'https://example.com/v1beta'],
    ['GEMINI_BASE_URL', 'https://user:pw@example.com'],
    ['KEY_ROTATION_WINDOW_MS', '0'],
    ['KEY_ROTATION_WINDOW_MS', '-5'],
    ['KEY_ROTATION_WINDOW_MS', '1.5'],
    ['KEY_ROTATION_WINDOW_MS', 'ten'],
    ['LOG_LEVEL', 'verbose'],
    ['MODEL_MAP', 'gpt-4o'],
    ['MODEL_MAP', 'a=b=c'],
    ['MODEL_MAP', 'a=../x'],
    ['FETCH_MEDIA_URLS', 'maybe'],
    ['MAX_BODY_BYTES', '1e9'],
  ])('refuses %s=%s with an error naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it.each([
    ['ACCESS_TOKENS', { GEMINI_API_KEYS: 'k1', ACCESS_TOKENS: '给家人的密码' }, 'the value'],
    ['ACCESS_TOKENS', { GEMINI_API_KEYS: 'k1', ACCESS_TOKENS: 'ok, two words ,fine' }, 'entry 2 of 3'],
    ['TRUSTED_API_KEYS', { GEMINI_API_KEYS: 'k1', TRUSTED_API_KEYS: 'ok,pässword' }, 'entry 2 of 2'],
    ['GEMINI_API_KEYS', { GEMINI_API_KEYS: 'AIza\u0000x', ACCESS_TOKENS: 't' }, 'the value'],
  ])(
    'refuses %s holding what no client can send in a header, naming the variable and not the value',
    (name, env, which) => {
      let message = '';
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message).toBe(
        `Invalid configuration — ${name}: ${which} holds a space or a character outside printable ASCII, which clients cannot send in a header; use letters, digits and ASCII punctuation`,
      );
    },
  );

  it('accepts tokens of printable ASCII, punctuation included', () => {
    expect(
      loadConfig({ GEMINI_API_KEYS: 'k1', ACCESS_TOKENS: 'p@ss!w0rd#"\\~, family-password-2026' }).accessTokens,
    ).toEqual(['p@ss!w0rd#"\\~', 'family-password-2026']);
  });
});

// Issue 16: shared key-pool state on Redis through Upstash's REST API, optional.
describe('loadConfig: shared state', () => {
  it('is off without variables', () => {
    expect(loadConfig({})).toMatchObject({ sharedState: null, sharedStateProblem: null });
  });

  it.each([
    [{ UPSTASH_REDIS_REST_URL: 'https://eu1-fine-cat-123.upstash.io/', UPSTASH_REDIS_REST_TOKEN: 'AX1xsecret' }],
    // The names Vercel's Marketplace integration (Upstash for Redis) sets.
    [{ KV_REST_API_URL: 'https://eu1-fine-cat-123.upstash.io/', KV_REST_API_TOKEN: 'AX1xsecret' }],
  ])('reads %o', (env) => {
    expect(loadConfig(env).sharedState).toEqual({
      url: 'https://eu1-fine-cat-123.upstash.io',
      token: 'AX1xsecret',
      timeoutMs: 250,
    });
  });

  it('takes the timeout from SHARED_STATE_TIMEOUT_MS', () => {
    const env = {
      UPSTASH_REDIS_REST_URL: 'https://x.upstash.io',
      UPSTASH_REDIS_REST_TOKEN: 't',
      SHARED_STATE_TIMEOUT_MS: '800',
    };
    expect(loadConfig(env).sharedState?.timeoutMs).toBe(800);
  });

  // A broken pair must not turn every answer into a configuration error: memory works without it.
  it.each([
    [{ UPSTASH_REDIS_REST_URL: 'https://x.upstash.io' }, 'UPSTASH_REDIS_REST_TOKEN is not set'],
    [{ KV_REST_API_TOKEN: 't' }, 'KV_REST_API_URL is not set'],
    [{ UPSTASH_REDIS_REST_URL: 'x.upstash.io', UPSTASH_REDIS_REST_TOKEN: 't' }, 'UPSTASH_REDIS_REST_URL is not a URL'],
    [
      { UPSTASH_REDIS_REST_URL: 'redis://x.upstash.io:6379', UPSTASH_REDIS_REST_TOKEN: 't' },
      'must start with https://',
    ],
  ])('ignores %o and says why', (env, problem) => {
    const config = loadConfig(env);
    expect(config.sharedState).toBeNull();
    expect(config.sharedStateProblem).toContain(problem);
  });
});
