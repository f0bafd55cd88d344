import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GeminiResponseJSON } from '../fake-gemini';
import { openaiClient } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * Load through the local server: many concurrent streams, and one very long stream whose bytes must pass
 * through without the gateway holding on to them. The gateway runs in this process (the Edge Runtime is a
 * vm context here), so this process's heap is the gateway's heap plus the test's, which keeps its own
 * footprint constant by checking the reply piece by piece instead of collecting it.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({}, { chunkDelayMs: 500 });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

describe('200 concurrent streams', () => {
  it('all complete, each with its own reply, at the same time', { timeout: 60_000 }, async () => {
    const client = openaiClient(stack.url, 'k1,k2,k3');
    let open = 0;
    let peak = 0;
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const stream = await client.chat.completions.create({
          model: 'gpt-4o',
          messages: [{ role: 'user', content: `prompt ${i} please` }],
          stream: true,
        });
        open += 1;
        peak = Math.max(peak, open);
        let text = '';
        let finish: string | null = null;
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta.content ?? '';
          finish = chunk.choices[0]?.finish_reason ?? finish;
        }
        open -= 1;
        return { text, finish };
      }),
    );
    const elapsed = Date.now() - started;
    for (const [i, reply] of replies.entries())
      expect(reply).toEqual({ text: `Echo: prompt ${i} please`, finish: 'stop' });
    expect(stack.fake.requests).toHaveLength(200);
    // Served side by side, not one after another: each stream alone lasts ~1.5 s upstream (300 s in a row).
    expect(peak).toBeGreaterThanOrEqual(50);
    expect(elapsed).toBeLessThan(20_000);
  });
});

/**
 * A full garbage collection on demand. Heap size without one mostly measures garbage not yet collected (a
 * busy stream makes tens of MB of it between collections); after one, it is what is still held — what a
 * gateway that accumulates the reply would grow by.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** How much the live heap grew at most (and RSS, for the report), sampled while `run` goes on. */
async function peakHeapGrowth(run: (sample: () => void) => Promise<void>): Promise<{ heap: number; rss: number }> {
  collectGarbage();
  const base = process.memoryUsage();
  let heap = 0;
  let rss = 0;
  const sample = () => {
    collectGarbage();
    const now = process.memoryUsage();
    heap = Math.max(heap, now.heapUsed - base.heapUsed);
    rss = Math.max(rss, now.rss - base.rss);
  };
  await run(sample);
  sample();
  return { heap, rss };
}

describe('a very long stream', () => {
  const CHUNKS = 2_500;
  const FILLER = 'x'.repeat(16 * 1024);
  const TOTAL = CHUNKS * FILLER.length;
  /**
   * Chunk i: a part with its number, then a part with the filler — the same string in every chunk, so that the
   * fake's script costs 16 KB, not 40 MB, and the heap measures the gateway (a concatenated string would be
   * flattened into a copy of its own when the fake serialises it, and stay alive with the script).
   */
  const chunks = (): GeminiResponseJSON[] =>
    Array.from({ length: CHUNKS }, (_, i) => ({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: `<${i}>` }, { text: FILLER }] },
          index: 0,
          ...(i === CHUNKS - 1 ? { finishReason: 'STOP' } : {}),
        },
      ],
      usageMetadata: { promptTokenCount: 1, candidatesTokenCount: i + 1, totalTokenCount: i + 2 },
    }));

  /** Checks the reassembled reply as it arrives: the pieces in order, nothing lost, nothing doubled. */
  function verifier() {
    let expected = 0;
    let pending = '';
    let bytes = 0;
    return {
      push(text: string) {
        bytes += text.length;
        pending += text;
        for (;;) {
          const head = `<${expected}>`;
          if (pending.length < head.length + FILLER.length) break;
          if (!pending.startsWith(head) || pending.slice(head.length, head.length + FILLER.length) !== FILLER) {
            throw new Error(`piece ${expected} is wrong or out of order`);
          }
          pending = pending.slice(head.length + FILLER.length);
          expected += 1;
        }
      },
      done: () => ({ pieces: expected, leftover: pending.length, bytes }),
    };
  }

  it('passes through the OpenAI surface, reassembled exactly, without the heap growing with it', {
    timeout: 120_000,
  }, async () => {
    stack.fake.script({ chunks: chunks(), delayMs: 0 });
    const check = verifier();
    let finish: string | null = null;
    const growth = await peakHeapGrowth(async (sample) => {
      const stream = await openaiClient(stack.url, 'k1').chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'long' }],
        stream: true,
      });
      let n = 0;
      for await (const chunk of stream) {
        check.push(chunk.choices[0]?.delta.content ?? '');
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (++n % 250 === 0) sample();
      }
    });
    expect(check.done()).toEqual({ pieces: CHUNKS, leftover: 0, bytes: expect.any(Number) });
    expect(finish).toBe('stop');
    expect(growth.heap).toBeLessThan(TOTAL / 3);
    expect(growth.rss).toBeLessThan(TOTAL / 2);
  });

  it('passes through the native surface, reassembled exactly, without the heap growing with it', {
    timeout: 120_000,
  }, async () => {
    stack.fake.script({ chunks: chunks(), delayMs: 0 });
    const check = verifier();
    const decoder = new TextDecoder();
    let events = 0;
    const growth = await peakHeapGrowth(async (sample) => {
      const response = await fetch(`${stack.url}/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k1' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'long' }] }] }),
      });
      expect(response.status).toBe(200);
      let buffer = '';
      for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(bytes, { stream: true });
        for (;;) {
          const end = buffer.indexOf('\r\n\r\n');
          if (end < 0) break;
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 4);
          const json = JSON.parse(event.replace(/^data: /, '')) as GeminiResponseJSON;
          for (const part of json.candidates?.[0]?.content?.parts ?? []) check.push(part.text ?? '');
          if (++events % 250 === 0) sample();
        }
      }
      expect(buffer.trim()).toBe('');
    });
    expect(events).toBe(CHUNKS);
    expect(check.done()).toEqual({ pieces: CHUNKS, leftover: 0, bytes: expect.any(Number) });
    expect(growth.heap).toBeLessThan(TOTAL / 3);
    expect(growth.rss).toBeLessThan(TOTAL / 2);
  });
});
