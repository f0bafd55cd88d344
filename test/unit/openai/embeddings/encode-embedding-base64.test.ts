import { describe, expect, it } from 'vitest';
import { encodeEmbeddingBase64 } from '../../../../src/openai/embeddings/encode-embedding-base64';

/** How the openai SDK decodes `encoding_format: "base64"` (toFloat32Array in openai/internal/utils). */
function decodeLikeTheSdk(base64: string): number[] {
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return Array.from(new Float32Array(bytes.buffer));
}

describe('encodeEmbeddingBase64', () => {
  it.each([
    [[0.5, -0.25, 1, 0]],
    [[0.0123, -0.987, 3.25, 1e-7]],
    [Array.from({ length: 3072 }, (_, i) => Math.sin(i) / 10)],
    [[]],
  ])('decodes back to the same float32 values (%#)', (values) => {
    expect(decodeLikeTheSdk(encodeEmbeddingBase64(values))).toEqual(values.map((value) => Math.fround(value)));
  });

  it('is little-endian float32', () => {
    expect(encodeEmbeddingBase64([1])).toBe('AACAPw==');
    expect(encodeEmbeddingBase64([-2, 0.5])).toBe('AAAAwAAAAD8=');
  });
});
