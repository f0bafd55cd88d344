import { describe, expect, it } from 'vitest';
import { gatewayWithStub, jsonReply } from '../support/stub-upstream';

/** A clock that moves 10 ms each time it is read: latencies then count the reads between start and end. */
function steppingClock() {
  let time = 1_700_000_000_000;
  return () => (time += 10);
}

const lines = (logs: string[]) => logs.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('one clock: request timing reads the injected now', () => {
  it('times the request and each upstream attempt on deps.now', async () => {
    const { handler, logs } = gatewayWithStub({
      now: steppingClock(),
      replies: [new TypeError('fetch failed'), jsonReply({ models: [] })],
    });
    const response = await handler(
      new Request('http://gateway.test/v1beta/models', {
        headers: {
          'x-goog-api-key': 'AIzaSyA-first-key-for-this-test-0000000,AIzaSyA-second-key-for-this-test-000000',
        },
      }),
    );
    expect(response.status, logs.join('\n')).toBe(200);
    const logged = lines(logs);
    const attempt = logged.find((line) => line.event === 'upstream attempt failed');
    const request = logged.find((line) => line.event === 'request');
    // Platform time would give 0 or a few ms; the stepping clock gives a positive multiple of 10.
    expect(attempt?.latencyMs).toBeGreaterThan(0);
    expect(Number(attempt?.latencyMs) % 10).toBe(0);
    expect(request?.latencyMs).toBeGreaterThan(0);
    expect(Number(request?.latencyMs) % 10).toBe(0);
  });
});
