import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ MAX_BODY_BYTES: '1000000' });
});
afterAll(() => stack.close());

/** Streams `total` bytes of body without a content-length (chunked), as a hostile client could. */
function postChunked(path: string, total: number): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, stack.url);
    const req = request(url, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'k', authorization: 'Bearer k', 'content-type': 'application/json' },
    });
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    req.on('response', (res) => {
      let body = '';
      res.on('data', (data: Buffer) => (body += data.toString()));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sent });
      });
    });
    req.on('error', reject);
    pump();
  });
}

describe('MAX_BODY_BYTES through the real server', () => {
  it.each(['/v1beta/models/gemini-3.8-flash:generateContent', '/v1/chat/completions'])(
    'refuses an endless body on %s with 413 long before it is all sent',
    async (path) => {
      const result = await postChunked(path, 200 * 1024 * 1024);
      expect(result.status).toBe(413);
      expect(result.body).toContain('MAX_BODY_BYTES');
      expect(result.sent).toBeLessThan(100 * 1024 * 1024);
      expect(stack.fake.requests).toHaveLength(0);
    },
  );

  it('refuses a declared content-length over the limit without reading the body', async () => {
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: 'x'.repeat(1_000_001),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'request_too_large' },
    });
  });
});
