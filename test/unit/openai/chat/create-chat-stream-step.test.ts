import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../../../../src/errors';
import { createChatStreamStep } from '../../../../src/openai/chat/create-chat-stream-step';
import { watchStream } from '../../../../src/upstream/watch-stream';
import { byteStream, fixtureText, readAll, sseEvents, testMeta } from '../helpers';

const decoder = new TextDecoder();

/** The step as it runs in production: inside the stage that watches the upstream body. */
function chatStream(
  body: ReadableStream<Uint8Array>,
  ...args: Parameters<typeof createChatStreamStep>
): ReadableStream<Uint8Array> {
  return watchStream(body.getReader(), { step: createChatStreamStep(...args) });
}

async function run(body: ReadableStream<Uint8Array>, options: { includeUsage?: boolean; logprobs?: boolean } = {}) {
  const errors: GatewayError[] = [];
  const stream = chatStream(body, testMeta({ logprobs: options.logprobs ?? false }), {
    includeUsage: options.includeUsage ?? false,
    onError: (error) => errors.push(error),
  });
  const text = (await readAll(stream)).map((chunk) => decoder.decode(chunk)).join('');
  return { text, events: sseEvents(text), errors };
}

const chunk = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-test',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'gpt-4o',
  choices: [{ logprobs: null, finish_reason: null, ...choice }],
  ...extra,
});
const role = (index = 0) => chunk({ index, delta: { role: 'assistant', content: '' } });

