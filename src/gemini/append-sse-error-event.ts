import type { RequestContext } from '../context';
import { geminiErrorBody, GatewayError } from '../errors';

const encoder = new TextEncoder();

/**
 * For an upstream SSE stream that breaks off mid-way: a final Gemini-shaped `data: {"error": …}` event that
 * tells the client so instead of a silent cut (for fetchWithFailover's `endBrokenStream`, which watches the
 * body in its one stream stage, so the bytes that pass need no stage of their own). Nothing when the client
 * itself went away, or when the answer is not SSE.
 */
export function appendSseErrorEvent(ctx: RequestContext): (error: unknown, response: Response) => Uint8Array | undefined {
  return (error, response) => {
    if (ctx.signal.aborted || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return undefined;
    ctx.log.warn('upstream stream broke', { error: error instanceof Error ? error.name : 'unknown' });
    const event = geminiErrorBody(new GatewayError(502, 'The upstream stream ended unexpectedly.'));
    return encoder.encode(`data: ${JSON.stringify(event)}\r\n\r\n`);
  };
}
