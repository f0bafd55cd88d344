/** One logical call to Gemini; `fetchWithFailover` sends it with one key after another until one succeeds. */
export interface UpstreamRequest {
  method: string;
  /** Path under the configured origin, already normalised, e.g. `/v1beta/models/gemini-2.5-flash:generateContent`. */
  path: string;
  /** Query string to send (with leading `?`, or empty); never contains `key`. */
  search: string;
  /** Extra headers (content-type, accept …); the key header is added per attempt. */
  headers?: Record<string, string>;
  /** Replayable body: sent again unchanged on each attempt. */
  body?: string | Uint8Array<ArrayBuffer> | null;
}
