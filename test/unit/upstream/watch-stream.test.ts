import { describe, expect, it, vi } from 'vitest';
import { type StreamStep, watchStream } from '../../../src/upstream/watch-stream';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string) => encoder.encode(text);

/** An upstream body handing out `chunks` one per read, then `ending` (an end, or an error). */
function upstream(chunks: string[], ending: { error?: unknown } = {}) {
  let next = 0;
  const cancelled: unknown[] = [];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(bytes(chunks[next++] as string));
      else if ('error' in ending) controller.error(ending.error);
      else controller.close();
    },
    cancel(reason) {
      cancelled.push(reason);
    },
  });
  return { reader: body.getReader(), cancelled };
}

async function readText(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value);
  }
}

/** A step that upper-cases what it gets, holds back chunks that are `-`, and marks its end and failures. */
const upperStep = (log: string[] = []): StreamStep => ({
  chunk: (chunk) => {
    const text = decoder.decode(chunk);
    return text === '-' ? undefined : bytes(text.toUpperCase());
  },
  end: () => bytes('|end'),
  fail: (error) => {
    log.push(String(error));
    return bytes('|failed');
  },
});

describe('watchStream', () => {
  it('without a step, passes the replayed prefix and then the rest unchanged', async () => {
    const { reader } = upstream(['c', 'd']);
    expect(await readText(watchStream(reader, { prefix: [bytes('a'), bytes('b')] }))).toBe('abcd');
  });

  it('runs the step on the prefix and on every chunk, reads on past chunks that complete nothing, ends with its end', async () => {
    const { reader } = upstream(['-', 'c', '-', '-', 'd']);
    const prefix = [bytes('-'), bytes('a'), bytes('-'), bytes('b')];
    expect(await readText(watchStream(reader, { prefix, step: upperStep() }))).toBe('ABCD|end');
  });

  it('ends a body that breaks off with the step’s last bytes, or lets the error through without them', async () => {
    const log: string[] = [];
    expect(
      await readText(
        watchStream(upstream(['a'], { error: new TypeError('terminated') }).reader, { step: upperStep(log) }),
      ),
    ).toBe('A|failed');
    expect(log).toEqual(['TypeError: terminated']);
    await expect(readText(watchStream(upstream(['a'], { error: new TypeError('terminated') }).reader))).rejects.toThrow(
      'terminated',
    );
  });

  it('a step that throws ends the stream through its fail, and the upstream is released', async () => {
    const log: string[] = [];
    const { reader, cancelled } = upstream(['a', 'boom', 'never']);
    const step: StreamStep = {
      ...upperStep(log),
      chunk: (chunk) => {
        if (decoder.decode(chunk) === 'boom') throw new Error('bad event');
        return chunk;
      },
    };
    expect(await readText(watchStream(reader, { step }))).toBe('a|failed');
    expect(log).toEqual(['Error: bad event']);
    expect(cancelled).toHaveLength(1);
  });

  it('a client that cancels cancels the upstream body, and the step sees no end', async () => {
    const end = vi.fn(() => undefined);
    let cancelled: unknown = null;
    const body = new ReadableStream<Uint8Array>({
      pull: () => new Promise(() => {}),
      cancel(reason) {
        cancelled = reason;
      },
    });
    const reader = watchStream(body.getReader(), { step: { end } }).getReader();
    void reader.read();
    await reader.cancel('client left');
    expect(cancelled).toBe('client left');
    expect(end).not.toHaveBeenCalled();
  });

  it("counts the idle time on the injected clock, not the platform's", async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const body = new ReadableStream<Uint8Array>({});
      const onIdle = vi.fn();
      watchStream(body.getReader(), { idle: { ms: 1000, now: () => clock, onIdle } });
      // The timer fires, but the request's clock says no time has passed: the watch re-arms.
      await vi.advanceTimersByTimeAsync(1000);
      expect(onIdle).not.toHaveBeenCalled();
      clock = 1000;
      await vi.advanceTimersByTimeAsync(1000);
      expect(onIdle).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('calls onIdle once no chunk has arrived for the idle time, counted from the last chunk', async () => {
    vi.useFakeTimers();
    try {
      let push!: (text: string) => void;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) => controller.enqueue(bytes(text));
        },
      });
      const onIdle = vi.fn();
      const reader = watchStream(body.getReader(), { idle: { ms: 1000, now: () => Date.now(), onIdle } }).getReader();
      const read = async () => decoder.decode((await reader.read()).value);
      await vi.advanceTimersByTimeAsync(800);
      push('a');
      expect(await read()).toBe('a');
      await vi.advanceTimersByTimeAsync(800);
      // 1600 ms since the start, but only 800 since the last chunk.
      expect(onIdle).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(250);
      expect(onIdle).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(5000);
      expect(onIdle).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
