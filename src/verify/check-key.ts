import { fingerprint } from '../keys/fingerprint';
import { parseRetryDelay } from '../upstream/classify-upstream-failure';
import { linkAbort } from '../upstream/link-abort';
import { readBoundedText } from '../upstream/read-bounded-text';
import { maskKey } from './mask-key';

/** Most of an answer read to judge a key: its error message is quoted to 300 characters. */
const MAX_CHECK_BODY = 64 * 1024;

export type KeyVerdict = 'ok' | 'invalid' | 'denied' | 'rate-limited' | 'unreachable';

export interface KeyCheck {
  key: string;
  fingerprint: string;
  verdict: KeyVerdict;
  httpStatus: number | null;
  retryDelayMs: number | null;
  message: string;
}

export interface CheckKeyOptions {
  fetch: typeof fetch;
  baseUrl: string;
  timeoutMs: number;
  /** The request's deadline scope: aborts when the client leaves or the deadline passes. */
  signal: AbortSignal;
}

/**
 * One key's health, from a call that spends no generation quota: listing one model. Gemini answers a bad
 * key with 400 API_KEY_INVALID, a leaked or suspended one with 403, an exhausted one with 429.
 */
export async function checkKey(key: string, options: CheckKeyOptions): Promise<KeyCheck> {
  const base = { key: maskKey(key), fingerprint: fingerprint(key) };
  // Linked, not listened to: a signal that has already aborted (the request's deadline passed while other
  // keys were checked) must stop this check before it calls the upstream.
  const { controller, unlink } = linkAbort(options.signal);
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    if (controller.signal.aborted) throw controller.signal.reason;
    const response = await options.fetch(`${options.baseUrl}/v1beta/models?pageSize=1`, {
      headers: { 'x-goog-api-key': key },
      signal: controller.signal,
    });
    const body = await readBoundedText(response, MAX_CHECK_BODY);
    // A body cut off by the timeout or the deadline says nothing about the key.
    if (controller.signal.aborted) throw controller.signal.reason;
    const message = upstreamMessage(body);
    if (response.ok)
      return { ...base, verdict: 'ok', httpStatus: response.status, retryDelayMs: null, message: 'The key works.' };
    if (response.status === 429) {
      return { ...base, verdict: 'rate-limited', httpStatus: 429, retryDelayMs: parseRetryDelay(body), message };
    }
    if (response.status === 400 || response.status === 401) {
      return { ...base, verdict: 'invalid', httpStatus: response.status, retryDelayMs: null, message };
    }
    if (response.status === 403) return { ...base, verdict: 'denied', httpStatus: 403, retryDelayMs: null, message };
    return { ...base, verdict: 'unreachable', httpStatus: response.status, retryDelayMs: null, message };
  } catch {
    const message = controller.signal.aborted ? 'No answer in time.' : 'The Gemini API could not be reached.';
    return { ...base, verdict: 'unreachable', httpStatus: null, retryDelayMs: null, message };
  } finally {
    clearTimeout(timer);
    unlink();
  }
}

function upstreamMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message.slice(0, 300);
  } catch {
    // Not JSON (an HTML error page): say nothing of its content.
  }
  return 'Unexpected answer from the Gemini API.';
}