describe('createChatStreamStep', () => {
  it.each([1, 2, 5, 64, 100_000])('final-chunk-finish-only, delivered %i bytes at a time', async (size) => {
    const { text, events, errors } = await run(byteStream(fixtureText('final-chunk-finish-only.chunks.txt'), size));
    expect(events).toEqual([
      role(),
      chunk({ index: 0, delta: { content: 'Hello' } }),
      chunk({ index: 0, delta: { content: ' world' } }),
      chunk({ index: 0, delta: {}, finish_reason: 'stop' }),
      '[DONE]',
    ]);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(errors).toEqual([]);
  });

  it.each([1, 2, 3, 5, 7, 64])(
    'decodes text of any script split anywhere (%i bytes at a time): one leading BOM dropped, U+FEFF in text kept',
    async (size) => {
      const texts = ['\uFEFFà', 'b€c', '😀\uFEFF', 'x', '\uFEFF\uFEFFy', 'ü'];
      const event = (part: Record<string, unknown>) =>
        `data: ${JSON.stringify({ candidates: [{ content: { parts: [part] }, ...(part.text === 'ü' ? { finishReason: 'STOP' } : {}) }] })}\r\n\r\n`;
      const { events, errors } = await run(byteStream(`\uFEFF${texts.map((text) => event({ text })).join('')}`, size));
      expect(events.slice(1, -2)).toEqual(texts.map((text) => chunk({ index: 0, delta: { content: text } })));
      expect(errors).toEqual([]);
    },
  );

  it('parallel-calls-separate-chunks: tool call indexes count over the reply, signature in the id, tool_calls finish, usage last', async () => {
    const { events } = await run(byteStream(fixtureText('parallel-calls-separate-chunks.chunks.txt'), 17), {
      includeUsage: true,
    });
    const withUsage = { usage: null };
    expect(events).toEqual([
      chunk({ index: 0, delta: { role: 'assistant', content: '' } }, withUsage),
      chunk({ index: 0, delta: { reasoning_content: 'Checking both cities.' } }, withUsage),
      chunk(
        {
          index: 0,
          delta: {
            tool_calls: [
              {
                index: 0,
                id: 'call_t1__Eu8BCuwBAb4-9vs_QQ',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
        },
        withUsage,
      ),
      chunk(
        {
          index: 0,
          delta: {
            tool_calls: [
              {
                index: 1,
                id: 'call_t2',
                type: 'function',
                function: { name: 'get_time', arguments: '{"zone":"Asia/Tokyo"}' },
              },
            ],
          },
        },
        withUsage,
      ),
      chunk({ index: 0, delta: {}, finish_reason: 'tool_calls' }, withUsage),
      {
        id: 'chatcmpl-test',
        object: 'chat.completion.chunk',
        created: 1_700_000_000,
        model: 'gpt-4o',
        choices: [],
        usage: {
          prompt_tokens: 40,
          completion_tokens: 32,
          total_tokens: 72,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 12 },
        },
      },
      '[DONE]',
    ]);
  });

  it('thoughts-then-text-with-signature: reasoning first, empty signed part dropped, usage from the last chunk', async () => {
    const { events } = await run(byteStream(fixtureText('thoughts-then-text-with-signature.chunks.txt'), 9), {
      includeUsage: true,
    });
    expect(events.slice(1, -2)).toEqual([
      chunk({ index: 0, delta: { reasoning_content: '**Planning**\nA haiku about rain.' } }, { usage: null }),
      chunk({ index: 0, delta: { content: 'Soft rain on the roof' } }, { usage: null }),
      chunk({ index: 0, delta: {}, finish_reason: 'stop' }, { usage: null }),
    ]);
    expect((events.at(-2) as { usage: unknown }).usage).toEqual({
      prompt_tokens: 6,
      completion_tokens: 29,
      total_tokens: 35,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 24 },
    });
  });

  it('blocked-prompt: role, then content_filter, then [DONE]', async () => {
    const { events } = await run(byteStream(fixtureText('blocked-prompt.chunks.txt'), 1000));
    expect(events).toEqual([role(), chunk({ index: 0, delta: {}, finish_reason: 'content_filter' }), '[DONE]']);
  });

  it('two-candidates: each candidate is its own choice', async () => {
    const { events } = await run(byteStream(fixtureText('two-candidates.chunks.txt'), 1000));
    expect(events).toEqual([
      role(0),
      chunk({ index: 0, delta: { content: 'A' } }),
      role(1),
      chunk({ index: 1, delta: { content: 'B' } }),
      chunk({ index: 0, delta: { content: '!' } }),
      chunk({ index: 0, delta: {}, finish_reason: 'stop' }),
      chunk({ index: 1, delta: { content: '?' } }),
      chunk({ index: 1, delta: {}, finish_reason: 'length' }),
      '[DONE]',
    ]);
  });

  it('ends-without-finish: an error event, no fake finish, no [DONE]', async () => {
    const { events, errors } = await run(byteStream(fixtureText('ends-without-finish.chunks.txt'), 50), {
      includeUsage: true,
    });
    expect(events.slice(0, 2).map((e) => (e as { choices: { delta: unknown }[] }).choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Once upon' },
    ]);
    expect(events[2]).toEqual({
      error: {
        message: 'The Gemini stream ended before the reply was complete (no finish reason).',
        type: 'server_error',
        param: null,
        code: 'upstream_stream_incomplete',
      },
    });
    expect(events).toHaveLength(3);
    expect(errors.map((e) => e.status)).toEqual([502]);
  });

  it('error-mid-stream: Gemini error event becomes an OpenAI error event with its message', async () => {
    const { events } = await run(byteStream(fixtureText('error-mid-stream.chunks.txt'), 30));
    expect(events.at(-1)).toEqual({
      error: {
        message: 'The model is overloaded. Please try again later.',
        type: 'server_error',
        param: null,
        code: 'upstream_stream_error',
      },
    });
    expect(events).not.toContain('[DONE]');
  });

  it('a broken upstream connection ends with an error event, never a silent cut', async () => {
    const first = new TextEncoder().encode(
      `${fixtureText('final-chunk-finish-only.chunks.txt').split('\r\n\r\n')[0]}\r\n\r\n`,
    );
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(first);
        } else controller.error(new TypeError('terminated'));
      },
    });
    const { events, errors } = await run(body);
    expect(events).toEqual([
      role(),
      chunk({ index: 0, delta: { content: 'Hello' } }),
      {
        error: {
          message: 'The Gemini stream broke off before the reply was complete.',
          type: 'server_error',
          param: null,
          code: 'upstream_stream_broken',
        },
      },
    ]);
    expect(errors).toHaveLength(1);
  });

  it('an event that is not JSON ends with an error event', async () => {
    const { events } = await run(byteStream('data: {"candidates":[\r\n\r\n', 100));
    expect(events).toEqual([
      {
        error: {
          message: 'The Gemini API sent a stream event that is not valid JSON.',
          type: 'server_error',
          param: null,
          code: 'upstream_invalid_response',
        },
      },
    ]);
  });

  it('an empty upstream stream is an error, not an empty success', async () => {
    const { events } = await run(byteStream('', 1));
    expect(events).toEqual([{ error: expect.objectContaining({ code: 'upstream_stream_incomplete' }) }]);
  });

  it('logprobs ride on the text delta when requested', async () => {
    const body = `data: ${JSON.stringify({
      candidates: [
        {
          content: { parts: [{ text: 'Hi' }] },
          finishReason: 'STOP',
          logprobsResult: { chosenCandidates: [{ token: 'Hi', logProbability: -0.5 }], topCandidates: [] },
        },
      ],
    })}\r\n\r\n`;
    const { events } = await run(byteStream(body, 1000), { logprobs: true });
    expect(events[1]).toEqual(
      chunk({
        index: 0,
        delta: { content: 'Hi' },
        logprobs: { content: [{ token: 'Hi', logprob: -0.5, bytes: [72, 105], top_logprobs: [] }], refusal: null },
      }),
    );
  });

  it('passes each chunk on before the upstream has finished (no buffering)', async () => {
    const encoder = new TextEncoder();
    let push!: (text: string) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(encoder.encode(text));
      },
    });
    const stream = chatStream(body, testMeta(), { includeUsage: false, onError: () => {} });
    const reader = stream.getReader();
    push(`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: 'first token' }] } }] })}\r\n\r\n`);
    const received: string[] = [];
    while (!received.join('').includes('first token')) {
      const { value } = await reader.read();
      received.push(decoder.decode(value));
    }
    expect(received.join('')).toContain('"content":"first token"');
    await reader.cancel();
  });

  it('a client that cancels cancels the upstream body', async () => {
    let cancelled: unknown = null;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode(': ping\n\n'));
      },
      cancel(reason) {
        cancelled = reason ?? 'cancelled';
      },
    });
    const reader = chatStream(body, testMeta(), { includeUsage: false, onError: () => {} }).getReader();
    void reader.read();
    await reader.cancel('client left');
    // Cancellation travels back through each piped stage asynchronously.
    for (let tick = 0; tick < 50 && cancelled === null; tick++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(cancelled).not.toBeNull();
  });
});
