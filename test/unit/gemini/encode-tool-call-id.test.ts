import { describe, expect, it } from 'vitest';
import { compactId, decodeToolCallId, encodeToolCallId } from '../../../src/gemini/encode-tool-call-id';

describe('tool call ids carrying thought signatures', () => {
  it.each([
    ['AAAA', 'call_x1__AAAA'],
    ['CiQB+/9x', 'call_x1__CiQB-_9x'],
    ['YQ==', 'call_x1__YQ'],
    ['YWI=', 'call_x1__YWI'],
    ['Eu8BCuwBAb4+9vs/QQ==', 'call_x1__Eu8BCuwBAb4-9vs_QQ'],
  ])('%s round-trips through %s', (signature, id) => {
    expect(encodeToolCallId('x1', signature)).toBe(id);
    expect(decodeToolCallId(id)).toBe(signature);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('a long real-sized signature round-trips exactly', () => {
    const bytes = Uint8Array.from({ length: 1500 }, (_, i) => (i * 97 + 13) % 256);
    const signature = btoa(String.fromCharCode(...bytes));
    expect(decodeToolCallId(encodeToolCallId('abc123', signature))).toBe(signature);
  });

  it.each([
    ['call_x1'],
    ['call_abc'],
    ['toolu_01A'],
    ['call_x1__'],
    ['call_x1__a+b'],
    [''],
    // Look like ours but hold a length no base64 decoder accepts: Gemini would answer "Base64 decoding failed".
    ['call_x__a'],
    ['call_x__AAAAA'],
    ['call_x__abcdefghi'],
  ])('%j carries no signature', (id) => {
    expect(decodeToolCallId(id)).toBeUndefined();
  });

  it('without a signature the id is call_<random>', () => {
    expect(encodeToolCallId('x1')).toBe('call_x1');
  });

  it.each([
    ['1b4e28ba-2fa1-11d2-883f-0016d3cca427', '1b4e28ba2fa111d2883f0016'],
    ['id-7', 'id7'],
  ])('compactId(%s) = %s', (id, expected) => {
    expect(compactId(id)).toBe(expected);
  });

  // Issue 12 item 6: `/=+$/` on a long run of `=` not at the end took 9 s for 100 kB.
  it('strips the padding of a hostile 100 kB signature in one pass, and keeps inner `=` as they are', () => {
    const signature = `${'='.repeat(100_000)}A==`;
    const id = encodeToolCallId('x', signature);
    expect(id).toBe(`call_x__${'='.repeat(100_000)}A`);
  });

  it('strips only trailing padding', () => {
    expect(encodeToolCallId('x', 'ab+/cd==')).toBe('call_x__ab-_cd');
    expect(encodeToolCallId('x', '====')).toBe('call_x__');
  });
});
