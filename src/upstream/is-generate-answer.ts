// measured: run `npm run bench` before changing (docs/performance.md).
import { isBraceDelimited } from './is-brace-delimited';

/**
 * A 200 from generateContent that holds no answer — an empty body, a CDN's HTML page, or JSON with neither
 * candidates nor promptFeedback — is an upstream fault, not an empty answer: the next key retries it.
 * The check looks at the bytes fetchWithFailover has read anyway, neither parsing nor decoding them: the
 * braces around them and one of the two field names are enough to tell a real answer. Google writes
 * `candidates` or `promptFeedback` first, so the search usually ends within the first bytes.
 */
export function isGenerateAnswer(bytes: Uint8Array): boolean {
  if (!isBraceDelimited(bytes)) return false;
  return indexOf(bytes, CANDIDATES) !== -1 || indexOf(bytes, PROMPT_FEEDBACK) !== -1;
}

const encoder = new TextEncoder();
const CANDIDATES = encoder.encode('"candidates"');
const PROMPT_FEEDBACK = encoder.encode('"promptFeedback"');

/** Where `needle` first occurs in `haystack`, or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  const end = haystack.length - needle.length;
  outer: for (
    let i = haystack.indexOf(first as number);
    i !== -1 && i <= end;
    i = haystack.indexOf(first as number, i + 1)
  ) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
