import { encodeBase64 } from '../../media/encode-base64';

/**
 * An embedding as OpenAI's `encoding_format: "base64"`: the vector as little-endian float32 bytes in
 * base64. The openai SDK asks for this by default and decodes it with a Float32Array over those bytes.
 */
export function encodeEmbeddingBase64(values: readonly number[]): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
  return encodeBase64(bytes);
}
