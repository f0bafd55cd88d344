/**
 * Public types of the fake Gemini upstream. Response shapes are deliberately loose (index signatures):
 * tests script odd or future-shaped replies on purpose, and the fake sends them as they are.
 */

export interface GeminiPartJSON {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name: string; args?: Record<string, unknown>; id?: string };
  inlineData?: { mimeType: string; data: string };
  [field: string]: unknown;
}

export interface GeminiCandidateJSON {
  content?: { role?: string; parts?: GeminiPartJSON[] };
  finishReason?: string;
  index?: number;
  safetyRatings?: unknown[];
  [field: string]: unknown;
}

export interface GeminiUsageJSON {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  totalTokenCount?: number;
  [field: string]: unknown;
}

/** A GenerateContentResponse (or any JSON a scripted step wants to send). */
export interface GeminiResponseJSON {
  candidates?: GeminiCandidateJSON[];
  promptFeedback?: { blockReason?: string; [field: string]: unknown };
  usageMetadata?: GeminiUsageJSON;
  modelVersion?: string;
  responseId?: string;
  [field: string]: unknown;
}

/** Key behaviours that answer with an error body (usable as `{ keyError }` script steps too). */
export type KeyErrorKind = 'bad' | 'leaked' | 'quota' | 'quotaday' | 'down' | 'err500' | 'location';

export type KeyBehaviour =
  | 'ok'
  | KeyErrorKind
  | 'drop'
  | 'stall'
  /** 200 and its headers, then part of the body at most, then silence, on every route (`hang-` keys). */
  | 'stall-after-headers'
  /**
   * 429 with this RetryInfo.retryDelay (e.g. '12.5s'); without `retryDelay` the body has no RetryInfo. With
   * `models`, only calls to those models are refused — Gemini's quotas are per project and per model — and
   * every other model answers as usual.
   */
  | { kind: 'quota' | 'quotaday'; retryDelay?: string; models?: readonly string[] };

export type FaultKind =
  | 'drop-before-headers'
  | 'stall'
  | 'drop-mid-stream'
  /** 200 and its headers (and, for a stream, the first chunk), then nothing more: the body never ends. */
  | 'stall-after-headers'
  /** An SSE stream whose first event is fine and whose second is one line that never ends (up to 64 MiB, then a stall). */
  | 'endless-sse-line';

export type Step =
  /** Non-stream: sent as the body. Stream: sent as one chunk. */
  | { reply: GeminiResponseJSON }
  /** Stream: these chunks, `delayMs` apart. Non-stream: the chunks merged the way the service aggregates. */
  | { chunks: GeminiResponseJSON[]; delayMs?: number; startDelayMs?: number }
  /** Any status with a JSON body (no body when `body` is undefined). */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Exact bytes, e.g. an HTML error page from a proxy; status 200 and text/plain unless given. */
  | { raw: string; status?: number; contentType?: string }
  /** `afterChunks` (default 1) is how many chunks `drop-mid-stream` sends before cutting the connection. */
  | { fault: FaultKind; afterChunks?: number }
  | { keyError: KeyErrorKind }
  | ((req: RecordedRequest) => Step);

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
  rawBody: string;
  key: string | undefined;
  keyIn: 'header' | 'query' | undefined;
  /** True when the client closed the connection before the fake finished answering. */
  aborted: boolean;
}

export interface StartOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Pause between stream chunks of default replies (and of `{ chunks }` steps without `delayMs`). */
  chunkDelayMs?: number;
  /** One line per request on stderr. */
  log?: boolean;
  /** Gzip bodies when the client accepts it, as Google does (default true). */
  gzip?: boolean;
  /** The largest `pageSize` ListModels honours (default 1000, like Google); smaller values force paging. */
  maxPageSize?: number;
}

export interface FakeGemini {
  origin: string;
  port: number;
  requests: RecordedRequest[];
  /** Queues behaviours, consumed FIFO by valid generate/stream/count/embed calls. */
  script(...steps: Step[]): void;
  /** Steps queued and not yet consumed. */
  readonly remainingSteps: number;
  /** Clears requests, script queue and per-key overrides. */
  reset(): void;
  setKey(key: string, behaviour: KeyBehaviour): void;
  /** A signature the fake will accept in Gemini 3 history, as if it had returned it earlier. */
  issueThoughtSignature(): string;
  /** Resolves once `predicate(requests)` holds; rejects after `timeoutMs` (default 2000). */
  waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves with the first request (optionally matching) that was aborted by its client. */
  waitForAbort(predicate?: (req: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Closes the server and destroys open sockets, stalled requests included. */
  close(): Promise<void>;
}
