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
  // The hash's last 8 base-36 digits, zero-padded: what `hash.toString(36).padStart(11, '0').slice(-8)`
  // gives (the ids stored in shared state), by integer arithmetic, exact below 2^53; toString(36) of a
  // double cost most of this function, which runs a few times per request.
  let rest = hash % BASE36_8;
  let digits = '';
  for (let i = 0; i < 8; i++) {
    digits = BASE36_DIGITS[rest % 36] + digits;
    rest = Math.floor(rest / 36);
  }
  return `k-${digits}`;
}

const BASE36_8 = 36 ** 8;
const BASE36_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
