import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_MAP } from '../../../src/gemini/resolve-model';
import { escapeHtml } from '../../../src/status-page/escape-html';
import { MESSAGES } from '../../../src/status-page/messages';
import { renderStatusPage, type StatusPageView } from '../../../src/status-page/render-status-page';
import { VERSION } from '../../../src/version';
import { gatewayWithStub } from '../support/stub-upstream';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

const get = (path = '/', headers: Record<string, string> = {}, method = 'GET') =>
  new Request(`https://gw.example.test${path}`, { method, headers: { accept: BROWSER, ...headers } });

/** Recognisable secrets: if any of them shows up anywhere in an answer, a test fails. */
const SECRETS = {
  GEMINI_API_KEYS: 'AIzaSERVERKEYONE0000000000000000000001,AIzaSERVERKEYTWO0000000000000000000002',
  ACCESS_TOKENS: 'family-password-XYZZY,second-token-PLUGH',
};
const secretValues = [...SECRETS.GEMINI_API_KEYS.split(','), ...SECRETS.ACCESS_TOKENS.split(',')];
const secretFragments = secretValues.flatMap((secret) => [secret, secret.slice(4, -4)]);

describe('GET / content negotiation', () => {
  it('serves the HTML page to a browser', async () => {
    const { handler, calls } = gatewayWithStub();
    const response = await handler(get());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`v${VERSION}`);
    expect(html).toContain('<code>https://gw.example.test/v1</code>');
    expect(html).toContain('<code>https://gw.example.test/v1beta</code>');
    expect(html).toContain('data-copy="https://gw.example.test"');
    expect(html).toContain('Claude Code (ANTHROPIC_BASE_URL)');
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['curl', { accept: '*/*' }],
    ['a JSON client', { accept: 'application/json' }],
    ['a client that sends no Accept', { accept: '' }],
  ])('keeps the JSON status for %s', async (_, headers) => {
    const { handler } = gatewayWithStub();
    const response = await handler(get('/', headers));
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      name: 'gemini-balance-lite',
      version: VERSION,
      status: 'ok',
      openaiBaseUrl: 'https://gw.example.test/v1',
      geminiBaseUrl: 'https://gw.example.test',
      anthropicBaseUrl: 'https://gw.example.test',
      keyRotationWindowMs: 10_000,
      sharedKeyState: false,
    });
    expect(body.routes).toEqual(
      expect.arrayContaining([
        'POST /v1/chat/completions',
        'POST /v1/responses',
        'POST /v1/images/generations',
        'POST /v1/images/edits',
        '* /v1beta/{path} (Gemini API)',
        'GET /stats',
        'POST /v1/messages (Anthropic)',
      ]),
    );
  });

  it('answers HEAD with the headers only', async () => {
    const { handler } = gatewayWithStub();
    const response = await handler(get('/', {}, 'HEAD'));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  // 16 KiB since the usage table (issue 16): its script, labels and style are about 3 KiB.
  it('is small enough to ship in the edge bundle', async () => {
    const { handler } = gatewayWithStub({
      env: { MODEL_MAP: 'gpt-4o-mini=gemini-2.5-flash-lite,o3=gemini-3.1-pro-preview' },
    });
    expect(new TextEncoder().encode(await (await handler(get())).text()).length).toBeLessThan(16_384);
  });
});

describe('the page’s security headers', () => {
  it('lets only this response’s own inline style and script run, and talk only to this origin', async () => {
    const { handler } = gatewayWithStub();
    const response = await handler(get());
    const csp = response.headers.get('content-security-policy') ?? '';
    // gatewayWithStub's newId counts up: id-1 is the request id, id-2 the page's nonce.
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'nonce-id-2'",
        "style-src 'nonce-id-2'",
        "connect-src 'self'",
        "form-action 'none'",
      ]),
    );
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/https?:|\*/);
    const html = await response.text();
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script nonce="id-2">']);
    expect(html.match(/<style[^>]*>/g)).toEqual(['<style nonce="id-2">']);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=|src=|<link(?![^>]*href="data:,")/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('vary')).toBe('accept, accept-language');
  });

  it('uses a fresh nonce for every response', async () => {
    const { handler } = gatewayWithStub();
    const first = (await handler(get())).headers.get('content-security-policy');
    const second = (await handler(get())).headers.get('content-security-policy');
    expect(first).not.toBe(second);
  });
});

describe('language', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', '', 'zh-CN', '密钥检测', '?lang=en'],
    ['en-US,en;q=0.9', '', 'en', 'Key checker', '?lang=zh'],
    ['zh-CN', '?lang=en', 'en', 'Key checker', '?lang=zh'],
    ['en-US', '?lang=zh', 'zh-CN', '密钥检测', '?lang=en'],
  ])('Accept-Language %s with %s → <html lang="%s">', async (acceptLanguage, query, lang, heading, switchLink) => {
    const { handler } = gatewayWithStub();
    const html = await (await handler(get(`/${query}`, { 'accept-language': acceptLanguage }))).text();
    expect(html).toContain(`<html lang="${lang}">`);
    expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain(`href="${switchLink}"`);
  });

  it('has every message in both languages', () => {
    const shape = (value: unknown): unknown =>
      typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]))
        : typeof value;
    expect(shape(MESSAGES.zh)).toEqual(shape(MESSAGES.en));
  });
});

