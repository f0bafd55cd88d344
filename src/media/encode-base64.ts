/** Standard base64 of bytes with the Web APIs the Edge runtime has (no Buffer). */
export function encodeBase64(bytes: Uint8Array): string {
  // fromCharCode takes its arguments on the stack: convert in slices well below engine limits.
  const SLICE = 0x8000;
  const pieces: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += SLICE) {
    pieces.push(String.fromCharCode.apply(null, bytes.subarray(offset, offset + SLICE) as unknown as number[]));
  }
  return btoa(pieces.join(''));
}
