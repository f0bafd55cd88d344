import { describe, expect, it } from 'vitest';
import { fetchWithFailover } from '../../../src/upstream/fetch-with-failover';
import { testContext } from '../openai/helpers';

/** A client signal that counts the listeners the gateway leaves on it. */
function countingSignal() {
  const controller = new AbortController();
  const signal = controller.signal;
  let listeners = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: AddEventListenerOptions) => {
    listeners += 1;
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject) => {
    listeners -= 1;
    remove(type, listener);
  }) as typeof signal.removeEventListener;
  return { controller, signal, listeners: () => listeners };
}

const ok = () => new Response('{"embeddings":[]}', { headers: { 'content-type': 'application/json' } });

describe('fetchWithFailover and the client signal', () => {
  it('leaves no listener behind after whole (non-stream) answers, however many calls a request makes', async () => {
    const client = countingSignal();
    let calls = 0;
    const { ctx } = testContext({
      signal: client.signal,
      fetch: async () => (++calls % 3 === 0 ? new Response('{"error":{"code":503}}', { status: 503 }) : ok()),
    });
    for (let i = 0; i < 20; i++) {
      const response = await fetchWithFailover({ ...ctx, keys: ['k1', 'k2'] }, { method: 'POST', path: '/v1beta/models/m:batchEmbedContents', search: '', body: '{}' });
      expect(response.status).toBe(200);
      await response.text();
    }
    expect(client.listeners()).toBe(0);
  });

  it('keeps a stream linked to the client, so a client that leaves aborts the upstream body', async () => {
    const client = countingSignal();
    let upstreamSignal: AbortSignal | undefined;
    const { ctx } = testContext({
      signal: client.signal,
      fetch: async (_input, init) => {
        upstreamSignal = init?.signal ?? undefined;
        return new Response('data: {"candidates":[]}\r\n\r\n', { headers: { 'content-type': 'text/event-stream' } });
      },
    });
    const response = await fetchWithFailover({ ...ctx, keys: ['k1'] }, { method: 'POST', path: '/v1beta/models/m:streamGenerateContent', search: '?alt=sse', stream: true });
    expect(response.ok).toBe(true);
    client.controller.abort();
    expect(upstreamSignal?.aborted).toBe(true);
  });
});
