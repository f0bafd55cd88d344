import { encodeBase64 } from './encode-base64';
import type { GeminiInlineData } from './gemini-types';

/**
 * `data:[<mime>][;base64],<data>` → Gemini inline data (base64). Non-base64 data URLs are percent-decoded
 * and re-encoded. Null if the string is not a well-formed data URL.
 */
export function parseDataUrl(url: string): GeminiInlineData | null {
  if (!url.startsWith('data:')) return null;
  const comma = url.indexOf(',');
  if (comma < 0) return null;
  const meta = url.slice(5, comma).split(';');
  const isBase64 = meta[meta.length - 1]?.toLowerCase() === 'base64';
  const mimeType = (meta[0] || 'text/plain').trim().toLowerCase();
  const payload = url.slice(comma + 1);
  if (isBase64) {
    const data = payload.replace(/\s+/g, '');
    return /^[A-Za-z0-9+/]*={0,2}$/.test(data) ? { mimeType, data } : null;
  }
  try {
    return { mimeType, data: encodeBase64(new TextEncoder().encode(decodeURIComponent(payload))) };
  } catch {
    return null;
  }
}
