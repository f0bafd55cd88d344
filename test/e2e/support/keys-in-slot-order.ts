import { KeyPool } from '../../../src/keys/key-pool';

/** A day: a window so long that the slot cannot move between computing it here and the gateway's choice. */
export const DAY_WINDOW_MS = 86_400_000;

/**
 * The keys as a comma-separated list arranged so that the time-window round robin picks `keys[0]` first
 * right now (for a gateway started with KEY_ROTATION_WINDOW_MS = DAY_WINDOW_MS), then the rest in order.
 */
export function keysInSlotOrder(keys: readonly string[], windowMs = DAY_WINDOW_MS): string {
  const n = keys.length;
  const slot = KeyPool.slot(Date.now(), n, windowMs);
  const arranged = new Array<string>(n);
  for (let i = 0; i < n; i++) arranged[(slot + i) % n] = keys[i] as string;
  return arranged.join(',');
}
