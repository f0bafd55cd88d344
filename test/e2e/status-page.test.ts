import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version';
import { type Stack, startStack } from './support/stack';

/**
 * The status page in a real browser: Debian's Chromium driven by playwright-core, against the gateway
 * served from the Edge Runtime and the fake Gemini. It also renders the screenshots the README shows.
 * Without /usr/bin/chromium the suite is skipped locally; CI installs it (.ci/run), and there a missing
 * browser fails instead of passing silently.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const skip = !hasChromium && !process.env.CI;
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));

const SERVER_KEYS = 'good-server-key-000001,leaked-server-key-0002';
const TOKEN = 'family-secret-token-42';
// No `quota-` key: the fake (like Google) still lists models for an exhausted key, so /verify's probe
// calls it ok; the rate-limited display is checked below with a scripted /verify answer.
const CLIENT_KEYS = 'good-key-123456789,bad-key-1234567890,leaked-key-1234567';

let stack: Stack;
let browser: Browser;

describe.skipIf(skip)(
  `status page in headless Chromium${skip ? ` — skipped: ${CHROMIUM} not found (apt-get install chromium)` : ''}`,
  () => {
    beforeAll(async () => {
      stack = await startStack({
        GEMINI_API_KEYS: SERVER_KEYS,
        ACCESS_TOKENS: TOKEN,
        MODEL_MAP: 'o3=gemini-3.1-pro-preview',
      });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        // No network here: without the background-networking flags Chromium keeps dialling Google's services.
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      mkdirSync(IMAGES, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
      await stack?.close();
    });

    /** A fresh page in the given locale (which sets Accept-Language), failing the test on any console error — a CSP violation included. */
    async function openPage(locale: string): Promise<{ page: Page; errors: string[] }> {
      const context = await browser.newContext({
        locale,
        viewport: { width: 1280, height: 900 },
        deviceScaleFactor: 1,
        colorScheme: 'light',
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      const response = await page.goto(`${stack.url}/`);
      expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
      return { page, errors };
    }

    /** A chat completion through the server pool, so the usage table has a row to show. */
    async function useThePool(): Promise<void> {
      const response = await fetch(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ model: 'gemini-3.8-flash', messages: [{ role: 'user', content: 'count me' }] }),
      });
      expect(response.status).toBe(200);
    }

    async function showUsage(page: Page, credential: string): Promise<string[][]> {
      await page.fill('#usage-token', credential);
      await page.click('#usage-show');
      await page.locator('#usage-rows tr').first().waitFor();
      await page.waitForFunction(() => !(document.getElementById('usage-show') as HTMLButtonElement).disabled);
      return page.$$eval('#usage-rows tr', (trs) =>
        trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')),
      );
    }

    async function check(page: Page, keys: string, rows: number): Promise<string[][]> {
      await page.fill('#keys', keys);
      await page.click('#check');
      await page
        .locator('#results tr')
        .nth(rows - 1)
        .waitFor();
      await page.waitForFunction(() => !(document.getElementById('check') as HTMLButtonElement).disabled);
      return page.$$eval('#results tr', (trs) =>
        trs.map((tr) => [tr.className, ...[...tr.children].map((td) => td.textContent ?? '')]),
      );
    }

    it('shows the version, the base URLs for this origin and the pool, and checks keys as they stream in', async () => {
      const { page, errors } = await openPage('en-US');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await expect(page.title()).resolves.toContain('gemini-balance-lite');
      const text = await page.innerText('main');
      expect(text).toContain(`v${VERSION}`);
      expect(text).toContain('Running');
      expect(await page.$$eval('dd code', (codes) => codes.map((code) => code.textContent))).toEqual([
        `${stack.url}/v1`,
        `${stack.url}/v1beta`,
        stack.url,
        // Claude Code's ANTHROPIC_BASE_URL: the origin too.
        stack.url,
      ]);
      expect(text).toContain('Claude Code (ANTHROPIC_BASE_URL)');
      expect(text).toContain('Server key pool: 2 keys');
      expect(await page.innerText('#models')).toMatch(/o3\s+gemini-3\.1-pro-preview\s+MODEL_MAP/);

      const results = await check(page, CLIENT_KEYS, 3);
      expect(results.map(([className, index, key, verdict]) => [className, index, key, verdict])).toEqual([
        ['v-ok', '1', 'good…6789', 'OK'],
        ['v-invalid', '2', 'bad-…7890', 'Invalid'],
        ['v-denied', '3', 'leak…4567', 'Denied / leaked'],
      ]);
      expect(results[1]?.[4]).toContain('API key not valid');
      await expect(page.innerText('#check-status')).resolves.toBe('1 of 3 keys work.');

      const html = await page.content();
      for (const secret of [TOKEN, ...SERVER_KEYS.split(','), ...CLIENT_KEYS.split(',')])
        expect(html).not.toContain(secret);
      await useThePool();
      const usage = await showUsage(page, TOKEN);
      expect(usage).toContainEqual([
        expect.stringMatching(/^k-/),
        'gemini-3.8-flash',
        '1',
        '1',
        '0',
        '0',
        expect.stringMatching(/^\d+$/),
        expect.stringMatching(/^\d+$/),
        '',
      ]);
      await expect(page.innerText('#usage-scope')).resolves.toContain('these numbers are this instance’s only');
      await expect(page.innerText('#usage-status')).resolves.toMatch(
        /^This instance only · Pacific day \d{4}-\d{2}-\d{2}$/,
      );
      expect(await page.content()).not.toContain(TOKEN);
      expect(errors).toEqual([]);
      // Regenerated on demand only (`SCREENSHOTS=1 npm test`): ports and fonts differ from run to run.
      if (process.env.SCREENSHOTS) await page.screenshot({ path: `${IMAGES}status-page.png`, fullPage: true });
      await page.context().close();
    });

    it('shows usage only for a credential the gateway accepts, and says why not otherwise', async () => {
      const { page, errors } = await openPage('en-US');
      await page.click('#usage-show');
      await expect(page.innerText('#usage-status')).resolves.toBe('Enter an access token or at least one key.');
      // Someone else's keys: not the pool's numbers, only those keys' (none yet).
      expect(await showUsage(page, 'good-key-123456789')).toEqual([['No requests yet today.']]);
      expect(errors).toEqual([]);
      await page.route('**/stats', (route) =>
        route.fulfill({ status: 401, json: { error: { message: 'Invalid access token.' } } }),
      );
      await page.fill('#usage-token', 'nope');
      await page.click('#usage-show');
      await expect(
        page.waitForFunction(() =>
          document.getElementById('usage-status')?.textContent?.includes('Invalid access token.'),
        ),
      ).resolves.toBeTruthy();
      await expect(page.locator('#usage-rows tr').count()).resolves.toBe(0);
      await page.context().close();
    });

    it('copies a base URL to the clipboard', async () => {
      const { page } = await openPage('en-US');
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
      await page.click(`button[data-copy="${stack.url}/v1"]`);
      await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(`${stack.url}/v1`);
      await expect(page.innerText(`button[data-copy="${stack.url}/v1"]`)).resolves.toBe('Copied');
      await page.context().close();
    });

    it('checks the server pool for an access token, showing only masked keys', async () => {
      const { page } = await openPage('en-US');
      const results = await check(page, TOKEN, 2);
      expect(results.map(([className, , key]) => [className, key])).toEqual([
        ['v-ok', 'good…0001'],
        ['v-denied', 'leak…0002'],
      ]);
      await expect(page.innerText('#check-status')).resolves.toBe('[server key pool] 1 of 2 keys work.');
      expect(await page.content()).not.toContain(SERVER_KEYS.split(',')[0]);
      await page.context().close();
    });

    it('shows a rate-limited key with its retry delay, and falls back to a JSON answer', async () => {
      const { page, errors } = await openPage('en-US');
      const quota = {
        key: 'quot…5678',
        fingerprint: 'k-00000000',
        verdict: 'rate-limited',
        httpStatus: 429,
        retryDelayMs: 34_000,
        message: 'You exceeded your current quota.',
      };
      const ok = {
        key: 'good…6789',
        fingerprint: 'k-11111111',
        verdict: 'ok',
        httpStatus: 200,
        retryDelayMs: null,
        message: 'The key works.',
      };
      const summary = { total: 2, ok: 1, invalid: 0, denied: 0, 'rate-limited': 1, unreachable: 0 };
      const sse = [
        ['start', { total: 2, source: 'client' }],
        ['key', { index: 1, ...quota }],
        ['key', { index: 0, ...ok }],
        ['done', summary],
      ];
      await page.route('**/verify', (route) =>
        route.fulfill({
          contentType: 'text/event-stream',
          body: sse.map(([event, data]) => `event: ${event}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`).join(''),
        }),
      );
      const streamed = await check(page, 'good-key-123456789,quota-key-12345678', 2);
      expect(streamed.map(([className, index, , verdict, details]) => [className, index, verdict, details])).toEqual([
        ['v-ok', '1', 'OK', ''],
        ['v-rate-limited', '2', 'Rate limited', 'retry in 34 s — You exceeded your current quota.'],
      ]);

      await page.unroute('**/verify');
      await page.route('**/verify', (route) =>
        route.fulfill({ json: { source: 'client', results: [ok, quota], summary } }),
      );
      const fromJson = await check(page, 'good-key-123456789,quota-key-12345678', 2);
      expect(fromJson).toEqual(streamed);
      await expect(page.innerText('#check-status')).resolves.toBe('1 of 2 keys work.');
      expect(errors).toEqual([]);

      await page.unroute('**/verify');
      await page.route('**/verify', (route) =>
        route.fulfill({ status: 401, json: { error: { message: 'Invalid access token.' } } }),
      );
      await page.fill('#keys', 'nope');
      await page.click('#check');
      await expect(
        page.waitForFunction(() =>
          document.getElementById('check-status')?.textContent?.includes('Invalid access token.'),
        ),
      ).resolves.toBeTruthy();
      await expect(page.locator('#results tr').count()).resolves.toBe(0);
      await page.context().close();
    });

    it('speaks Chinese to a Chinese browser', async () => {
      const { page, errors } = await openPage('zh-CN');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      const text = await page.innerText('main');
      expect(text).toContain('运行中');
      expect(text).toContain('服务器密钥池：2 个密钥');
      const results = await check(page, CLIENT_KEYS, 3);
      expect(results.map(([, , , verdict]) => verdict)).toEqual(['可用', '无效', '被拒绝 / 已泄露']);
      await expect(page.innerText('#check-status')).resolves.toBe('3 个密钥中 1 个可用。');
      await useThePool();
      expect((await showUsage(page, TOKEN)).length).toBeGreaterThan(0);
      await expect(page.innerText('#usage-scope')).resolves.toContain('这些数字仅来自当前这一个实例');
      await expect(page.innerText('#usage-status')).resolves.toMatch(/^仅当前实例 · 太平洋时间 /);
      expect(errors).toEqual([]);
      if (process.env.SCREENSHOTS) await page.screenshot({ path: `${IMAGES}status-page.zh.png`, fullPage: true });

      await page.click('a.lang');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.context().close();
    });
  },
);
