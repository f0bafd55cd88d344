/**
 * A streaming 200 that does not start like a Gemini stream — an empty body, a CDN's HTML page, text that
 * is not JSON, or a first event with neither candidates nor promptFeedback — is an upstream fault that the
 * next key should retry. Nothing has reached the client yet, so reading the first event here costs the
 * client nothing; the chunks read are replayed in front of the rest of the stream, untouched, by the one
 * stage that already watches the stream (fetch-with-failover.ts), so the check adds no stage per chunk.
 */
export type StreamStartCheck = (reader: ReadableStreamDefaultReader<Uint8Array>) => Promise<Uint8Array[] | null>;

export const checkSseStart: StreamStartCheck = (reader) => {
  // Only what the last read added is searched for the blank line (a first event that arrives in many
  // reads is scanned once, not once per read), from a little before it: the line break may straddle reads.
  let searched = 0;
  return readStart(reader, (text, capped) => {
    const boundary = blankLineAt(text, Math.max(0, searched - 3));
    searched = text.length;
    // A first event longer than the prefix read (an image's inlineData part, 1–2 MB) is judged by its head:
    // Gemini writes `candidates` first, so a real chunk has said so long before the cap.
    if (boundary === -1 && !capped) return 'more';
    const event = boundary === -1 ? text : text.slice(0, boundary);
    const data = event.startsWith('data:') ? event.slice(5).trimStart() : '';
    return data.startsWith('{') && isGenerateResponse(data) ? 'ok' : 'fault';
  });
};

/**
 * Where the first event ends: the start of the first `\r?\n\r?\n` (what `text.search` with that pattern
 * finds) whose first line feed is at or after `from`; -1 if there is none yet.
 */
function blankLineAt(text: string, from: number): number {
  for (let lf = text.indexOf('\n', from); lf !== -1; lf = text.indexOf('\n', lf + 1)) {
    const next = text.charCodeAt(lf + 1);
    if (next === 0x0a || (next === 0x0d && text.charCodeAt(lf + 2) === 0x0a))
      return lf > 0 && text.charCodeAt(lf - 1) === 0x0d ? lf - 1 : lf;
  }
  return -1;
}

/** The same check for `streamGenerateContent` without `alt=sse`: one JSON array, streamed. */
export const checkJsonArrayStart: StreamStartCheck = (reader) =>
  readStart(reader, (text) => {
    const trimmed = text.trimStart();
    if (trimmed === '') return 'more';
    if (!trimmed.startsWith('[')) return 'fault';
    const element = trimmed.slice(1).trimStart();
    if (element === '') return 'more';
    if (!element.startsWith('{')) return 'fault';
    return isGenerateResponse(element) ? 'ok' : element.length < 64 ? 'more' : 'fault';
  });

/** The first event is checked by field name, not parsed: enough to tell a real chunk, and cheap. */
function isGenerateResponse(text: string): boolean {
  return text.includes('"candidates"') || text.includes('"promptFeedback"');
}

/**
 * Largest prefix read to judge a stream's start: a text chunk is a few hundred bytes; a chunk carrying an
 * image is judged by this much of its head.
 */
const MAX_PREFIX = 64 * 1024;

/**
 * Reads from `reader` until `judge` decides; the chunks read, to be replayed, or null for a fault. Past
 * MAX_PREFIX the judge is asked once more with `capped` set and must decide; 'more' is then a fault.
 */
async function readStart(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  judge: (prefix: string, capped: boolean) => 'ok' | 'fault' | 'more',
): Promise<Uint8Array[] | null> {
  const decoder = new TextDecoder();
  const seen: Uint8Array[] = [];
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    // A stream that ends within its first event is as empty as no stream.
    if (done) return null;
    seen.push(value);
    text += decoder.decode(value, { stream: true });
    const capped = text.length > MAX_PREFIX;
    const verdict = judge(text, capped);
    if (verdict === 'ok') return seen;
    if (verdict === 'fault' || capped) return null;
  }
}
