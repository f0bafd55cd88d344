import { describe, expect, it } from 'vitest';
import { createSseDecoder, MAX_SSE_EVENT_LENGTH } from '../../../src/gemini/decode-sse-stream';

async function decode(chunks: string[]): Promise<string[]> {
  const events: string[] = [];
  const push = createSseDecoder((data) => events.push(data));
  for (const chunk of chunks) push(chunk);
  return events;
}

/** Every way of cutting `text` into two pieces, then into single characters. */
const splits = (text: string): string[][] => [
  ...Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]),
  [...text],
];

describe('createSseDecoder', () => {
  it.each([
    ['LF', 'data: a\n\ndata: b\n\n', ['a', 'b']],
    ['CRLF (Gemini)', 'data: {"x":1}\r\n\r\ndata: {"x":2}\r\n\r\n', ['{"x":1}', '{"x":2}']],
    ['CR', 'data: a\r\rdata: b\r\r', ['a', 'b']],
    ['comments', ': keep-alive\ndata: a\n: another\n\n', ['a']],
    ['multi-line data', 'data: line 1\ndata: line 2\ndata:\n\n', ['line 1\nline 2\n']],
    ['no space after the colon', 'data:a\n\n', ['a']],
    ['only one leading space dropped', 'data:  a\n\n', [' a']],
    ['field without colon', 'data\n\n', ['']],
    ['other fields ignored', 'event: message\nid: 1\nretry: 5\ndata: a\n\n', ['a']],
    ['blank lines without data dispatch nothing', '\n\n\ndata: a\n\n\n\n', ['a']],
    ['an unterminated last event is discarded', 'data: a\n\ndata: b', ['a']],
    ['a leading BOM is dropped', '\uFEFFdata: a\n\n', ['a']],
    ['a colon inside the value is kept', 'data: {"t":"a:b"}\n\n', ['{"t":"a:b"}']],
  ])('%s', async (_name, text, expected) => {
    expect(await decode([text])).toEqual(expected);
  });

  it('gives the same events however the text is split into chunks', async () => {
    const text = ': c\r\ndata: {"a":1}\r\ndata: x\r\n\r\ndata: b\n\ndata: c\r\r';
    for (const chunks of splits(text)) {
      expect(await decode(chunks)).toEqual(['{"a":1}\nx', 'b', 'c']);
    }
  });

  it('joins a line split over many chunks', async () => {
    const long = 'x'.repeat(10_000);
    const text = `data: ${long}\r\n\r\n`;
    const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
    expect(await decode(chunks)).toEqual([long]);
  });

  it('ignores empty chunks, also between CR and LF', async () => {
    expect(await decode(['data: a\r', '', '\n\r', '', '\n'])).toEqual(['a']);
  });

  // Issue 12 item 6: a line that never ends was buffered without limit (256 MiB of line: +270 MiB RSS).
  describe('bounds the event it holds', () => {
    const collect = (max: number) => {
      const events: string[] = [];
      return { events, push: createSseDecoder((data) => events.push(data), max) };
    };

    it('throws once an unfinished line passes the limit, across chunks', () => {
      const { push } = collect(100);
      push('data: ');
      for (let i = 0; i < 9; i++) push('x'.repeat(10));
      expect(() => push('x'.repeat(10))).toThrow(
        expect.objectContaining({ status: 502, code: 'upstream_event_too_large' }),
      );
    });

    it('throws once the data lines of one event pass the limit together', () => {
      const { push } = collect(100);
      expect(() => {
        for (let i = 0; i < 20; i++) push(`data: ${'x'.repeat(10)}\n`);
      }).toThrow(expect.objectContaining({ code: 'upstream_event_too_large' }));
    });

    it('passes events up to the limit, and counts each event afresh', () => {
      const { events, push } = collect(100);
      for (let i = 0; i < 5; i++) {
        push(`data: ${'x'.repeat(50)}`);
        push(`${'y'.repeat(50)}\r\n\r\n`);
      }
      expect(events).toEqual(Array.from({ length: 5 }, () => `${'x'.repeat(50)}${'y'.repeat(50)}`));
    });

    it('defaults to 32 Mi characters', () => {
      expect(MAX_SSE_EVENT_LENGTH).toBe(32 * 1024 * 1024);
    });
  });
});
