// measured: run `npm run bench` before changing (docs/performance.md).
/**
 * Whether `bytes`, blanks around them aside, start with `{` and end with a separate `}`: the shape of a JSON
 * object, told without decoding or parsing. Enough to tell a Gemini body or answer from an empty one, an
 * array, a bare value or an HTML page; what is inside the braces is not looked at.
 */
export function isBraceDelimited(bytes: Uint8Array): boolean {
  let first = 0;
  let last = bytes.length - 1;
  while (first <= last && isBlank(bytes[first] as number)) first++;
  while (last > first && isBlank(bytes[last] as number)) last--;
  return first < last && bytes[first] === OPEN_BRACE && bytes[last] === CLOSE_BRACE;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** JSON's insignificant whitespace (RFC 8259 §2). */
function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
