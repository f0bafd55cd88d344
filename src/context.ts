import type { Config } from './config';
import type { ContentMemo } from './http/content-memo';
import type { KeyPool } from './keys/key-pool';
import type { KeyState, RequestLedger } from './keys/key-state';
import type { Logger } from './log';

/** What the gateway takes from the outside world; tests inject fakes for every one of them. */
export interface Deps {
  fetch: typeof fetch;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** A unique id per call (request ids, `chatcmpl-` ids). */
  newId: () => string;
  /** Receives one JSON log line at a time. */
  logSink: (line: string) => void;
}

/** Everything one request's handling needs: its keys, its id, its logger and the shared services. */
export interface RequestContext {
  readonly requestId: string;
  readonly config: Config;
  readonly deps: Deps;
  readonly pool: KeyPool;
  readonly log: Logger;
  /** The Gemini keys this request may use, trimmed and de-duplicated, in the client's order. */
  readonly keys: readonly string[];
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** When the request arrived (deps.now()): the request deadline counts from here (upstream/open-deadline.ts). */
  readonly startedAt: number;
  /** Filled in while handling, reported on the request's log line. */
  readonly stats: RequestStats;
  /** The pool's state beyond this request (shared state, usage numbers); absent in unit tests that need none. */
  readonly keyState?: KeyState;
  /**
   * This request's upstream calls and tokens. Surfaces report an answer's token counts with
   * `usage.tokens(usageMetadata)` — the whole answer's, or a stream's last chunk's.
   */
  readonly usage?: RequestLedger;
  /** What this instance derived from request parts clients repeat (tool lists); absent in unit tests. */
  readonly memo?: ContentMemo;
}

export interface RequestStats {
  route: string;
  attempts: number;
  upstreamStatus: number | null;
  keyFingerprint: string | null;
  keySource: 'client' | 'server' | 'none';
  /** Seconds until the first of the request's keys is ready again: sent as `retry-after` on a 429. */
  retryAfterSeconds?: number;
}
