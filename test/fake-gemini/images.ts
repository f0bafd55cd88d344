/**
 * Image output of the Gemini image models (Nano Banana): with `responseModalities` including IMAGE (their
 * default when none is given) they answer with `inlineData` parts holding base64 PNG, beside text unless
 * only IMAGE was asked for. A text-only model asked for IMAGE is refused by the modality check in
 * validate-generate-request.ts, as on Google.
 */
import type { GenerateContentRequest } from './gemini-request-schema';
import type { ModelEntry } from './models';

/**
 * A valid 256×256 PNG of noise, ~260 kB of base64: real answers carry images of 1–2 MB, and a part that
 * size arrives in one event of its own, far larger than any text chunk (a 1×1 image hid exactly that).
 */
export function fakePngBase64(): string {
  // Made on first use: a module-level constant would sit in the memory of every process that imports the fake.
  png ??= toBase64(noisePng(256));
  return png;
}
let png: string | undefined;

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

function noisePng(side: number): Uint8Array {
  const rows = new Uint8Array(side * (1 + side * 3));
  let seed = 0x9e3779b9;
  for (let i = 0; i < rows.length; i++) {
    // Each row starts with filter type 0; the rest is xorshift noise, so nothing could compress it away.
    if (i % (1 + side * 3) === 0) continue;
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    rows[i] = seed & 0xff;
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, side);
  view.setUint32(4, side);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter method, no interlace
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return concat([
    Uint8Array.from(signature),
    pngChunk('IHDR', header),
    pngChunk('IDAT', storedZlib(rows)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * zlib data in stored (uncompressed) deflate blocks: valid for every decoder, and written here because the
 * fake also runs bundled for the bench, where there is no node:zlib.
 */
function storedZlib(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.from([0x78, 0x01])];
  for (let at = 0; at < data.length || at === 0; at += 0xffff) {
    const block = data.subarray(at, at + 0xffff);
    const last = at + 0xffff >= data.length ? 1 : 0;
    parts.push(
      Uint8Array.from([
        last,
        block.length & 0xff,
        block.length >>> 8,
        ~block.length & 0xff,
        (~block.length >>> 8) & 0xff,
      ]),
      block,
    );
  }
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  parts.push(u32(((b << 16) | a) >>> 0));
  return concat(parts);
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const typed = concat([Uint8Array.from(type, (c) => c.charCodeAt(0)), data]);
  return concat([u32(data.length), typed, u32(crc32(typed))]);
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}
