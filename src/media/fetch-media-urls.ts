import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import type { GeminiInlineData } from '../gemini/gemini-types';
import { concatBytes } from '../http/concat-bytes';
import { linkAbort } from '../upstream/link-abort';
import { encodeBase64 } from './encode-base64';
import { isPublicHost } from './is-public-host';
import { sniffMimeType } from './sniff-mime-type';

/** Fetched media by the URL the client wrote; the pure converter looks URLs up here. */
export type MediaMap = ReadonlyMap<string, GeminiInlineData>;

const MAX_REDIRECTS = 3;
/** Distinct URLs one request may make us fetch. */
const MAX_URLS = 32;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A URL a client wrote, and where: the request field, for errors (`messages[1].content[0].image_url.url`). */
export interface MediaUrl {
  url: string;
  param: string;
}

/**
 * Downloads the media URLs a surface found in its request (distinct, data URLs left out) so its converter can
 * inline them (Gemini cannot fetch arbitrary URLs itself). Guarded against SSRF: https only, public hosts only (`isPublicHost`), redirects
 * followed by hand and re-checked, at most MAX_REDIRECTS. Bounded: MEDIA_TIMEOUT_MS per URL, and
 * MEDIA_MAX_BYTES for all of a request's media together (Gemini's own limit for inline data is 20 MB).
 */
export async function fetchMediaUrls(urls: readonly MediaUrl[], ctx: RequestContext): Promise<MediaMap> {
  if (urls.length === 0) return new Map();
  const first = urls[0] as MediaUrl;
  if (!ctx.config.fetchMediaUrls) {
    throw new GatewayError(
      400,
      `Media URLs are not fetched on this gateway (FETCH_MEDIA_URLS=false); send '${first.param}' as a data: URL (data:image/png;base64,…) instead.`,
      { param: first.param, code: 'invalid_media_url' },
    );
  }
  if (urls.length > MAX_URLS) {
    throw new GatewayError(400, `Too many media URLs (${urls.length}); at most ${MAX_URLS} per request.`, {
      param: topField(first.param),
      code: 'invalid_media_url',
    });
  }
  // One controller for all of the request's downloads, linked to the client once: a listener per URL on the
  // client's signal trips Node's MaxListenersExceededWarning past 10 URLs. Any failure fails the whole
  // request, so it aborts the downloads still running too.
  const link = linkAbort(ctx.signal);
  const budget = { remaining: ctx.config.mediaMaxBytes };
  try {
    return new Map(
      await Promise.all(
        urls.map(async (entry) => [entry.url, await fetchMedia(entry, ctx, budget, link.controller)] as const),
      ),
    );
  } catch (error) {
    link.controller.abort(error);
    throw error;
  } finally {
    link.unlink();
  }
}

/** The abort reason when one URL takes longer than MEDIA_TIMEOUT_MS; it names that URL's field. */
class MediaTimeout extends Error {
  constructor(readonly param: string) {
    super(`media timeout: ${param}`);
  }
}

async function fetchMedia(
  { url, param }: MediaUrl,
  ctx: RequestContext,
  budget: { remaining: number },
  downloads: AbortController,
): Promise<GeminiInlineData> {
  const fail: (reason: string, at?: string) => never = (reason, at = param) => {
    throw new GatewayError(400, `The media URL in '${at}' ${reason}`, { param: at, code: 'invalid_media_url' });
  };
  const timeoutMs = ctx.config.mediaTimeoutMs;
  const timer = setTimeout(() => downloads.abort(new MediaTimeout(param)), timeoutMs);
  try {
    let current = url;
    for (let redirects = 0; ; redirects += 1) {
      let target: URL;
      try {
        target = new URL(current);
      } catch {
        return fail('is not a valid URL.');
      }
      if (target.protocol !== 'https:') fail('must use https:// (or be a data: URL).');
      if (!isPublicHost(target.hostname))
        fail(`points to a host that is not public (${target.hostname}); only public https URLs are fetched.`);

      const response = await ctx.deps.fetch(target.href, {
        redirect: 'manual',
        signal: downloads.signal,
        headers: { accept: 'image/*, audio/*, video/*, application/pdf, text/*;q=0.5, */*;q=0.1' },
      });
      if (REDIRECTS.has(response.status)) {
        void response.body?.cancel().catch(() => {});
        const location = response.headers.get('location');
        if (!location) fail(`answered HTTP ${response.status} without a Location.`);
        if (redirects >= MAX_REDIRECTS) fail(`redirected more than ${MAX_REDIRECTS} times.`);
        current = new URL(location, target).href;
        continue;
      }
      if (!response.ok) {
        void response.body?.cancel().catch(() => {});
        fail(`could not be fetched: HTTP ${response.status}.`);
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > budget.remaining) fail(tooLarge(ctx.config.mediaMaxBytes));
      const bytes = await readCapped(response, budget, () => fail(tooLarge(ctx.config.mediaMaxBytes)));
      const declaredType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
      const mimeType =
        declaredType && declaredType !== 'application/octet-stream' && declaredType !== 'binary/octet-stream'
          ? declaredType
          : sniffMimeType(bytes.subarray(0, 16), target.pathname);
      if (!mimeType) fail('has no recognisable media type (no Content-Type, unknown file signature).');
      return { mimeType, data: encodeBase64(bytes) };
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    const reason: unknown = downloads.signal.reason;
    if (reason instanceof MediaTimeout) return fail(`did not answer within ${timeoutMs} ms.`, reason.param);
    // Aborted by the client, or because another URL of the request failed: that error is the answer.
    if (downloads.signal.aborted) throw reason instanceof GatewayError ? reason : error;
    return fail('could not be fetched (network error).');
  } finally {
    clearTimeout(timer);
  }
}

/** The request's top-level field a param lies in: `messages` for `messages[1].content[0].image_url.url`. */
function topField(param: string): string {
  return param.split(/[.[]/, 1)[0] ?? param;
}

function tooLarge(limit: number): string {
  return `is larger than the media limit of ${limit} bytes for one request (MEDIA_MAX_BYTES).`;
}

/** The body, stopping (and cancelling the download) as soon as the request's media budget is spent. */
async function readCapped(
  response: Response,
  budget: { remaining: number },
  overflow: () => never,
): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = (response.body as ReadableStream<Uint8Array<ArrayBuffer>>).getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    budget.remaining -= value.byteLength;
    if (budget.remaining < 0) {
      void reader.cancel().catch(() => {});
      overflow();
    }
    chunks.push(value);
  }
  return concatBytes(chunks, size);
}
