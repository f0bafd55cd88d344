import fc from 'fast-check';
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

  it('takes null for a URL without a query: the headers alone, as with empty search params', () => {
    const headers = new Headers({ authorization: 'Bearer b, a', 'x-goog-api-key': 'g,a' });
    expect(extractKeys(headers, null)).toEqual(['b', 'a', 'g']);
    expect(extractKeys(headers, null)).toEqual(extractKeys(headers, new URLSearchParams('')));
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

  it.each([
    ['', 'k-jl67o803'],
    ['goodA', 'k-812jbqug'],
    ['AIzaSyA1234567890abcdefghijklmnopqrstu', 'k-xw42n2oz'],
    ['给', 'k-gs9x4uhu'],
  ])('is the id shared state already holds for %j', (key, id) => {
    expect(fingerprint(key)).toBe(id);
  });

  it('writes the same digits as toString(36) did, for any key', () => {
    // The hash as it was formatted before: shared state (Redis) stores keys' state under these ids.
    const before = (key: string) => {
      let h1 = 0xdeadbeef;
      let h2 = 0x41c6ce57;
      for (let i = 0; i < key.length; i++) {
        const ch = key.charCodeAt(i);
        h1 = Math.imul(h1 ^ ch, 2654435761);
        h2 = Math.imul(h2 ^ ch, 1597334677);
      }
      h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
      h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
      const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
      return `k-${hash.toString(36).padStart(11, '0').slice(-8)}`;
    };
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: 'binary' }), (key) => {
        expect(fingerprint(key)).toBe(before(key));
      }),
      { numRuns: 20_000 },
    );
  });

  it('tells keys with the same prefix apart', () => {
    const ids = new Set(Array.from({ length: 1000 }, (_, i) => fingerprint(`AIzaSyA1234567890abcdefghijklmnop${i}`)));
    expect(ids.size).toBe(1000);
  });
});
