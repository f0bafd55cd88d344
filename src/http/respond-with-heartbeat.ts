// measured: run `npm run bench` before changing (docs/performance.md).
import { asGatewayError, type GatewayError } from '../errors';
import { takeOverWatch } from '../upstream/watch-stream';

const encoder = new TextEncoder();
const KEEP_ALIVE = encoder.encode(': keep-alive\n\n');

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // Proxies in front of a self-hosted deployment (nginx and friends) must not buffer the stream.
  'x-accel-buffering': 'no',
};

export interface HeartbeatOptions {
  /** Wait this long for the real answer before starting the stream with keep-alive comments. */
  afterMs: number;
  /** Then send one SSE comment every `intervalMs`. */
  intervalMs: number;
  /** What is sent meanwhile: an SSE comment unless the protocol has its own keep-alive (Anthropic's `ping`). */
  keepAlive?: Uint8Array;
  /** The bytes that end the stream when the answer fails after the stream has started. */
  errorEvent: (failure: GatewayError | Response) => Promise<Uint8Array>;
}

/**
 * A streaming answer that may be slow to start. Vercel Edge must send its first byte within 25 s, and a
 * thinking model can take longer than that before its first chunk. If the answer is ready within
 * `afterMs` — including every fast failure: a bad key, quota on every key — it is returned as it is, with
 * its real status. Otherwise the stream starts now with status 200 and SSE comment lines (ignored by every
 * SSE client) keep the connection alive until the answer's body takes over; a failure from then on can
 * only be told as a final error event.
 */
export async function respondWithHeartbeat(answer: Promise<Response>, options: HeartbeatOptions): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const early = await Promise.race([
    answer.then(
      (response) => ({ response }),
      (error: unknown) => ({ error }),
    ),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), options.afterMs);
    }),
  ]);
  clearTimeout(timer);
  if (early) {
    if ('error' in early) throw early.error;
    return early.response;
  }

  // One stream stage, pull-through like the upstream's: a piped TransformStream costs several µs per chunk,
  // and slow starts are common (a thinking model often takes longer than HEARTBEAT_MS).
  let out!: ReadableStreamDefaultController<Uint8Array>;
  let interval: ReturnType<typeof setInterval> | undefined;
  let body: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** The answer's watch, taken over (watch-stream.ts): its chunks come straight into this stream. */
  let adopted: (() => Promise<void> | undefined) | undefined;
  let answerBody: ReadableStream<Uint8Array> | undefined;
  let gone = false;
  const keepAlive = options.keepAlive ?? KEEP_ALIVE;
  let arrived!: () => void;
  const answered = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const take = (result: ReadableStreamReadResult<Uint8Array>) => {
    if (gone) return;
    if (result.done) out.close();
    else out.enqueue(result.value);
  };
  const broke = (error: unknown) => {
    if (!gone) out.error(error);
  };
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
      controller.enqueue(keepAlive);
      interval = setInterval(() => controller.enqueue(keepAlive), options.intervalMs);
    },
    pull() {
      if (adopted) return adopted();
      if (body) return body.read().then(take, broke);
      // Keep-alives are pushed meanwhile; pulled again once the answer is in.
      return answered;
    },
    cancel(reason) {
      gone = true;
      clearInterval(interval);
      return adopted ? answerBody?.cancel(reason) : body?.cancel(reason);
    },
  });

  const finishWith = (failure: GatewayError | Response) =>
    options.errorEvent(failure).then((event) => {
      if (gone) return;
      out.enqueue(event);
      out.close();
    }, broke);
  void answer
    .then(
      (response) => {
        clearInterval(interval);
        if (!response.ok || !response.body) return finishWith(response);
        // A client that left while the answer was on its way: its body goes unread.
        if (gone) {
          response.body.cancel().catch(() => {});
          return;
        }
        // The upstream's watch (watch-stream.ts) is taken over when it can be: its chunks then come
        // straight into this stream, one stage instead of two (~0.3 µs per upstream read).
        adopted = takeOverWatch(response.body, out);
        if (adopted) answerBody = response.body;
        else body = response.body.getReader();
      },
      (error: unknown) => {
        clearInterval(interval);
        return finishWith(asGatewayError(error));
      },
    )
    .then(arrived, arrived);
  return new Response(readable, { status: 200, headers: SSE_HEADERS });
}
