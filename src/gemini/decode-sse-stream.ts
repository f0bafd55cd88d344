// measured: run `npm run bench` before changing (docs/performance.md).
/**
 * Server-sent events text, fed chunk by chunk → the `data` of each event, handed to `onData`, per the HTML
 * spec's parsing rules (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
 * lines end with CRLF, LF or CR (a CRLF split across two chunks counts once), `:` lines are comments, several
 * `data:` lines of one event join with "\n", one space after the colon is dropped, a blank line dispatches,
 * and an event the stream ends in the middle of is discarded. Gemini sends `data: {json}\r\n\r\n`.
 * Scans with indexOf and keeps the pieces of a line that spans chunks in a list, so a chunk costs time in
 * proportion to its own length only. A plain function rather than a TransformStream: it runs inside the one
 * stream stage that watches the upstream (create-chat-stream-step.ts), because each stage costs µs per chunk.
 */
export function createSseDecoder(onData: (data: string) => void): (chunk: string) => void {
  let pending: string[] = [];
  let data: string[] = [];
  let afterCR = false;
  let atStart = true;

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onData(data.length === 1 ? (data[0] as string) : data.join('\n'));
      data = [];
      return;
    }
    if (text.charCodeAt(0) === 0x3a) return;
    const colon = text.indexOf(':');
    // Only `data` matters here; Gemini sends no `event`, `id` or `retry`.
    if ((colon < 0 ? text : text.slice(0, colon)) !== 'data') return;
    data.push(colon < 0 ? '' : text.charCodeAt(colon + 1) === 0x20 ? text.slice(colon + 2) : text.slice(colon + 1));
  };

  return (chunk) => {
    const length = chunk.length;
    if (length === 0) return;
    let start = 0;
    if (atStart) {
      atStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (afterCR) {
      afterCR = false;
      if (chunk.charCodeAt(start) === 0x0a) start += 1;
    }
    let cr = chunk.indexOf('\r', start);
    let lf = chunk.indexOf('\n', start);
    while (cr >= 0 || lf >= 0) {
      const end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      const piece = chunk.slice(start, end);
      if (pending.length > 0) {
        pending.push(piece);
        line(pending.join(''));
        pending = [];
      } else line(piece);
      start = end + 1;
      if (end === cr) {
        if (start === length) afterCR = true;
        else if (chunk.charCodeAt(start) === 0x0a) start += 1;
      }
      if (cr >= 0 && cr < start) cr = chunk.indexOf('\r', start);
      if (lf >= 0 && lf < start) lf = chunk.indexOf('\n', start);
    }
    if (start < length) pending.push(start === 0 ? chunk : chunk.slice(start));
  };
}
