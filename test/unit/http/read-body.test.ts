import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { readBodyText } from '../../../src/http/read-body';

const post = (body: BodyInit) => new Request('http://gw/v1/chat/completions', { method: 'POST', body });

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('readBodyText', () => {
  it('refuses invalid UTF-8 with a 400, and reads the next body as before', async () => {
    const error = await failure(readBodyText(post(new Uint8Array([0x7b, 0xff, 0x7d])), 1000));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_encoding');
    // The decoder is shared by all requests: a body cut inside a character leaves nothing behind, so the
    // next body's stray continuation byte does not complete it (e4 bd | a0 would be 你).
    await failure(readBodyText(post(new Uint8Array([0x22, 0xe4, 0xbd])), 1000));
    await failure(readBodyText(post(new Uint8Array([0xa0, 0x22])), 1000));
    expect(await readBodyText(post('"ok"'), 1000)).toBe('"ok"');
  });

  it('reads UTF-8 text whole, and refuses a body over the limit with a 413', async () => {
    expect(await readBodyText(post('{"a":"你好"}'), 1000)).toBe('{"a":"你好"}');
    expect((await failure(readBodyText(post('x'.repeat(20)), 10))).status).toBe(413);
  });
});
