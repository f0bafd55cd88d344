import { describe, expect, it } from 'vitest';
import { createSseDecoder } from '../../../src/gemini/decode-sse-stream';

async function decode(chunks: string[]): Promise<string[]> {
  const events: string[] = [];
  const push = createSseDecoder((data) => events.push(data));
  for (const chunk of chunks) push(chunk);
  return events;
}

/** Every way of cutting `text` into two pieces, then into single characters. */
const splits = (text: string): string[][] => [...Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]), [...text]];

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
});
