import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { SSE_HEADERS } from '../http/respond-with-heartbeat';
import { checkSseStart } from './check-stream-start';
import { fetchWithFailover } from './fetch-with-failover';
import { upstreamErrorToGatewayError } from './upstream-error-to-gateway-error';
import type { UpstreamRequest } from './upstream-request';
import type { StreamStep } from './watch-stream';

/**
 * A streaming generateContent through the key pool, every surface's way: the stream must start (its first
 * event checked) before a key counts as answered, and the body that comes back is already the surface's
 * protocol, converted by its step in the one stream stage. Throws a GatewayError when no key gave a stream.
 */
export async function openSseStream(
  ctx: RequestContext,
  request: UpstreamRequest,
  streamStep: () => StreamStep,
): Promise<Response> {
  const upstream = await fetchWithFailover(ctx, {
    ...request,
    stream: true,
    checkStreamStart: checkSseStart,
    streamStep,
  });
  if (!upstream.ok) throw await upstreamErrorToGatewayError(upstream);
  if (!upstream.body) {
    throw new GatewayError(502, 'The Gemini API answered a stream request without a body.', {
      code: 'upstream_invalid_response',
    });
  }
  return new Response(upstream.body, { status: 200, headers: SSE_HEADERS });
}

/**
 * Logs a stream that ended in an error event, unless the client left: leaving aborts the upstream read
 * too, which is not the upstream's fault (and would be one warning per aborted stream).
 */
export function logStreamError(ctx: RequestContext, surface: string): (error: GatewayError) => void {
  return (error) => {
    if (ctx.signal.aborted) return;
    ctx.log.warn(`${surface} stream ended with an error`, {
      status: error.status,
      code: error.code,
      message: error.message,
    });
  };
}
