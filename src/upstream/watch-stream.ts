// measured: run `npm run bench` before changing (docs/performance.md).
/**
 * What a surface does to a streamed upstream body, one upstream chunk at a time, inside the one stream stage
 * that watches it (`watchStream`): plain synchronous functions, because every stream stage a chunk passes
 * through costs about a microsecond, a piped TransformStream five (docs/performance.md). Each function may
 * be absent: chunks then pass unchanged, the end adds nothing, a failure errors the stream.
 */
export interface StreamStep {
  /** What one upstream chunk becomes; undefined when it completes nothing yet (the stage reads on). */
  chunk?: (bytes: Uint8Array) => Uint8Array | undefined;
  /** The last bytes once the upstream body has ended. */
  end?: () => Uint8Array | undefined;
  /**
   * The bytes that end the stream instead of `error` — the upstream broke off or stalled, or `chunk` or `end`
   * threw — in the surface's format; undefined lets the error through to the reader.
   */
  fail?: (error: unknown) => Uint8Array | undefined;
}

export interface WatchOptions {
  /** Chunks already read from `reader` (the stream-start check's), passed on first, through the step. */
  prefix?: readonly Uint8Array[];
  step?: StreamStep;
  /** Called once when no chunk has arrived for `ms`: it should abort the upstream, which ends the read. */
  idle?: { ms: number; now: () => number; onIdle: () => void };
}

type TakeOver = (
  controller: ReadableStreamDefaultController<Uint8Array>,
) => (() => Promise<void> | undefined) | undefined;

/**
 * Each live watched stream's takeover (takeOverWatch). A weak side table, not state: an entry lives as long
 * as its stream and holds nothing of any other request. Not a property on the stream: an own property gives
 * the stream objects a second shape, which made Node's web-stream internals slower on every stream (~3-5 %
 * of a whole chat stream, measured).
 */
const takeovers = new WeakMap<ReadableStream<Uint8Array>, TakeOver>();

/**
 * A stage that would read a stream from watchStream chunk by chunk (the keep-alive stream of a slow start,
 * respond-with-heartbeat.ts) can instead take the watch over: what the watch passes on goes to `controller`
 * from now on (first the chunk its own queue holds), and the function returned is the new stage's `pull`, so
 * the chunks still pass one stage, not two. The stream itself is then left unread; cancelling it still
 * cancels the upstream. Undefined for any other stream, or when the watch cannot be taken over any more —
 * it has a reader, has been read, has a read under way or is over: it is then read as a stream.
 */
export function takeOverWatch(
  stream: ReadableStream<Uint8Array>,
  controller: ReadableStreamDefaultController<Uint8Array>,
): (() => Promise<void> | undefined) | undefined {
  return takeovers.get(stream)?.(controller);
}

/**
 * The one stream stage between an upstream body and the client: replays `prefix`, runs `step` on each chunk,
 * and notices a stall — a stream that stalls mid-way must end, not hang until the platform kills it. One timer
 * per stream, re-armed lazily from the time of the last chunk, so chunks cost no timer calls. A client that
 * cancels cancels the upstream body (and nothing more reaches `step`). Written with plain promise callbacks
 * made once per stream: an async function costs about a microsecond more per chunk.
 */
export function watchStream(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  options: WatchOptions = {},
): ReadableStream<Uint8Array> {
  const { prefix = [], step = {}, idle } = options;
  const { chunk: map, end, fail } = step;
  let replayed = 0;
  let cancelled = false;
  // The request's injected clock; a stream without a stall watch times nothing.
  const now = idle?.now;
  let lastChunkAt = now?.() ?? 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (idle) {
    const { ms, onIdle, now: clock } = idle;
    const arm = (delay: number) => {
      timer = setTimeout(() => {
        const quiet = clock() - lastChunkAt;
        if (quiet >= ms) onIdle();
        else arm(ms - quiet);
      }, delay);
    };
    arm(ms);
  }

  let out!: ReadableStreamDefaultController<Uint8Array>;
  // For a takeover (takeOverWatch): how often the stream's own pull ran, the last chunk it queued, whether an
  // upstream read is under way, whether the stream is over, and whether it was taken over.
  let pulls = 0;
  let queued: Uint8Array | undefined;
  let reading = false;
  let over = false;
  let adopted = false;
  const finish = (error: unknown) => {
    over = true;
    clearTimeout(timer);
    let last: Uint8Array | undefined;
    try {
      last = fail?.(error);
    } catch (failure) {
      error = failure;
    }
    if (last) {
      out.enqueue(last);
      out.close();
    } else out.error(error);
    // The upstream may still be open (the step refused what it sent): release it.
    reader.cancel(error).catch(() => {});
  };
  const take = (result: ReadableStreamReadResult<Uint8Array>): Promise<void> | undefined => {
    reading = false;
    if (cancelled) return;
    try {
      if (result.done) {
        over = true;
        clearTimeout(timer);
        const last = end?.();
        if (last) out.enqueue(last);
        out.close();
        return;
      }
      if (now) lastChunkAt = now();
      const bytes = map ? map(result.value) : result.value;
      // An upstream chunk may complete nothing: read on until there is something to pass on.
      if (!bytes) return next();
      out.enqueue(bytes);
      if (pulls === 1) queued = bytes;
    } catch (error) {
      finish(error);
    }
  };
  const broke = (error: unknown) => {
    if (!cancelled) finish(error);
  };
  const next = (): Promise<void> | undefined => {
    if (replayed < prefix.length) return take({ done: false, value: prefix[replayed++] as Uint8Array });
    reading = true;
    return reader.read().then(take, broke);
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
    },
    pull() {
      // Taken over: a pull that never settles, so the stream never pulls again (one per stream, not a shared
      // promise, which would keep every such stream's callbacks alive).
      if (adopted) return new Promise<void>(() => {});
      pulls += 1;
      return next();
    },
    cancel(reason) {
      cancelled = true;
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
  takeovers.set(stream, (controller) => {
    // No reader yet, and only its own first pull may have run, to the end: its chunk is still queued, unread.
    if (stream.locked || pulls > 1 || reading || over || adopted) return undefined;
    adopted = true;
    if (queued) controller.enqueue(queued);
    out = controller;
    return next;
  });
  return stream;
}
