import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { respondWithHeartbeat } from '../../../src/http/respond-with-heartbeat';
import { watchStream } from '../../../src/upstream/watch-stream';

const encoder = new TextEncoder();
const options = {
  afterMs: 30,
  intervalMs: 20,
  errorEvent: async (failure: GatewayError | Response) =>
    encoder.encode(
      `data: ${failure instanceof Response ? await failure.text() : JSON.stringify({ error: failure.message })}\n\n`,
    ),
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('respondWithHeartbeat', () => {
  it('returns a fast answer as it is, with its real status', async () => {
    const response = await respondWithHeartbeat(Promise.resolve(new Response('nope', { status: 429 })), options);
    expect(response.status).toBe(429);
    expect(await response.text()).toBe('nope');
  });

  it('rethrows a fast failure so it is answered with its real status', async () => {
    await expect(respondWithHeartbeat(Promise.reject(new GatewayError(401, 'no key')), options)).rejects.toThrow(
      'no key',
    );
  });

  it('starts a slow answer with keep-alive comments, then streams its body', async () => {
    const answer = sleep(100).then(
      () => new Response('data: {"x":1}\n\n', { headers: { 'content-type': 'text/event-stream' } }),
    );
    const response = await respondWithHeartbeat(answer, options);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    expect(text.startsWith(': keep-alive\n\n')).toBe(true);
    expect(text.match(/: keep-alive/g)!.length).toBeGreaterThanOrEqual(2);
    expect(text.endsWith('data: {"x":1}\n\n')).toBe(true);
  });

  it('sends the protocol’s own keep-alive when given one (Anthropic’s ping event)', async () => {
    const answer = sleep(100).then(() => new Response('event: message_stop\ndata: {}\n\n'));
    const ping = encoder.encode('event: ping\ndata: {"type": "ping"}\n\n');
    const text = await (await respondWithHeartbeat(answer, { ...options, keepAlive: ping })).text();
    expect(text.startsWith('event: ping\ndata: {"type": "ping"}\n\n')).toBe(true);
    expect(text).not.toContain(': keep-alive');
    expect(text.endsWith('event: message_stop\ndata: {}\n\n')).toBe(true);
  });

  it('ends a started stream with an error event when the slow answer fails', async () => {
    const failed = sleep(60).then(() => new Response('{"error":{"code":429}}', { status: 429 }));
    expect(await (await respondWithHeartbeat(failed, options)).text()).toMatch(
      /^: keep-alive\n\n[\s\S]*data: \{"error":\{"code":429\}\}\n\n$/,
    );
    const thrown = sleep(60).then(() => Promise.reject(new GatewayError(504, 'too slow')));
    expect(await (await respondWithHeartbeat(thrown, options)).text()).toMatch(/data: \{"error":"too slow"\}\n\n$/);
  });

  it('takes a slow answer’s stream watch over, so its chunks pass one stage: the same bytes, its step’s end included', async () => {
    const chunks = ['data: {"x":1}\n\n', 'data: {"x":2}\n\n'];
    let next = 0;
    const upstream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (next < chunks.length) controller.enqueue(encoder.encode(chunks[next++] as string));
        else controller.close();
      },
    });
    const watched = watchStream(upstream.getReader(), {
      prefix: [encoder.encode('data: {"x":0}\n\n')],
      step: { end: () => encoder.encode('data: [DONE]\n\n') },
    });
    // Wrapped twice on its way, as fetchWithFailover and the native surface do.
    const answer = sleep(60).then(() => new Response(new Response(watched).body, { status: 200 }));
    const text = await (await respondWithHeartbeat(answer, options)).text();
    expect(text).toMatch(
      /^(: keep-alive\n\n)+data: \{"x":0\}\n\ndata: \{"x":1\}\n\ndata: \{"x":2\}\n\ndata: \[DONE\]\n\n$/,
    );
    expect(watched.locked).toBe(false);
  });

  it('passes the slow answer on chunk by chunk, not when it has ended', async () => {
    let push!: (text: string) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(encoder.encode(text));
      },
    });
    const response = await respondWithHeartbeat(
      sleep(60).then(() => new Response(body)),
      options,
    );
    const reader = response.body!.getReader();
    await sleep(80);
    push('data: first\n\n');
    let text = '';
    while (!text.includes('data: first')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
  });

  it.each([
    ['after the answer arrived', 80],
    ['while the answer is on its way', 10],
  ])('a client that leaves %s cancels the answer body', async (_, leaveAfterMs) => {
    let cancelled: unknown = null;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode(': upstream\n\n'));
      },
      cancel(reason) {
        cancelled = reason ?? 'cancelled';
      },
    });
    const answer = sleep(50).then(() => new Response(body));
    const reader = (await respondWithHeartbeat(answer, options)).body!.getReader();
    void reader.read();
    await sleep(leaveAfterMs);
    await reader.cancel('client left');
    await answer;
    for (let tick = 0; tick < 50 && cancelled === null; tick++) await sleep(1);
    expect(cancelled).not.toBeNull();
  });

  it('errors a started stream, rather than leaving it open, when the error event cannot be made', async () => {
    const failed = sleep(60).then(() => new Response('{}', { status: 500 }));
    const response = await respondWithHeartbeat(failed, {
      ...options,
      errorEvent: () => Promise.reject(new Error('no event')),
    });
    await expect(response.text()).rejects.toThrow();
  });
});
