import type { StreamStartCheck } from './check-stream-start';
import type { StreamStep } from './watch-stream';

/** One logical call to Gemini; `fetchWithFailover` sends it with one key after another until one succeeds. */
export interface UpstreamRequest {
  method: string;
  /** Path under the configured origin, already normalised, e.g. `/v1beta/models/gemini-3.8-flash:generateContent`. */
  path: string;
  /** Query string to send (with leading `?`, or empty); never contains `key`. */
  search: string;
  /** Extra headers (content-type, accept …); the key header is added per attempt. */
  headers?: Record<string, string>;
  /** Replayable body: sent again unchanged on each attempt. */
  body?: string | Uint8Array<ArrayBuffer> | null;
  /**
   * A streaming call: attempts wait up to STREAM_IDLE_TIMEOUT_MS for the upstream to start (thinking models
   * take long before their first chunk) and the body is watched for stalls between chunks.
   */
  stream?: boolean;
  /**
   * For the native passthrough, which does not read request bodies: a 2xx event stream is passed on as a
   * stream (stall watch, no deadline after its start) even when `stream` is not set — the Interactions API
   * streams when its body says `"stream": true`. Any other 2xx is read whole under the request's deadline.
   */
  mayStream?: boolean;
  /**
   * For streams: what the surface does to the body, chunk by chunk, in the one stage that also watches it
   * for stalls (watch-stream.ts) — the OpenAI surface converts it there; the native one only ends a body that
   * breaks off (the connection drops, or it stalls past the idle timeout) with an error event in Gemini's
   * format. Without a step the body passes unchanged and a break errors it.
   */
  streamStep?: (response: Response) => StreamStep;
  /**
   * Checks a whole 2xx answer's bytes before it counts as a success: false when the answer is an upstream
   * fault (an empty or non-JSON 200) that the next key should retry. The bytes are the body of the Response
   * fetchWithFailover then resolves with — or, when the check says `'taken'` (the caller keeps them and
   * reads the answer from them), fetchWithFailover resolves with the upstream Response itself, its body
   * already read: only its status and headers are for the caller. Every Response body is a web stream's
   * work (docs/performance.md).
   */
  acceptSuccess?: (bytes: Uint8Array<ArrayBuffer>) => boolean | 'taken';
  /** For streams: reads the first event and says whether the stream really started (see accept-stream-start.ts). */
  checkStreamStart?: StreamStartCheck;
}
