import { Redis } from '@upstash/redis';
import type { Config } from '../config';
import type { Deps } from '../context';
import { createLogger } from '../log';
import { KeyPool } from './key-pool';
import { KeyState } from './key-state';
import { UpstashKeyStateStore } from './upstash-key-state-store';

/**
 * The instance's key state: the pool (its own keys pinned) and, when UPSTASH_REDIS_REST_URL … are set,
 * Redis through the official @upstash/redis client. One per gateway, made once per edge instance.
 */
export function createKeyState(config: Config, deps: Deps): KeyState {
  const pool = new KeyPool({ windowMs: config.keyRotationWindowMs, now: deps.now, pinnedKeys: config.serverKeys });
  const shared = config.sharedState;
  // Not a request's log: no request id; the Redis token is a secret like the keys.
  const logger = createLogger({
    level: config.logLevel,
    sink: deps.logSink,
    now: deps.now,
    secrets: shared ? [shared.token] : [],
  });
  const log = (level: 'warn' | 'info', event: string, fields: Record<string, unknown>) => logger[level](event, fields);
  if (config.sharedStateProblem) log('warn', 'shared key state not configured', { problem: config.sharedStateProblem });
  const store = shared
    ? new UpstashKeyStateStore(
        new Redis({
          url: shared.url,
          token: shared.token,
          // One try, bounded: a failure means "go on from memory", not "retry"; a request's own read has the shorter timeout.
          retry: { retries: 0 },
          enableTelemetry: false,
          signal: () => AbortSignal.timeout(Math.max(1_000, shared.timeoutMs * 4)),
        }),
      )
    : null;
  return new KeyState({ pool, shared: store, now: deps.now, readTimeoutMs: shared?.timeoutMs ?? 0, log });
}
