import type { GeminiInlineData } from '../gemini/gemini-types';
import { encodeBase64 } from './encode-base64';
import { normalizeBase64 } from './normalize-base64';

/**
 * `data:[<mime>][;base64],<data>` → Gemini inline data (standard base64). Non-base64 data URLs are
 * percent-decoded and re-encoded. Null if the string is not a well-formed data URL, its base64 is not
 * decodable (see normalizeBase64), or it holds no bytes (Gemini refuses empty inline data).
 */
export function parseDataUrl(url: string): GeminiInlineData | null {
  if (!url.startsWith('data:')) return null;
  const comma = url.indexOf(',');
  if (comma < 0) return null;
  const meta = url.slice(5, comma).split(';');
  const isBase64 = meta[meta.length - 1]?.toLowerCase() === 'base64';
  const mimeType = (meta[0] || 'text/plain').trim().toLowerCase();
  const payload = url.slice(comma + 1);
  let data: string | undefined;
  if (isBase64) data = normalizeBase64(payload);
  else {
    try {
      data = encodeBase64(new TextEncoder().encode(decodeURIComponent(payload)));
    } catch {
      return null;
    }
  }
  return data ? { mimeType, data } : null;
}
