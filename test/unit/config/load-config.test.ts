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
});
