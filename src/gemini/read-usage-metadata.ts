import type { GeminiUsage } from '../keys/key-state';

/** How much of an answer's end is searched: usageMetadata is Gemini's last field, a few hundred bytes. */
const TAIL_BYTES = 8 * 1024;

/**
 * The token counts of a Gemini answer, read from the end of its bytes without parsing the answer: Google
 * writes `usageMetadata` last in a GenerateContentResponse, and a stream repeats it, cumulative, in every
 * chunk, so the last occurrence is the whole answer's. Only that object is parsed. For the native surface,
 * which forwards answers unparsed (docs/performance.md); null when there is none. A stream's last two chunks
 * are passed as they came (`before`, then `bytes`): a chunk boundary may cut the last usageMetadata, and
 * joining them into a new array cost more than all the rest.
 */
export function readUsageMetadata(bytes: Uint8Array, before?: Uint8Array): GeminiUsage | null {
  const tail = decodeTail(bytes, before);
  const field = tail.lastIndexOf('"usageMetadata"');
  if (field === -1) return null;
  const start = tail.indexOf('{', field);
  if (start === -1) return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < tail.length; i++) {
    const ch = tail[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return parseUsage(tail.slice(start, i + 1));
  }
  return null;
}

function parseUsage(text: string): GeminiUsage | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { promptTokenCount, candidatesTokenCount, thoughtsTokenCount } = value as Record<string, unknown>;
    const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null);
    return {
      promptTokenCount: count(promptTokenCount),
      candidatesTokenCount: count(candidatesTokenCount),
      thoughtsTokenCount: count(thoughtsTokenCount),
    };
  } catch {
    return null;
  }
}

const decoder = new TextDecoder();

/** The last TAIL_BYTES of `before` followed by `bytes`, as text, decoded as if they were one array. */
function decodeTail(bytes: Uint8Array, before: Uint8Array | undefined): string {
  if (!before || bytes.length >= TAIL_BYTES)
    return decoder.decode(bytes.length > TAIL_BYTES ? bytes.subarray(bytes.length - TAIL_BYTES) : bytes);
  const wanted = TAIL_BYTES - bytes.length;
  const head = decoder.decode(before.length > wanted ? before.subarray(before.length - wanted) : before, {
    stream: true,
  });
  return head + decoder.decode(bytes);
}
