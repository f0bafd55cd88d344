// measured: run `npm run bench` before changing (docs/performance.md).
import { GatewayError } from '../errors';

/**
 * Server-sent events text, fed chunk by chunk → the `data` of each event, handed to `onData`, per the HTML
 * spec's parsing rules (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
 * lines end with CRLF, LF or CR (a CRLF split across two chunks counts once), `:` lines are comments, several
 * `data:` lines of one event join with "\n", one space after the colon is dropped, a blank line dispatches,
 * and an event the stream ends in the middle of is discarded. Gemini sends `data: {json}\r\n\r\n`.
 * Scans with indexOf and keeps the pieces of a line that spans chunks in a list, so a chunk costs time in
 * proportion to its own length only. A plain function rather than a TransformStream: it runs inside the one
 * stream stage that watches the upstream (create-chat-stream-step.ts), because each stage costs µs per chunk.
 * An event that grows past `maxEventLength` throws a GatewayError (502): that stage ends the stream with an
 * error event in the caller's protocol and releases the upstream.
 */
export function createSseDecoder(
  onData: (data: string) => void,
  maxEventLength = MAX_SSE_EVENT_LENGTH,
): (chunk: string) => void {
  let pending: string[] = [];
  let pendingLength = 0;
  let data: string[] = [];
  let dataLength = 0;
  let afterCR = false;
  let atStart = true;

  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onData(data.length === 1 ? (data[0] as string) : data.join('\n'));
      data = [];
      dataLength = 0;
      return;
    }
    if (text.charCodeAt(0) === 0x3a) return;
    const colon = text.indexOf(':');
    // Only `data` matters here; Gemini sends no `event`, `id` or `retry`.
    if ((colon < 0 ? text : text.slice(0, colon)) !== 'data') return;
    const value = colon < 0 ? '' : text.charCodeAt(colon + 1) === 0x20 ? text.slice(colon + 2) : text.slice(colon + 1);
    dataLength += value.length;
    if (dataLength > maxEventLength) throw tooLong(maxEventLength);
    data.push(value);
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
        pendingLength = 0;
      } else line(piece);
      start = end + 1;
      if (end === cr) {
        if (start === length) afterCR = true;
        else if (chunk.charCodeAt(start) === 0x0a) start += 1;
      }
      if (cr >= 0 && cr < start) cr = chunk.indexOf('\r', start);
      if (lf >= 0 && lf < start) lf = chunk.indexOf('\n', start);
    }
    if (start < length) {
      pendingLength += length - start;
      if (pendingLength + dataLength > maxEventLength) throw tooLong(maxEventLength);
      pending.push(start === 0 ? chunk : chunk.slice(start));
    }
  };
}

/**
 * The longest event (its unfinished line and data lines together, in UTF-16 units) held while it arrives.
 * Gemini sends one JSON object per event, an image as base64 inside it: 32 Mi characters hold a 24 MiB
 * image, more than any image model returns. A line that never ends would otherwise be buffered until the
 * memory runs out (256 MiB of line: +270 MiB RSS).
 */
export const MAX_SSE_EVENT_LENGTH = 32 * 1024 * 1024;

function tooLong(max: number): GatewayError {
  return new GatewayError(502, `The Gemini API sent a stream event longer than ${max} characters.`, {
    code: 'upstream_event_too_large',
  });
}
