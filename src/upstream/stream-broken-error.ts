import { GatewayError } from '../errors';

/**
 * What a surface's stream step reports when the stream fails: a read that fails is the upstream connection
 * breaking (or stalling); the gateway's own failures are GatewayErrors already and pass as they are.
 */
export function streamBrokenError(cause: unknown): GatewayError {
  return cause instanceof GatewayError
    ? cause
    : new GatewayError(502, 'The Gemini stream broke off before the reply was complete.', {
        code: 'upstream_stream_broken',
        cause,
      });
}
