/**
 * A short, non-reversible name for a key, for logs and key-pool state: two keys never look alike (unlike
 * the original's `AIzaSy..` prefix, shared by every Google key) and the key cannot be recovered from it.
 * cyrb53 (a 53-bit non-cryptographic hash, of which 8 base36 characters — about 41 bits — are shown) is
 * enough: keys carry far more entropy than that, and a synchronous hash keeps the hot path free of
 * `crypto.subtle` promises.
 */
export function fingerprint(key: string): string {
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
}
