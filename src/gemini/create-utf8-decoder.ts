// measured: run `npm run bench` before changing (docs/performance.md).
const STREAM = { stream: true } as const;

/**
 * UTF-8 bytes → text, chunk by chunk, as one streaming TextDecoder decodes them (a character split across
 * chunks is joined; a leading BOM is dropped once, at the start), called with no argument at the end. A chunk
 * that ends with an ASCII byte while no character is pending is complete text and is decoded without the
 * streaming mode, which is three times faster in Node (its fast UTF-8 path is for whole inputs only).
 */
export function createUtf8Decoder(): (bytes?: Uint8Array) => string {
  const streaming = new TextDecoder();
  // Never strips a BOM: past the start of the stream, U+FEFF is text.
  const whole = new TextDecoder('utf-8', { ignoreBOM: true });
  // Whether the streaming decoder holds nothing: its last input ended with an ASCII byte, so it has decoded a
  // first character (a BOM is behind it) and holds no partial one.
  let idle = false;
  return (bytes) => {
    if (!bytes) return streaming.decode();
    const ascii = bytes.length > 0 && (bytes[bytes.length - 1] as number) < 0x80;
    if (idle && ascii) return whole.decode(bytes);
    idle = ascii;
    return streaming.decode(bytes, STREAM);
  };
}
