import type { Deps, RequestContext } from '../context';
import { linkAbort } from './link-abort';

/** The abort reason when the request's deadline passed (as opposed to the client leaving). */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
}

/** Upstream work under the request's deadline; `close` it when the work is over. */
export interface DeadlineScope {
  /** Aborts when the client leaves or the deadline passes, whichever comes first. */
  readonly signal: AbortSignal;
  /** Whether the deadline (not the client) ended the scope. */
  expired(): boolean;
  /** A stream has started and keeps its own stall watch: the deadline stops, the link to the client stays. */
  stopTimer(): void;
  /** Stops the timer and releases the client's signal. */
  close(): void;
}

/**
 * One deadline per request: REQUEST_DEADLINE_MS after the request arrived, whatever it does meanwhile —
 * every upstream call of the request (embedding batches, model pages, key checks) and every body read is
 * measured against the same instant, not given a fresh allowance. Vercel Edge must start answering within
 * 25 s, and a deadline per call let a request run for its number of calls times that. Each scope arms one
 * timer for the time that is left and drops it on `close`, so nothing outlives the request's upstream work.
 * `minMs` lengthens the deadline for streams, whose start may take up to STREAM_IDLE_TIMEOUT_MS.
 */
/**
 * When the request's deadline passes, on deps.now's clock: what openDeadline arms its timer for.
 * fetchWithFailover reads it to arm one timer per attempt for the attempt's timeout or the deadline,
 * whichever comes first, instead of a scope of its own (a controller, a listener and a timer more on
 * every request: docs/performance.md).
 */
export function deadlineOf(ctx: Pick<RequestContext, 'startedAt' | 'config'>, minMs = 0): number {
  return ctx.startedAt + Math.max(ctx.config.requestDeadlineMs, minMs);
}

export function openDeadline(
  ctx: Pick<RequestContext, 'signal' | 'startedAt' | 'config'> & { deps: Pick<Deps, 'now'> },
  minMs = 0,
): DeadlineScope {
  const link = linkAbort(ctx.signal);
  const { controller } = link;
  const expire = () => controller.abort(new DeadlineExceeded('The request deadline (REQUEST_DEADLINE_MS) passed.'));
  const remaining = deadlineOf(ctx, minMs) - ctx.deps.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (remaining <= 0) expire();
  else timer = setTimeout(expire, remaining);
  return {
    signal: controller.signal,
    expired: () => controller.signal.reason instanceof DeadlineExceeded,
    stopTimer: () => clearTimeout(timer),
    close: () => {
      clearTimeout(timer);
      link.unlink();
    },
  };
}
