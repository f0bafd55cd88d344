import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { type GeminiResponse, readGeminiResponse } from '../../../src/gemini/read-gemini-response';
import { createOutputAssembler, type ResponseMeta } from '../../../src/responses/create-output-assembler';
import { createResponsesStreamStep } from '../../../src/responses/create-responses-stream-step';
import type { ResponseEvent } from '../../../src/responses/response-types';

const decoder = new TextDecoder();
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function meta(overrides: Partial<ResponseMeta> = {}): ResponseMeta {
  let ids = 0;
  return {
    id: 'resp_test',
    createdAt: 1_700_000_000,
    model: 'gpt-5-codex',
    echo: { tools: [] },
    newId: () => `id${++ids}`,
    names: new Map([['agents.spawn', { type: 'function', name: 'spawn', namespace: 'agents' }]]),
    summaries: true,
    encryptedReasoning: true,
    ...overrides,
  };
}

/** Runs a whole SSE body through the step, in chunks of `size` bytes, and parses the events it sends. */
function run(body: string, options: { meta?: ResponseMeta; size?: number; breakAfter?: number } = {}) {
  const errors: GatewayError[] = [];
  const step = createResponsesStreamStep(options.meta ?? meta(), (error) => errors.push(error));
  const bytes = new TextEncoder().encode(body);
  const size = options.size ?? 7;
  let text = '';
  const decoder = new TextDecoder();
  const limit = options.breakAfter ?? bytes.length;
  // As watchStream does: what `chunk` or `end` throws goes to `fail`, which ends the stream.
  try {
    for (let at = 0; at < limit; at += size) {
      const out = step.chunk?.(bytes.subarray(at, Math.min(at + size, limit)));
      if (out) text += decoder.decode(out);
    }
    const last = options.breakAfter === undefined ? step.end?.() : step.fail?.(new TypeError('terminated'));
    if (last) text += decoder.decode(last);
  } catch (error) {
    const last = step.fail?.(error);
    if (last) text += decoder.decode(last);
  }
  const events = text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      const event = JSON.parse(dataLine?.slice('data: '.length) ?? '') as ResponseEvent & { sequence_number: number };
      expect(eventLine).toBe(`event: ${event.type}`);
      return event;
    });
  return { events, errors };
}

