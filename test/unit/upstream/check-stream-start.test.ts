import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJsonArrayStart, checkSseStart, type StreamStartCheck } from '../../../src/upstream/check-stream-start';

/** Runs a start check and, when it accepts, replays what it read in front of the rest, as the gateway does. */
async function accept(check: StreamStartCheck, response: Response): Promise<Response | null> {
  const reader = response.body!.getReader();
  const prefix = await check(reader);
  if (!prefix) return null;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of prefix) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}
const acceptSseStart = (response: Response) => accept(checkSseStart, response);
const acceptJsonArrayStart = (response: Response) => accept(checkJsonArrayStart, response);

const encoder = new TextEncoder();

/** A 200 whose body arrives in the given pieces. */
function streamed(...pieces: string[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const CHUNK = '{"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]}}]}';

describe('acceptSseStart', () => {
  it.each([
    ['one event', [`data: ${CHUNK}\r\n\r\n`]],
    ['an event split across reads', ['da', 'ta: {"candi', 'dates":[]}', '\r\n', '\r\n', `data: ${CHUNK}\r\n\r\n`]],
    ['LF line endings', [`data: ${CHUNK}\n\n`]],
    ['a blocked prompt', ['data: {"promptFeedback":{"blockReason":"SAFETY"}}\r\n\r\n']],
  ])('accepts %s and hands every byte on unchanged', async (_name, pieces) => {
    const accepted = await acceptSseStart(streamed(...pieces));
    expect(accepted).not.toBeNull();
    expect(accepted!.status).toBe(200);
    expect(accepted!.headers.get('content-type')).toBe('text/event-stream');
    expect(await accepted!.text()).toBe(pieces.join(''));
  });

  it.each([
    ['an empty body', ['']],
    ['a body that ends inside its first event', [`data: ${CHUNK}`]],
    ['an HTML page', ['<html><body>502 Bad Gateway</body></html>\n\n']],
    ['text that is not JSON', ['data: upstream exploded\r\n\r\n']],
    ['an event without candidates', ['data: {"usageMetadata":{}}\r\n\r\n']],
    ['an error event', ['data: {"error":{"code":500,"message":"x"}}\r\n\r\n']],
  ])('refuses %s', async (_name, pieces) => {
    expect(await acceptSseStart(streamed(...pieces))).toBeNull();
  });

  /** `text` cut into reads of `size` characters, as a network delivers a large event. */
  const reads = (text: string, size: number) =>
    Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

  it('accepts a first event larger than the prefix it reads (an image part of 1–2 MB) by its head', async () => {
    const image = 'A'.repeat(300_000);
    const event = `data: {"candidates":[{"content":{"role":"model","parts":[{"inlineData":{"mimeType":"image/png","data":"${image}"}}]}}]}\r\n\r\n`;
    const pieces = reads(`${event}data: ${CHUNK}\r\n\r\n`, 1400);
    const accepted = await acceptSseStart(streamed(...pieces));
    expect(accepted).not.toBeNull();
    expect(await accepted!.text()).toBe(pieces.join(''));
  });

  it('refuses a first event larger than the prefix that does not start like a Gemini chunk', async () => {
    expect(await acceptSseStart(streamed(...reads(`<html>${'x'.repeat(100_000)}</html>`, 1400)))).toBeNull();
    expect(
      await acceptSseStart(streamed(...reads(`data: {"usageMetadata":"${'x'.repeat(100_000)}"}`, 1400))),
    ).toBeNull();
  });
});

/** The first event judged on the whole text at once, as the check did before it searched read by read. */
function acceptsWhole(text: string): boolean {
  const boundary = text.search(/\r?\n\r?\n/);
  if (boundary === -1) return false;
  const event = text.slice(0, boundary);
  const data = event.startsWith('data:') ? event.slice(5).trimStart() : '';
  return data.startsWith('{') && (data.includes('"candidates"') || data.includes('"promptFeedback"'));
}

describe('acceptSseStart, however the first event is cut into reads', () => {
  it('judges the first event as the whole text would be judged, line breaks straddling reads included', async () => {
    const token = fc.constantFrom(
      '\r',
      '\n',
      '\r\n',
      'data:',
      'data: ',
      ' ',
      '{',
      '"candidates"',
      '"promptFeedback"',
      'x',
    );
    const body = fc.array(token, { maxLength: 16 }).map((tokens) => tokens.join(''));
    await fc.assert(
      fc.asyncProperty(body, fc.array(fc.nat(), { maxLength: 6 }), async (text, cuts) => {
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points].map((at, i) => text.slice(at, [...points, text.length][i]));
        const accepted = await acceptSseStart(streamed(...pieces));
        expect(accepted !== null).toBe(acceptsWhole(text));
        if (accepted) expect(await accepted.text()).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('acceptJsonArrayStart', () => {
  it.each([
    ['a pretty-printed array', ['[{\n  "candidates": [', `]}\n,\r\n${CHUNK}\n]`]],
    ['one element', [`[${CHUNK}]`]],
  ])('accepts %s unchanged', async (_name, pieces) => {
    const accepted = await acceptJsonArrayStart(streamed(...pieces));
    expect(await accepted!.text()).toBe(pieces.join(''));
  });

  it.each([
    ['an empty body', ['']],
    ['an object instead of an array', [CHUNK]],
    ['an HTML page', ['<html></html>']],
    ['an array of non-objects', ['[1,2,3]']],
    ['an empty array', ['[]']],
  ])('refuses %s', async (_name, pieces) => {
    expect(await acceptJsonArrayStart(streamed(...pieces))).toBeNull();
  });
});
