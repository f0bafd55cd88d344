import type { GatewayError } from '../errors';
import { anthropicErrorBody } from './to-anthropic-error';

/** Anthropic's keep-alive event (https://docs.anthropic.com/en/docs/build-with-claude/streaming#ping-events). */
export const PING_EVENT = new TextEncoder().encode('event: ping\ndata: {"type": "ping"}\n\n');

/** The event that ends a stream which failed after it started; the SDK raises it as an APIError. */
export function anthropicErrorEvent(error: GatewayError): string {
  return `event: error\ndata: ${JSON.stringify(anthropicErrorBody(error))}\n\n`;
}