describe('createResponsesStreamStep', () => {
  it('thoughts, then signed parallel calls: reasoning summary, the signature in its encrypted_content, one item per call', () => {
    const { events } = run(fixture('thoughts-then-signed-parallel-calls.chunks.txt'));
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const completed = events.at(-1) as unknown as { response: Record<string, unknown> };
    expect(completed.response).toMatchObject({
      id: 'resp_test',
      object: 'response',
      status: 'completed',
      model: 'gpt-5-codex',
      output: [
        {
          type: 'reasoning',
          id: 'rs_id1',
          summary: [{ type: 'summary_text', text: '**Checking files**\nI should list them.' }],
          encrypted_content: 'gemini-thought-signature:v1:Cp0BAY89a1/zzw==',
        },
        {
          type: 'function_call',
          id: 'fc_id3',
          call_id: 'call_id2',
          name: 'exec_command',
          arguments: '{"cmd":"ls"}',
          status: 'completed',
        },
        {
          type: 'function_call',
          id: 'fc_id5',
          call_id: 'call_id4',
          name: 'spawn',
          namespace: 'agents',
          arguments: '{"message":"help"}',
          status: 'completed',
        },
      ],
      usage: {
        input_tokens: 12,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 17,
        output_tokens_details: { reasoning_tokens: 8 },
        total_tokens: 29,
      },
      tools: [],
    });
  });

  it('without summaries or encrypted content asked for, thoughts and signatures are left out', () => {
    const { events } = run(fixture('thoughts-then-signed-parallel-calls.chunks.txt'), {
      meta: meta({ summaries: false, encryptedReasoning: false }),
    });
    const completed = events.at(-1) as unknown as { response: { output: { type: string }[] } };
    expect(completed.response.output.map((item) => item.type)).toEqual(['function_call', 'function_call']);
  });

  it('a signed call after text gets a reasoning item of its own, right before it', () => {
    const body =
      'data: {"candidates":[{"content":{"parts":[{"text":"Let me look."}]},"index":0}]}\n\n' +
      'data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"ls","args":{}},"thoughtSignature":"AAAA"}]},"finishReason":"STOP"}]}\n\n';
    const { events } = run(body);
    const output = (events.at(-1) as unknown as { response: { output: unknown[] } }).response.output;
    expect(output).toMatchObject([
      {
        type: 'message',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Let me look.', annotations: [] }],
      },
      { type: 'reasoning', summary: [], encrypted_content: 'gemini-thought-signature:v1:AAAA' },
      { type: 'function_call', name: 'ls', arguments: '{}' },
    ]);
  });

  it('a cut reply ends with response.incomplete and an incomplete message', () => {
    const { events } = run(
      'data: {"candidates":[{"content":{"parts":[{"text":"Half"}]},"finishReason":"MAX_TOKENS"}]}\n\n',
    );
    expect(events.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: {
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
        output: [{ status: 'incomplete' }],
      },
    });
  });

  it('a stream that ends without a finish reason ends with an error event and response.failed', () => {
    const step = createResponsesStreamStep(meta(), () => {});
    const first = new TextDecoder().decode(
      step.chunk?.(new TextEncoder().encode('data: {"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]}\n\n')),
    );
    expect(first).toContain('response.output_text.delta');
    let thrown: unknown;
    try {
      step.end?.();
    } catch (error) {
      thrown = error;
    }
    // watchStream hands what `end` threw to `fail`.
    const last = new TextDecoder().decode(step.fail?.(thrown));
    expect(last).toMatch(/^event: error\ndata: \{"type":"error","code":"server_error".*\n\nevent: response.failed\n/);
  });

  it('a broken upstream connection and an error event from Gemini both end the stream with error + response.failed', () => {
    const broken = run(fixture('thoughts-then-signed-parallel-calls.chunks.txt'), { breakAfter: 100 });
    expect(broken.events.slice(-2).map((e) => e.type)).toEqual(['error', 'response.failed']);
    expect(broken.errors[0]).toMatchObject({ status: 502, code: 'upstream_stream_broken' });
    const reported = run(
      'data: {"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"}}\n\n',
    );
    expect(reported.events.slice(-2)).toMatchObject([
      { type: 'error', code: 'rate_limit_exceeded', message: 'Resource exhausted' },
      {
        type: 'response.failed',
        response: { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Resource exhausted' } },
      },
    ]);
  });

  it('writes the text deltas of each message item with its own item_id and output_index', () => {
    // Text, a call, text again: two message items, so the delta's templated head must change between them.
    const event = (parts: unknown[], finishReason?: string) =>
      `data: ${JSON.stringify({ candidates: [{ content: { parts }, index: 0, ...(finishReason ? { finishReason } : {}) }] })}\r\n\r\n`;
    const body = [
      event([{ text: 'one ' }, { text: 'two' }]),
      event([{ functionCall: { name: 'exec_command', args: { cmd: 'ls' } } }]),
      event([{ text: 'three "3"' }, { text: ' four' }], 'STOP'),
    ].join('');
    const step = createResponsesStreamStep(meta(), () => {});
    let sent = decoder.decode(step.chunk?.(new TextEncoder().encode(body)));
    sent += decoder.decode(step.end?.());

    expect(sent).toBe(assembledEvents(body, meta()));
    const deltas = sent.split('\n\n').filter((e) => e.startsWith('event: response.output_text.delta\n'));
    expect(new Set(deltas.map((e) => JSON.parse(e.split('\ndata: ')[1] ?? '').item_id)).size).toBe(2);
  });

  it('writes each event as the stringified event with its sequence_number last, text deltas included', () => {
    // Multi-byte text, quotes and escapes, split across 7-byte reads: the templated text delta and the
    // appended sequence number must give the bytes of stringifying the event object itself.
    const text = (value: string, thought = false) => ({ text: value, ...(thought ? { thought } : {}) });
    const body = [
      { candidates: [{ content: { parts: [text('Je réfléchis \\"vite\\"', true)] }, index: 0 }] },
      { candidates: [{ content: { parts: [text('Héllo 😀 "x"\n\ttab</script>\u2028')] }, index: 0 }] },
      {
        candidates: [
          {
            content: { parts: [text(' fin'), { functionCall: { name: 'agents.spawn', args: { q: 'ü' } } }] },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: { promptTokenCount: 3, totalTokenCount: 9 },
      },
    ]
      .map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`)
      .join('');
    // The request's settings each response object repeats, tools included.
    const echo = {
      instructions: 'Be brief. "Quoted" \u2028',
      reasoning: { effort: null, summary: 'auto' },
      store: false,
      tool_choice: 'auto',
      tools: [
        {
          type: 'function',
          name: 'exec_command',
          parameters: { type: 'object', properties: { cmd: { type: 'string' } } },
        },
      ],
    };
    const step = createResponsesStreamStep(meta({ echo }), () => {});
    const bytes = new TextEncoder().encode(body);
    const decoder = new TextDecoder();
    let sent = '';
    for (let at = 0; at < bytes.length; at += 7) {
      const out = step.chunk?.(bytes.subarray(at, at + 7));
      if (out) sent += decoder.decode(out, { stream: true });
    }
    sent += decoder.decode(step.end?.());

    expect(sent).toBe(assembledEvents(body, meta({ echo })));
    expect(sent).toContain('event: response.output_text.delta');

    // And a stream that fails: the error event and response.failed.
    const failing = createResponsesStreamStep(meta({ echo }), () => {});
    const failed = decoder.decode(failing.fail?.(new TypeError('terminated')));
    const reference: string[] = [];
    const failEmit = (event: ResponseEvent) => {
      reference.push(
        `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: reference.length })}\n\n`,
      );
    };
    const failedAssembler = createOutputAssembler(meta({ echo }));
    failedAssembler.start(failEmit);
    failedAssembler.fail(
      new GatewayError(502, 'The Gemini stream broke off before the reply was complete.', {
        code: 'upstream_stream_broken',
      }),
      failEmit,
    );
    expect(failed).toBe(reference.join(''));
  });
});

describe('createOutputAssembler (non-streaming)', () => {
  it('a blocked prompt is incomplete with reason content_filter and no output', () => {
    const assembler = createOutputAssembler(meta());
    assembler.push({ candidates: [], blockReason: 'PROHIBITED_CONTENT' }, () => {});
    expect(assembler.end(() => {}, false)).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [],
    });
  });

  it('a custom tool’s call becomes a custom_tool_call with the raw input', () => {
    const assembler = createOutputAssembler(
      meta({ names: new Map([['apply_patch', { type: 'custom', name: 'apply_patch' }]]) }),
    );
    assembler.push(
      {
        candidates: [
          {
            parts: [{ functionCall: { name: 'apply_patch', args: { input: '*** Begin Patch' } } }],
            finishReason: 'STOP',
          },
        ],
      },
      () => {},
    );
    expect(assembler.end(() => {}, false).output).toEqual([
      {
        type: 'custom_tool_call',
        id: 'ctc_id2',
        call_id: 'call_id1',
        name: 'apply_patch',
        input: '*** Begin Patch',
        status: 'completed',
      },
    ]);
  });
});

/** What the step must send for `body` (an SSE text): every event the assembler emits, stringified whole. */
function assembledEvents(body: string, options: Parameters<typeof createOutputAssembler>[0]): string {
  const expected: string[] = [];
  const assembler = createOutputAssembler(options);
  const emit = (event: ResponseEvent) => {
    expected.push(`event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: expected.length })}\n\n`);
  };
  assembler.start(emit);
  for (const block of body.split('\r\n\r\n').filter((b) => b !== '')) {
    assembler.push(readGeminiResponse(JSON.parse(block.slice('data: '.length))) as GeminiResponse, emit);
  }
  assembler.end(emit, true);
  return expected.join('');
}
