/**
 * Tool call ids that carry Gemini 3's thought signature. Gemini 3 refuses a history whose function calls
 * lost their `thoughtSignature` (https://ai.google.dev/gemini-api/docs/thought-signatures), and most OpenAI
 * clients keep only the standard fields of a tool call — but they always send the `id` back. So the id is
 * `call_<random>` + SEPARATOR + the signature in base64url without padding. Gemini writes signatures as
 * standard padded base64 (proto3 JSON `bytes`), which is restored exactly; any other spelling comes back as
 * the same bytes in standard base64. Ids stay within `[A-Za-z0-9_-]`, which every client accepts.
 */
import { isValidBase64 } from '../media/normalize-base64';

const PREFIX = 'call_';
/** `<random>` never contains `_`, so the first `__` after the prefix starts the signature. */
const SEPARATOR = '__';

/** `random` must be letters and digits only (see `compactId`). */
export function encodeToolCallId(random: string, signature?: string): string {
  const base = PREFIX + random;
  if (!signature) return base;
  return base + SEPARATOR + withoutPadding(signature).replaceAll('+', '-').replaceAll('/', '_');
}

/**
 * The signature without its trailing `=`, found by a walk back from the end: the signature comes from the
 * upstream, and `/=+$/` retries from every `=` of a long run that is not at the end (quadratic: 100 kB, 9 s).
 */
function withoutPadding(signature: string): string {
  let end = signature.length;
  while (end > 0 && signature.charCodeAt(end - 1) === 0x3d) end -= 1;
  return signature.slice(0, end);
}

/**
 * The thought signature carried in an id this gateway made, or undefined — also for an id that only looks
 * like one (`call_x__a`: a client's own id, or ours cut short), since Gemini refuses undecodable base64.
 */
export function decodeToolCallId(id: string): string | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  const at = id.indexOf(SEPARATOR, PREFIX.length);
  if (at < 0) return undefined;
  const encoded = id.slice(at + SEPARATOR.length);
  if (encoded === '' || !/^[A-Za-z0-9_-]+$/.test(encoded)) return undefined;
  const standard = encoded.replaceAll('-', '+').replaceAll('_', '/');
  const signature = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  return isValidBase64(signature) ? signature : undefined;
}

/** A random id from `deps.newId()` (a UUID or anything else) as letters and digits only. */
export function compactId(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '').slice(0, 24);
}
