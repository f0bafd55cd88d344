import { BadRequestError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY_WINDOW_MS, keysInSlotOrder } from './support/keys-in-slot-order';
import { openaiClient } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * Gemini's `400 FAILED_PRECONDITION "User location is not supported"` (the fake answers it to `geo-` keys),
 * through the real server on both surfaces: the caller's format, Gemini's status, a message that says what
 * to do, and neither failover nor cooldown — every key of a deployment shares its location.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ KEY_ROTATION_WINDOW_MS: String(DAY_WINDOW_MS) });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const keys = ['geo-first', 'geo-second'];
const hello = [{ role: 'user' as const, content: 'hello' }];
const what =
  /User location is not supported for the API use\. Gemini refused the request because of where this gateway runs/;

describe('OpenAI surface', () => {
  it.each([false, true])(
    'answers 400 BadRequestError with the explanation (stream: %s), trying one key only, twice',
    async (stream) => {
      const sdk = openaiClient(stack.url, keysInSlotOrder(keys));
      for (let i = 0; i < 2; i++) {
        const error = await sdk.chat.completions.create({ model: 'gpt-4o', messages: hello, stream }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(BadRequestError);
        expect(error).toMatchObject({
          status: 400,
          type: 'invalid_request_error',
          code: 'unsupported_country_region_territory',
        });
        expect((error as BadRequestError).message).toMatch(what);
        expect((error as BadRequestError).message).toContain('regions` in api/index.ts');
      }
      // No failover to the second key, and the first was not rested: the second request used it again.
      expect(stack.fake.requests.map((r) => r.key)).toEqual(['geo-first', 'geo-first']);
    },
  );
});

describe('native surface', () => {
  it.each(['generateContent', 'streamGenerateContent?alt=sse'])(
    "%s keeps Gemini's 400 and status, with the explanation as the message",
    async (method) => {
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-goog-api-key': keysInSlotOrder(keys) },
          body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello' }] }] }),
        });
        expect(response.status).toBe(400);
        const body = (await response.json()) as { error: { code: number; status: string; message: string } };
        expect(body.error).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION' });
        expect(body.error.message).toMatch(what);
      }
      expect(stack.fake.requests.map((r) => r.key)).toEqual(['geo-first', 'geo-first']);
    },
  );
});