describe('keys and model mapping on the page', () => {
  it('says how many server keys there are, never which, and never shows a token', async () => {
    const { handler } = gatewayWithStub({ env: SECRETS });
    for (const request of [
      get(),
      get('/?lang=zh'),
      get('/', { accept: 'application/json' }),
      get('/', { accept: '*/*' }),
    ]) {
      const response = await handler(request);
      const text = `${JSON.stringify([...response.headers])}${await response.text()}`;
      for (const fragment of secretFragments) expect(text).not.toContain(fragment);
    }
    const html = await (await handler(get())).text();
    expect(html).toContain('Server key pool: 2 keys');
    expect(html).toContain('Callers may bring their own Gemini keys.');
  });

  // Issue 16: without shared state, the usage numbers are one instance's, and the page says so.
  it.each([
    [{}, 'these numbers are this instance’s only', 'instance'],
    [
      { UPSTASH_REDIS_REST_URL: 'https://x.upstash.io', UPSTASH_REDIS_REST_TOKEN: 't' },
      'these are every instance’s numbers',
      'shared',
    ],
    [
      { KV_REST_API_URL: 'https://x.upstash.io', KV_REST_API_TOKEN: 't' },
      'these are every instance’s numbers',
      'shared',
    ],
  ])('says whose usage numbers the table shows (%o)', async (env, sentence, scope) => {
    const html = await (await gatewayWithStub({ env }).handler(get())).text();
    expect(html).toContain(`<p id="usage-scope" class="${scope}">`);
    expect(html).toContain(sentence);
    const zh = await (await gatewayWithStub({ env }).handler(get('/?lang=zh'))).text();
    expect(zh).toContain(scope === 'shared' ? '所有实例的合计' : '仅来自当前这一个实例');
  });

  it('says when there is no pool, and when client keys are refused', async () => {
    const noPool = await (await gatewayWithStub().handler(get())).text();
    expect(noPool).toContain('No server key pool');
    const tokensOnly = await (
      await gatewayWithStub({ env: { ...SECRETS, ALLOW_CLIENT_KEYS: 'false' } }).handler(get())
    ).text();
    expect(tokensOnly).toContain('an access token is required');
  });

  it('shows the built-in table with MODEL_MAP’s overrides and additions marked', async () => {
    const { handler } = gatewayWithStub({
      env: { MODEL_MAP: 'gpt-4o=gemini-3.1-pro-preview,my-model=gemini-3.6-flash' },
    });
    const html = await (await handler(get())).text();
    const rows = [
      ...html.matchAll(
        /<tr><td><code>([^<]+)<\/code><\/td><td><code>([^<]+)<\/code>( <span class="tag">MODEL_MAP<\/span>)?/g,
      ),
    ].map(([, alias, model, tag]) => [alias, model, Boolean(tag)]);
    expect(rows).toEqual([
      ['gpt-4o', 'gemini-3.1-pro-preview', true],
      ...Object.entries(DEFAULT_MODEL_MAP)
        .filter(([alias]) => alias !== 'gpt-4o')
        .map(([alias, model]) => [alias, model, false]),
      ['my-model', 'gemini-3.6-flash', true],
    ]);
    expect(rows).toContainEqual(['gpt-4.1', 'gemini-flash-latest', false]);
    expect(rows).toContainEqual(['gpt-4o-mini', 'gemini-flash-lite-latest', false]);
    expect(html).toContain('any other name is served by gemini-flash-lite-latest');
  });
});

describe('escaping', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('escapes every value interpolated into the page', () => {
    const hostile = '"><script>alert(1)</script>';
    const view: StatusPageView = {
      language: 'en',
      name: hostile,
      version: hostile,
      origin: `https://x.test/${hostile}`,
      models: [{ alias: hostile, model: hostile, overridden: true }],
      fallbackModel: hostile,
      serverKeyCount: 0,
      allowClientKeys: true,
      sharedState: false,
      nonce: hostile,
    };
    const html = renderStatusPage(view);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('"><script');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('keeps the script’s data from closing the script element', () => {
    const html = renderStatusPage({
      language: 'en',
      name: 'n',
      version: '1',
      origin: 'https://x.test',
      models: [],
      fallbackModel: 'm',
      serverKeyCount: 0,
      allowClientKeys: true,
      sharedState: false,
      nonce: 'n',
    });
    const script = html.slice(html.indexOf('<script'), html.lastIndexOf('</script>'));
    expect(script).not.toMatch(/<\/|<!--/);
  });
});
