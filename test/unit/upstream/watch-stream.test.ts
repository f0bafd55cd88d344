import { describe, expect, it, vi } from 'vitest';
import { type StreamStep, takeOverWatch, watchStream } from '../../../src/upstream/watch-stream';

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

  describe('taken over by another stage (takeOverWatch)', () => {
    /** A stage that takes the watch over the way respond-with-heartbeat.ts does. */
    async function adopt(watched: ReturnType<typeof watchStream>): Promise<ReadableStream<Uint8Array>> {
      // Let the watch's own first pull run, as it does while the answer travels back.
      await new Promise((resolve) => setTimeout(resolve, 5));
      let adopted: (() => Promise<void> | undefined) | undefined;
      const stage = new ReadableStream<Uint8Array>({
        start(controller) {
          adopted = takeOverWatch(watched, controller);
        },
        pull: () => adopted?.(),
        cancel: (reason) => watched.cancel(reason),
      });
      expect(adopted).toBeDefined();
      return stage;
    }

    /** The adopting stage's text. */
    async function adoptAndRead(watched: ReturnType<typeof watchStream>): Promise<string> {
      const text = await readText(await adopt(watched));
      // Never read as a stream: every chunk went through the one stage that took it over.
      expect(watched.locked).toBe(false);
      return text;
    }

    it('passes on what reading it would, the chunk its own first pull queued included', async () => {
      for (const prefix of [[], ['-'], ['a'], ['-', 'a', '-', 'b']]) {
        const chunks = ['-', 'c', '-', '-', 'd'];
        const read = await readText(
          watchStream(upstream(chunks).reader, { prefix: prefix.map(bytes), step: upperStep() }),
        );
        const adopted = await adoptAndRead(
          watchStream(upstream(chunks).reader, { prefix: prefix.map(bytes), step: upperStep() }),
        );
        expect(adopted).toBe(read);
      }
    });

    it('ends a body that breaks off with the step’s last bytes, and passes a cancel on to the upstream', async () => {
      const log: string[] = [];
      const broken = upstream(['a'], { error: new TypeError('terminated') });
      expect(await adoptAndRead(watchStream(broken.reader, { prefix: [bytes('p')], step: upperStep(log) }))).toBe(
        'PA|failed',
      );
      expect(log).toEqual(['TypeError: terminated']);

      let cancelled: unknown = null;
      const body = new ReadableStream<Uint8Array>({
        pull: () => new Promise(() => {}),
        cancel(reason) {
          cancelled = reason;
        },
      });
      const watched = watchStream(body.getReader(), { prefix: [bytes('p')] });
      const reader = (await adopt(watched)).getReader();
      expect(decoder.decode((await reader.read()).value)).toBe('p');
      void reader.read();
      await reader.cancel('client left');
      expect(cancelled).toBe('client left');
    });

    it('is refused once the stream has a reader, has been read or is over (it is then read as a stream), and for any other stream', async () => {
      const controller = { enqueue: vi.fn() } as unknown as ReadableStreamDefaultController<Uint8Array>;
      const locked = watchStream(upstream(['a', 'b']).reader);
      const reader = locked.getReader();
      expect(takeOverWatch(locked, controller)).toBeUndefined();
      expect(decoder.decode((await reader.read()).value)).toBe('a');

      const read = watchStream(upstream(['a', 'b', 'c']).reader);
      const first = read.getReader();
      await first.read();
      first.releaseLock();
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(takeOverWatch(read, controller)).toBeUndefined();

      const over = watchStream(upstream([]).reader);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(takeOverWatch(over, controller)).toBeUndefined();
      // A stream that is no watch at all.
      expect(takeOverWatch(new ReadableStream<Uint8Array>(), controller)).toBeUndefined();
      expect(controller.enqueue).not.toHaveBeenCalled();
    });
  });
});
