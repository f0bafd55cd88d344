import type { RequestContext } from '../context';
import { GatewayError, geminiErrorBody } from '../errors';
import type { StreamStep } from '../upstream/watch-stream';

const encoder = new TextEncoder();

/**
 * For an upstream SSE stream that breaks off mid-way: a final Gemini-shaped `data: {"error": …}` event that
 * tells the client so instead of a silent cut. It is the native surface's whole stream step (fetchWithFailover's
 * `streamStep`): the bytes themselves pass through unread. Nothing when the client itself went away, or when
 * the answer is not SSE.
 */
export function appendSseErrorEvent(ctx: RequestContext): (response: Response) => StreamStep {
  return (response) => {
    if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return {};
    return {
      fail: (error) => {
        if (ctx.signal.aborted) return undefined;
        ctx.log.warn('upstream stream broke', { error: error instanceof Error ? error.name : 'unknown' });
        const event = geminiErrorBody(new GatewayError(502, 'The upstream stream ended unexpectedly.'));
        return encoder.encode(`data: ${JSON.stringify(event)}\r\n\r\n`);
      },
    };
  };
}
