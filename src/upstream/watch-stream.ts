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
  const finish = (error: unknown) => {
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
    if (cancelled) return;
    try {
      if (result.done) {
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
    } catch (error) {
      finish(error);
    }
  };
  const broke = (error: unknown) => {
    if (!cancelled) finish(error);
  };
  const next = (): Promise<void> | undefined =>
    replayed < prefix.length
      ? take({ done: false, value: prefix[replayed++] as Uint8Array })
      : reader.read().then(take, broke);

  return new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
    },
    pull: next,
    cancel(reason) {
      cancelled = true;
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
}
