/**
 * How much converted JSON Schema one request may produce, across all its schemas (every tool's `parameters`
 * and `response_format`), in UTF-16 code units of the JSON it becomes (bytes, for the ASCII that schemas
 * are). The conversion copies a `$ref`'s definition into every place that uses it, so without a bound an
 * 88 kB request became a 48 MB upstream body and a few parallel ones took gigabytes; the converter spends
 * this budget node by node as it builds them and stops with a 400 when it runs out.
 */
export interface SchemaBudget {
  readonly limit: number;
  /** What is left; the converter subtracts from it. */
  left: number;
}

/** Room for any real schema set, small requests included: tool schemas rarely total more than a few 10 kB. */
export const MIN_SCHEMA_BUDGET = 1024 * 1024;
/** How far schemas may grow relative to the request that carries them (definitions used a few times each). */
const GROWTH = 16;

/**
 * The budget for a request of `requestSize` (characters of its body): up to GROWTH times its size, at least
 * MIN_SCHEMA_BUDGET, and never more than the request's size plus MAX_BODY_BYTES — so the upstream body stays
 * within about three times the largest body the gateway accepts, whatever the client sends.
 */
export function createSchemaBudget(requestSize: number, maxBodyBytes: number): SchemaBudget {
  const limit = Math.min(Math.max(MIN_SCHEMA_BUDGET, GROWTH * requestSize), requestSize + maxBodyBytes);
  return { limit, left: limit };
}
