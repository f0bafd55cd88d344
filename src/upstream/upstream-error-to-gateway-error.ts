import { GatewayError, openAITypeForStatus } from '../errors';
import { explainUnsupportedLocation } from '../gemini/explain-unsupported-location';

/** The longest non-JSON upstream body quoted in a message (an HTML error page says little more). */
const MAX_TEXT_MESSAGE = 200;
/**
 * How much of a non-JSON body is looked at for that excerpt: bodies come from the upstream (or a relay in
 * front of it) and may be 256 kB of anything, so the scan is bounded before it starts.
 */
const MAX_TEXT_SCAN = 8 * 1024;

/**
 * A non-2xx Gemini answer → the GatewayError a `/v1` client sees: the same status (so the openai SDK raises
 * the matching class and retries only 408/409/429/5xx), Gemini's own message, OpenAI's `type` for the
 * status and a `code` OpenAI clients know. Gemini reports a bad key as 400 with reason API_KEY_INVALID
 * (https://ai.google.dev/gemini-api/docs/troubleshooting), so the code looks at the body too.
 */
export async function upstreamErrorToGatewayError(response: Response): Promise<GatewayError> {
  const body = await response.text().catch(() => '');
  const contentType = response.headers.get('content-type');
  const status = response.status;
  const location = explainUnsupportedLocation(status, body);
  if (location) {
    // OpenAI's own code for a caller in a country it does not serve, which its clients already know.
    return new GatewayError(status, location.message, {
      code: 'unsupported_country_region_territory',
      upstream: { status, body, contentType },
    });
  }
  let message: string | undefined;
  let reason: string | undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown; status?: unknown; details?: unknown } };
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
    if (Array.isArray(parsed.error?.details)) {
      for (const detail of parsed.error.details as { reason?: unknown }[]) {
        if (typeof detail?.reason === 'string') reason = detail.reason;
      }
    }
  } catch {
    // Not JSON (a proxy's HTML page): a short excerpt below.
  }
  if (!message) {
    const text = excerptOfPage(body);
    message = text
      ? `The Gemini API answered HTTP ${status}: ${text.length > MAX_TEXT_MESSAGE ? `${text.slice(0, MAX_TEXT_MESSAGE)}…` : text}`
      : `The Gemini API answered HTTP ${status}.`;
  }
  return new GatewayError(status, message, {
    type: openAITypeForStatus(status),
    code: codeFor(status, reason, message),
    upstream: { status, body, contentType },
  });
}

/**
 * The readable text at the start of an error page: tags dropped, whitespace collapsed. A tag-stripping
 * regex like `/<[^>]*>/g` rescans to the end of the body from every `<` that is never closed (quadratic:
 * a 256 kB page of `<` blocked the process for 44 s); this walks the bounded prefix once.
 */
export function excerptOfPage(body: string): string {
  const page = body.slice(0, MAX_TEXT_SCAN);
  let text = '';
  let at = 0;
  while (at < page.length) {
    const open = page.indexOf('<', at);
    if (open < 0) {
      text += page.slice(at);
      break;
    }
    text += `${page.slice(at, open)} `;
    const close = page.indexOf('>', open + 1);
    // A `<` with no `>` after it is text, kept with the rest.
    if (close < 0) {
      text += page.slice(open);
      break;
    }
    at = close + 1;
  }
  return text.replace(/\s+/g, ' ').trim();
}

function codeFor(status: number, reason: string | undefined, message: string): string | null {
  const aboutKey = reason === 'API_KEY_INVALID' || /api key/i.test(message);
  if (aboutKey && (status === 400 || status === 401 || status === 403)) return 'invalid_api_key';
  switch (status) {
    case 401:
      return 'invalid_api_key';
    case 403:
      return 'permission_denied';
    case 404:
      return 'model_not_found';
    case 429:
      return 'rate_limit_exceeded';
    case 503:
      return 'server_overloaded';
    default:
      return status >= 500 ? 'upstream_error' : null;
  }
}
