import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../../../../src/errors';
import { decodeToolCallId } from '../../../../src/gemini/encode-tool-call-id';
import { readGeminiResponse } from '../../../../src/gemini/read-gemini-response';
import { fromGeminiResponse } from '../../../../src/openai/chat/from-gemini-response';
import { fromGeminiUsage } from '../../../../src/openai/chat/from-gemini-usage';
import { fixtureJson, testMeta } from '../helpers';

/** Raw Gemini JSON through the lenient reader and the converter, as the handler does. */
const convertRaw = (raw: unknown, meta = testMeta()) =>
  fromGeminiResponse(readGeminiResponse(raw) ?? { candidates: [] }, meta);
const convertFixture = (name: string, meta = testMeta()) => convertRaw(fixtureJson(name), meta);

describe('fromGeminiResponse', () => {
  it('reply-with-thoughts: thoughts go to reasoning_content, text parts are joined', () => {
    expect(convertFixture('reply-with-thoughts.json')).toEqual({
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: '2 + 2 = 4.',
            refusal: null,
            reasoning_content: '**Adding the numbers**\n\nThe user wants 2 + 2, which is 4.',
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 9,
        completion_tokens: 71,
        total_tokens: 80,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 64 },
      },
    });
  });

  it('blocked-prompt: one choice, empty content, content_filter', () => {
    const out = convertFixture('blocked-prompt.json');
    expect(out.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: 'content_filter',
      },
    ]);
    expect(out.usage.prompt_tokens).toBe(12);
    expect(out.usage.total_tokens).toBe(12);
  });

  it('usage-cached-and-thoughts: completion includes thoughts, cached tokens reported', () => {
    expect(convertFixture('usage-cached-and-thoughts.json').usage).toEqual({
      prompt_tokens: 2061,
      completion_tokens: 239,
      total_tokens: 2300,
      prompt_tokens_details: { cached_tokens: 2048 },
      completion_tokens_details: { reasoning_tokens: 191 },
    });
  });

  it('parallel-calls-gemini-3: tool calls with ids carrying the signature, null content, tool_calls finish', () => {
    const out = convertFixture('parallel-calls-gemini-3.json');
    const choice = out.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      {
        id: 'call_t1__CiQBjz1rX-abc_deYQ',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
      {
        id: 'call_t2',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Tokyo","unit":"celsius"}' },
      },
    ]);
    expect(decodeToolCallId(choice?.message.tool_calls?.[0]?.id ?? '')).toBe('CiQBjz1rX+abc/deYQ==');
  });

  it('two-candidates-max-tokens: n choices ordered by index, each finish mapped', () => {
    const out = convertFixture('two-candidates-max-tokens.json');
    expect(out.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'Violets are blue', 'stop'],
      [1, 'Roses are red', 'length'],
    ]);
  });

  it('logprobs: mapped when requested, null otherwise', () => {
    expect(convertFixture('logprobs.json').choices[0]?.logprobs).toBeNull();
    expect(convertFixture('logprobs.json', testMeta({ logprobs: true })).choices[0]?.logprobs).toEqual({
      content: [
        {
          token: 'Hi',
          logprob: -0.01,
          bytes: [72, 105],
          top_logprobs: [
            { token: 'Hi', logprob: -0.01, bytes: [72, 105] },
            { token: 'Hello', logprob: -4.6, bytes: [72, 101, 108, 108, 111] },
          ],
        },
        { token: '!', logprob: -0.09, bytes: [33], top_logprobs: [{ token: '!', logprob: -0.09, bytes: [33] }] },
      ],
      refusal: null,
    });
  });

  it('renders generated images as Markdown', () => {
    const out = convertRaw({
      candidates: [
        {
          content: { parts: [{ text: 'Here:' }, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }] },
          finishReason: 'STOP',
        },
      ],
    });
    expect(out.choices[0]?.message.content).toBe('Here:![image](data:image/png;base64,AAAA)');
  });

  it.each([
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['MAX_TOKENS', 'length'],
    ['MALFORMED_FUNCTION_CALL', 'stop'],
  ])('a candidate stopped by %s with no parts → empty content, %s', (reason, finish) => {
    const out = convertRaw({ candidates: [{ finishReason: reason, index: 0 }] });
    expect(out.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: '', refusal: null },
      logprobs: null,
      finish_reason: finish,
    });
  });

  it('an empty 200 (no candidates, no block reason) is an upstream fault: 502', () => {
    let error: GatewayError | undefined;
    try {
      convertRaw({ usageMetadata: { promptTokenCount: 3 } });
    } catch (caught) {
      error = caught as GatewayError;
    }
    expect(error?.status).toBe(502);
    expect(error?.type).toBe('server_error');
  });

  it('lenient reading keeps unknown or odd upstream fields from breaking a reply', () => {
    const out = convertRaw({
      candidates: [
        {
          content: {
            parts: [
              { text: 'ok', newField: 1 },
              { text: 5 },
              null,
              { functionCall: { name: 'f', args: 'not an object' } },
            ],
            role: 'model',
          },
          finishReason: 'STOP',
          citationMetadata: {},
          groundingMetadata: {},
        },
      ],
      usageMetadata: { promptTokenCount: '7', candidatesTokenCount: 2 },
      somethingNew: true,
    });
    expect(out.choices[0]?.message).toEqual({
      role: 'assistant',
      content: 'ok',
      refusal: null,
      tool_calls: [{ id: 'call_t1', type: 'function', function: { name: 'f', arguments: '{}' } }],
    });
    expect(out.usage.prompt_tokens).toBe(0);
    expect(out.usage.completion_tokens).toBe(2);
  });
});

describe('readGeminiResponse', () => {
  it.each([null, 'text', 42, [1]])('is undefined for %j', (value) => {
    expect(readGeminiResponse(value)).toBeUndefined();
  });

  it('copies only what the converters read', () => {
    expect(
      readGeminiResponse({
        candidates: 'not a list',
        promptFeedback: { blockReason: 'SAFETY', safetyRatings: [] },
        error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' },
        modelVersion: 'x',
      }),
    ).toEqual({ candidates: [], blockReason: 'SAFETY', error: { code: 503, message: 'overloaded' } });
  });
});

describe('fromGeminiUsage', () => {
  it.each([
    [undefined, [0, 0, 0, 0, 0]],
    [{ promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 }, [10, 5, 15, 0, 0]],
    [
      { promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 20, cachedContentTokenCount: 8 },
      [10, 25, 35, 8, 20],
    ],
    [{ promptTokenCount: 10, toolUsePromptTokenCount: 30, candidatesTokenCount: 5 }, [40, 5, 45, 0, 0]],
  ])('%j', (usage, [prompt, completion, total, cached, reasoning]) => {
    expect(fromGeminiUsage(usage)).toEqual({
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: total,
      prompt_tokens_details: { cached_tokens: cached },
      completion_tokens_details: { reasoning_tokens: reasoning },
    });
  });
});
