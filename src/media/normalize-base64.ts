/**
 * Base64 checks for what a client sends as bytes (data URLs, `input_audio.data`, raw `file_data`, thought
 * signatures). Google's front end reads a `bytes` field as proto3 JSON does — standard or URL-safe alphabet,
 * padded or not (https://protobuf.dev/programming-guides/json/) — and answers anything else with 400 "Base64
 * decoding failed", after the request has spent a key's quota. Lengths follow WHATWG's forgiving-base64
 * (what `atob` accepts): without padding the length mod 4 is never 1; with padding it is a multiple of 4.
 * Payloads are megabytes: each check is one anchored character-class regex, a linear scan that never backtracks.
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;
const ASCII_WHITESPACE = /[\t\n\f\r ]+/g;

/** True if `text` is base64 in one alphabet (standard or URL-safe) with a length a decoder accepts. */
export function isValidBase64(text: string): boolean {
  return hasDecodableLength(text) && (STANDARD.test(text) || URL_SAFE.test(text));
}

/**
 * Media bytes as standard base64, or undefined if `text` is not base64. ASCII whitespace (line-wrapped
 * MIME output) is removed and the URL-safe alphabet rewritten, so the upstream always gets RFC 4648 §4 base64.
 */
export function normalizeBase64(text: string): string | undefined {
  if (STANDARD.test(text)) return hasDecodableLength(text) ? text : undefined;
  const data = text.replace(ASCII_WHITESPACE, '');
  if (!hasDecodableLength(data)) return undefined;
  if (STANDARD.test(data)) return data;
  return URL_SAFE.test(data) ? data.replaceAll('-', '+').replaceAll('_', '/') : undefined;
}

function hasDecodableLength(data: string): boolean {
  return data.endsWith('=') ? data.length % 4 === 0 : data.length % 4 !== 1;
}
