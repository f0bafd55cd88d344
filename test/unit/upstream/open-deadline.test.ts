import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config';
import { DeadlineExceeded, openDeadline } from '../../../src/upstream/open-deadline';

const config = loadConfig({ REQUEST_DEADLINE_MS: '1000' });
/** The request's clock; the fake timers move it. */
const deps = { now: () => Date.now() };

describe('openDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('aborts at the request’s start plus REQUEST_DEADLINE_MS, however late the scope opens', () => {
    const client = new AbortController();
    const ctx = { signal: client.signal, startedAt: Date.now(), config, deps };
    vi.advanceTimersByTime(600);
    const scope = openDeadline(ctx);
    vi.advanceTimersByTime(399);
    expect(scope.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(scope.signal.aborted).toBe(true);
    expect(scope.signal.reason).toBeInstanceOf(DeadlineExceeded);
    expect(scope.expired()).toBe(true);
  });

  it('is aborted from the start when the deadline has already passed', () => {
    const scope = openDeadline({ signal: new AbortController().signal, startedAt: Date.now() - 1_000, config, deps });
    expect(scope.expired()).toBe(true);
  });

  it('lengthens to minMs (streams) from the same start', () => {
    const scope = openDeadline({ signal: new AbortController().signal, startedAt: Date.now(), config, deps }, 5_000);
    vi.advanceTimersByTime(4_999);
    expect(scope.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(scope.expired()).toBe(true);
  });

  it('follows the client, which is not an expiry', () => {
    const client = new AbortController();
    const scope = openDeadline({ signal: client.signal, startedAt: Date.now(), config, deps });
    client.abort();
    expect(scope.signal.aborted).toBe(true);
    expect(scope.expired()).toBe(false);
  });

  it('stopTimer keeps the client link; close drops both', () => {
    const client = new AbortController();
    const stopped = openDeadline({ signal: client.signal, startedAt: Date.now(), config, deps });
    const closed = openDeadline({ signal: client.signal, startedAt: Date.now(), config, deps });
    stopped.stopTimer();
    closed.close();
    vi.advanceTimersByTime(10_000);
    expect(stopped.signal.aborted).toBe(false);
    expect(closed.signal.aborted).toBe(false);
    client.abort();
    expect(stopped.signal.aborted).toBe(true);
    expect(closed.signal.aborted).toBe(false);
  });
});
