import { asGatewayError, type GatewayError } from '../errors';

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

  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const ping = () => void writer.write(KEEP_ALIVE).catch(() => clearInterval(interval));
  ping();
  const interval = setInterval(ping, options.intervalMs);
  const finishWith = async (failure: GatewayError | Response) => {
    try {
      await writer.write(await options.errorEvent(failure));
      await writer.close();
    } catch {
      // The client is gone: nothing left to tell.
    }
  };
  void answer.then(
    async (response) => {
      clearInterval(interval);
      if (!response.ok || !response.body) return finishWith(response);
      writer.releaseLock();
      await response.body.pipeTo(writable).catch(() => {});
    },
    (error: unknown) => {
      clearInterval(interval);
      return finishWith(asGatewayError(error));
    },
  );
  return new Response(readable, { status: 200, headers: SSE_HEADERS });
}
