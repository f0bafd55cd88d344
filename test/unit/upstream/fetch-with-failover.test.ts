import { describe, expect, it } from 'vitest';
import { checkSseStart } from '../../../src/upstream/check-stream-start';
import { fetchWithFailover } from '../../../src/upstream/fetch-with-failover';
import { testContext } from '../openai/helpers';

/** A client signal that counts the listeners the gateway leaves on it. */
function countingSignal() {
  const controller = new AbortController();
  const signal = controller.signal;
  let listeners = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: AddEventListenerOptions,
  ) => {
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
      const response = await fetchWithFailover(
        { ...ctx, keys: ['k1', 'k2'] },
        { method: 'POST', path: '/v1beta/models/m:batchEmbedContents', search: '', body: '{}' },
      );
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
    const response = await fetchWithFailover(
      { ...ctx, keys: ['k1'] },
      { method: 'POST', path: '/v1beta/models/m:streamGenerateContent', search: '?alt=sse', stream: true },
    );
    expect(response.ok).toBe(true);
    client.controller.abort();
    expect(upstreamSignal?.aborted).toBe(true);
  });
});

describe('fetchWithFailover on a stream', () => {
  it('passes every chunk the start check read, then the rest, through the surface’s step once each', async () => {
    const text = `data: {"candidates":[{"content":{"parts":[{"text":"${'long first event '.repeat(8)}"}]}}]}\r\n\r\ndata: {"candidates":[]}\r\n\r\n`;
    const bytes = new TextEncoder().encode(text);
    const { ctx } = testContext({
      fetch: async () => {
        let offset = 0;
        // Seven bytes a read: the start check reads many chunks before it has the first event.
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (offset >= bytes.length) return controller.close();
            controller.enqueue(bytes.slice(offset, offset + 7));
            offset += 7;
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      },
    });
    const seen: string[] = [];
    const decoder = new TextDecoder();
    const response = await fetchWithFailover(ctx, {
      method: 'POST',
      path: '/v1beta/models/m:streamGenerateContent',
      search: '?alt=sse',
      stream: true,
      checkStreamStart: checkSseStart,
      // Holds back every other chunk, as a converter does with chunks that complete no event.
      streamStep: () => ({ chunk: (chunk) => (seen.push(decoder.decode(chunk)) % 2 === 0 ? chunk : undefined) }),
    });
    await response.text();
    expect(seen.join('')).toBe(text);
  });
});

/** A 200 whose body sends `first` (if any) and then nothing, until the fetch's signal aborts it. */
function stallingAnswer(init: RequestInit | undefined, contentType: string, first?: string): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first !== undefined) controller.enqueue(new TextEncoder().encode(first));
      init?.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
    },
  });
  return new Response(body, { headers: { 'content-type': contentType } });
}

describe('fetchWithFailover and whole answers (issue 12 item 4)', () => {
  it('reads a 2xx body whole within the attempt: a body that stalls fails over to the next key, its fetch aborted', async () => {
    const signals: AbortSignal[] = [];
    const { ctx } = testContext({
      env: { UPSTREAM_TIMEOUT_MS: '30' },
      fetch: async (_input, init) => {
        signals.push(init?.signal as AbortSignal);
        return signals.length === 1 ? stallingAnswer(init, 'application/json', '{"models":') : ok();
      },
    });
    const response = await fetchWithFailover(
      { ...ctx, keys: ['k1', 'k2'] },
      { method: 'GET', path: '/v1beta/models', search: '' },
    );
    expect(await response.text()).toBe('{"embeddings":[]}');
    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
  });

  it('answers 504 when the request’s deadline passed before the call', async () => {
    let calls = 0;
    const { ctx } = testContext({
      env: { REQUEST_DEADLINE_MS: '1000' },
      fetch: async () => {
        calls++;
        return ok();
      },
    });
    const late = { ...ctx, startedAt: ctx.deps.now() - 1_000 };
    await expect(fetchWithFailover(late, { method: 'GET', path: '/v1beta/models', search: '' })).rejects.toMatchObject({
      status: 504,
      code: 'upstream_timeout',
    });
    expect(calls).toBe(0);
  });

  it('passes a 2xx event stream on as a stream when the request mayStream (no body read whole)', async () => {
    const { ctx } = testContext({
      fetch: async (_input, init) =>
        stallingAnswer(init, 'text/event-stream', 'data: {"event_type":"interaction.start"}\n\n'),
    });
    const response = await fetchWithFailover(ctx, {
      method: 'POST',
      path: '/v1beta/interactions',
      search: '',
      body: '{"stream":true}',
      mayStream: true,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('interaction.start');
    await reader.cancel();
  });

  it('fails over a stream request answered 200 without a body', async () => {
    let calls = 0;
    const { ctx } = testContext({
      fetch: async () =>
        ++calls === 1
          ? new Response(null, { status: 200 })
          : new Response('data: {"candidates":[]}\r\n\r\n', { headers: { 'content-type': 'text/event-stream' } }),
    });
    const response = await fetchWithFailover(
      { ...ctx, keys: ['k1', 'k2'] },
      {
        method: 'POST',
        path: '/v1beta/models/m:streamGenerateContent',
        search: '?alt=sse',
        stream: true,
        checkStreamStart: checkSseStart,
      },
    );
    expect(calls).toBe(2);
    expect(await response.text()).toContain('candidates');
  });
});
