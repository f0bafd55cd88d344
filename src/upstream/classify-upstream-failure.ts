import type { KeyFailure } from '../keys/key-pool';
import { readQuotaFailure } from './read-quota-failure';

/**
 * Whether an upstream answer is the key's or the moment's fault (try the next key) or the client's own
 * mistake (answer at once). Gemini reports a bad key as 400 INVALID_ARGUMENT with reason API_KEY_INVALID,
 * not 401, so the body decides, not only the status. Its 400 FAILED_PRECONDITION "User location is not
 * supported" is the deployment's region, shared by every key: answered at once, no key rested.
 * https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 */
export type FailureVerdict = { failover: false } | { failover: true; failure: KeyFailure };

const TRANSIENT = new Set([500, 502, 503, 504]);

/** `model`: the model the request named, for a per-model quota whose 429 leaves it out. */
export function classifyUpstreamFailure(status: number, body: string, model: string | null = null): FailureVerdict {
  if (status === 429) {
    const quota = readQuotaFailure(body, model);
    return {
      failover: true,
      failure: { kind: 'rate-limited', retryDelayMs: quota.retryDelayMs, window: quota.window, model: quota.model },
    };
  }
  if (status === 401 || status === 403) return { failover: true, failure: { kind: 'rejected' } };
  if (status === 400 && body.includes('API_KEY_INVALID')) return { failover: true, failure: { kind: 'rejected' } };
  if (TRANSIENT.has(status)) return { failover: true, failure: { kind: 'transient' } };
  return { failover: false };
}

/** `google.rpc.RetryInfo.retryDelay` ("34s", "12.5s") from a Gemini error body, in ms; null when absent. */
export function parseRetryDelay(body: string): number | null {
  return readQuotaFailure(body, null).retryDelayMs;
}
