import { describe, expect, it } from 'vitest';
import { extractKeys } from '../../../src/keys/extract-keys';
import { fingerprint } from '../../../src/keys/fingerprint';

describe('extractKeys', () => {
  it.each([
    [{ authorization: 'Bearer k1' }, '', ['k1']],
    [{ authorization: 'Bearer  k1 , k2,,k3 ,' }, '', ['k1', 'k2', 'k3']],
    [{ authorization: 'bearer k1,k1,k2' }, '', ['k1', 'k2']],
    [{ 'x-goog-api-key': 'g1,g2' }, '', ['g1', 'g2']],
    // Anthropic's header (Claude Code with ANTHROPIC_API_KEY).
    [{ 'x-api-key': 'a1, a2' }, '', ['a1', 'a2']],
    [{ authorization: 'Bearer b', 'x-api-key': 'a', 'x-goog-api-key': 'g,a' }, '', ['b', 'a', 'g']],
    [{}, 'key=q1,q2', ['q1', 'q2']],
    [{ authorization: 'Bearer a', 'x-goog-api-key': 'b,a' }, 'key=c', ['a', 'b', 'c']],
    [{ authorization: 'Basic dXNlcjpwYXNz' }, '', []],
    [{ authorization: 'Bearer   ' }, 'key=', []],
    [{}, '', []],
  ])('%o %s → %o', (headers, search, expected) => {
    expect(extractKeys(new Headers(headers), new URLSearchParams(search))).toEqual(expected);
  });
});

describe('fingerprint', () => {
  it('is short, stable and reveals nothing of the key', () => {
    const key = 'AIzaSyA1234567890abcdefghijklmnopqrstu';
    const id = fingerprint(key);
    expect(id).toMatch(/^k-[0-9a-z]{8}$/);
    expect(fingerprint(key)).toBe(id);
    expect(id).not.toContain('AIza');
  });

  it('tells keys with the same prefix apart', () => {
    const ids = new Set(Array.from({ length: 1000 }, (_, i) => fingerprint(`AIzaSyA1234567890abcdefghijklmnop${i}`)));
    expect(ids.size).toBe(1000);
  });
});
