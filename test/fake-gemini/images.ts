/**
 * Image output of the Gemini image models (Nano Banana): with `responseModalities` including IMAGE (their
 * default when none is given) they answer with `inlineData` parts holding base64 PNG, beside text unless
 * only IMAGE was asked for. A text-only model asked for IMAGE is refused by the modality check in
 * validate-generate-request.ts, as on Google.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { GenerateContentRequest } from './gemini-request-schema';
import type { ModelEntry } from './models';

/**
 * A valid 256×256 PNG of noise, ~260 kB of base64: real answers carry images of 1–2 MB, and a part that
 * size arrives in one event of its own, far larger than any text chunk (a 1×1 image hid exactly that).
 */
export const FAKE_PNG_BASE64 = noisePng(256).toString('base64');

/** What Google counts for one generated image at the default 1K size. */
export const IMAGE_TOKENS = 1290;

export interface OutputPlan {
  text: boolean;
  image: boolean;
}

export function outputPlan(request: GenerateContentRequest, model: ModelEntry): OutputPlan {
  const asked = (request.generationConfig?.responseModalities ?? []).filter((m) => m !== 'MODALITY_UNSPECIFIED');
  const canImage = model.traits.outputModalities.includes('IMAGE');
  if (asked.length === 0) return { text: true, image: canImage };
  return { text: asked.includes('TEXT'), image: canImage && asked.includes('IMAGE') };
}

function noisePng(side: number): Buffer {
  const rows = Buffer.alloc(side * (1 + side * 3));
  let seed = 0x9e3779b9;
  for (let i = 0; i < rows.length; i++) {
    // Each row starts with filter type 0; the rest is xorshift noise, so nothing compresses it away.
    if (i % (1 + side * 3) === 0) continue;
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    rows[i] = seed & 0xff;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter method, no interlace
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
