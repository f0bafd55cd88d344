import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { assertModelName } from '../../../src/gemini/assert-model-name';
import { listModelAliases, resolveModel } from '../../../src/gemini/resolve-model';
import { thinkingForBudget, thinkingForEffort } from '../../../src/gemini/to-gemini-thinking-config';
import { FINISH_REASONS, fromGeminiFinishReason } from '../../../src/openai/chat/from-gemini-finish-reason';
import { ROLE_TARGETS } from '../../../src/openai/chat/to-gemini-messages';
import { toGeminiToolConfig } from '../../../src/openai/chat/to-gemini-tool-config';
import { resolveEmbeddingModel } from '../../../src/openai/embeddings/resolve-embedding-model';

describe('resolveModel', () => {
  const none = new Map<string, string>();
  it.each([
    ['gpt-4o', 'gemini-flash-latest'],
    ['gpt-4.1', 'gemini-flash-latest'],
    ['gpt-4', 'gemini-flash-latest'],
    ['gpt-4-turbo', 'gemini-flash-latest'],
    ['o1', 'gemini-flash-latest'],
    ['o3', 'gemini-flash-latest'],
    ['o4-mini', 'gemini-flash-latest'],
    ['gpt-5', 'gemini-flash-latest'],
    ['gpt-4o-mini', 'gemini-flash-lite-latest'],
    ['gpt-4.1-nano', 'gemini-flash-lite-latest'],
    ['gpt-5-nano', 'gemini-flash-lite-latest'],
    ['gpt-3.5-turbo', 'gemini-flash-lite-latest'],
    ['gemini-3.8-flash', 'gemini-3.8-flash'],
    ['gemini-3.1-pro-preview', 'gemini-3.1-pro-preview'],
    ['gemma-3-27b-it', 'gemma-3-27b-it'],
    ['learnlm-2.0-flash-experimental', 'learnlm-2.0-flash-experimental'],
    ['models/gemini-3.8-flash', 'gemini-3.8-flash'],
    ['claude-3-opus', 'gemini-flash-lite-latest'],
    ['toString', 'gemini-flash-lite-latest'],
    ['__proto__', 'gemini-flash-lite-latest'],
  ])('%s → %s', (requested, expected) => {
    expect(resolveModel(requested, none)).toBe(expected);
  });

  const overrides = new Map([
    ['gpt-4o', 'gemini-pro-latest'],
    ['my-alias', 'gemini-3.6-flash'],
    ['gemini-3.8-flash', 'gemini-3.5-flash-lite'],
  ]);
  it.each([
    ['gpt-4o', 'gemini-pro-latest'],
    ['my-alias', 'gemini-3.6-flash'],
    ['gemini-3.8-flash', 'gemini-3.5-flash-lite'],
    ['gpt-4', 'gemini-flash-latest'],
  ])('MODEL_MAP: %s → %s', (requested, expected) => {
    expect(resolveModel(requested, overrides)).toBe(expected);
  });

  it('lists the table aliases and MODEL_MAP keys once each', () => {
    const aliases = listModelAliases(overrides);
    expect(aliases.slice(0, 3)).toEqual(['gpt-4o', 'gpt-4.1', 'gpt-4']);
    expect(aliases.slice(-2)).toEqual(['my-alias', 'gemini-3.8-flash']);
    expect(new Set(aliases).size).toBe(aliases.length);
  });
});

describe('resolveEmbeddingModel', () => {
  it.each([
    ['text-embedding-3-small', 'gemini-embedding-001'],
    ['text-embedding-3-large', 'gemini-embedding-001'],
    ['text-embedding-ada-002', 'gemini-embedding-001'],
    ['gemini-embedding-001', 'gemini-embedding-001'],
    ['text-embedding-004', 'text-embedding-004'],
    ['models/embedding-001', 'embedding-001'],
    ['anything-else', 'gemini-embedding-001'],
  ])('%s → %s', (requested, expected) => {
    expect(resolveEmbeddingModel(requested, new Map())).toBe(expected);
  });

  it('MODEL_MAP overrides OpenAI names too', () => {
    expect(
      resolveEmbeddingModel('text-embedding-3-small', new Map([['text-embedding-3-small', 'text-embedding-004']])),
    ).toBe('text-embedding-004');
  });
});

describe('assertModelName', () => {
  it.each(['gemini-2.5-flash', 'gemini-2.5-flash-preview-05-20', 'gemma_3.x'])('accepts %s', (name) => {
    expect(assertModelName(name)).toBe(name);
  });
  it.each(['gemini-2.5-flash:generateContent', 'gemini/../../x', '..', 'a b', 'gemini?key=1', 'x#y', ''])(
    'refuses %j',
    (name) => {
      expect(() => assertModelName(name)).toThrowError(GatewayError);
      try {
        assertModelName(name);
      } catch (error) {
        expect((error as GatewayError).status).toBe(400);
        expect((error as GatewayError).param).toBe('model');
      }
    },
  );
});

describe('fromGeminiFinishReason', () => {
  it.each([
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool_calls'],
    ['MAX_TOKENS', false, 'length'],
    ['MAX_TOKENS', true, 'length'],
    ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'],
    ['LANGUAGE', false, 'content_filter'],
    ['BLOCKLIST', false, 'content_filter'],
    ['PROHIBITED_CONTENT', false, 'content_filter'],
    ['SPII', false, 'content_filter'],
    ['IMAGE_SAFETY', false, 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', false, 'stop'],
    ['OTHER', false, 'stop'],
    ['FINISH_REASON_UNSPECIFIED', false, 'stop'],
    ['SOMETHING_NEW', false, 'stop'],
    ['SOMETHING_NEW', true, 'tool_calls'],
    [undefined, false, 'stop'],
    ['constructor', false, 'stop'],
  ] as const)('%s (tool calls: %s) → %s', (reason, hasToolCalls, expected) => {
    expect(fromGeminiFinishReason(reason, hasToolCalls)).toBe(expected);
  });

  it('maps every reason of the table to an OpenAI value', () => {
    for (const value of Object.values(FINISH_REASONS)) expect(['stop', 'length', 'content_filter']).toContain(value);
  });
});

describe('thinkingForEffort', () => {
  it.each([
    ['none', 'gemini-2.5-flash-lite', { thinkingBudget: 0 }],
    ['minimal', 'gemini-2.5-flash-lite', { thinkingBudget: 512, includeThoughts: true }],
    ['low', 'gemini-2.5-flash-lite', { thinkingBudget: 1024, includeThoughts: true }],
    ['medium', 'gemini-2.5-flash-lite', { thinkingBudget: 8192, includeThoughts: true }],
    ['high', 'gemini-2.5-pro', { thinkingBudget: 24576, includeThoughts: true }],
    ['none', 'gemini-2.5-pro', { thinkingBudget: 128 }],
    // 3.7/3.8 Flash and 3.1 Pro refuse `minimal`: the lowest level they take is `low`.
    ['none', 'gemini-3.8-flash', { thinkingLevel: 'low' }],
    ['minimal', 'gemini-3.8-flash', { thinkingLevel: 'low', includeThoughts: true }],
    ['medium', 'gemini-3.8-flash', { thinkingLevel: 'medium', includeThoughts: true }],
    ['minimal', 'gemini-3.7-flash', { thinkingLevel: 'low', includeThoughts: true }],
    ['minimal', 'gemini-3.1-pro-preview', { thinkingLevel: 'low', includeThoughts: true }],
    ['high', 'gemini-3.1-pro-preview', { thinkingLevel: 'high', includeThoughts: true }],
    ['none', 'gemini-3.6-flash', { thinkingLevel: 'minimal' }],
    ['minimal', 'gemini-3.5-flash-lite', { thinkingLevel: 'minimal', includeThoughts: true }],
    ['medium', 'gemini-3-pro-preview', { thinkingLevel: 'high', includeThoughts: true }],
    ['low', 'gemini-3.1-flash-image', { thinkingLevel: 'high', includeThoughts: true }],
    // Rolling aliases and unknown names get the newest generation's levels, never a 2.5 budget.
    ['none', 'gemini-flash-latest', { thinkingLevel: 'low' }],
    ['minimal', 'gemini-flash-lite-latest', { thinkingLevel: 'low', includeThoughts: true }],
    ['high', 'gemini-pro-latest', { thinkingLevel: 'high', includeThoughts: true }],
    ['medium', 'gemini-4-flash', { thinkingLevel: 'medium', includeThoughts: true }],
    ['high', 'gemini-2.0-flash', undefined],
    ['low', 'gemma-3-27b-it', undefined],
  ] as const)('%s on %s → %j', (effort, model, expected) => {
    expect(thinkingForEffort(model, effort)).toEqual(expected);
  });
});

describe('thinkingForBudget', () => {
  it.each([
    [0, 'gemini-2.5-flash-lite', { thinkingBudget: 0 }],
    [100, 'gemini-2.5-flash-lite', { thinkingBudget: 512, includeThoughts: true }],
    [100000, 'gemini-2.5-pro', { thinkingBudget: 32768, includeThoughts: true }],
    [0, 'gemini-3.8-flash', { thinkingLevel: 'low' }],
    [1024, 'gemini-3.8-flash', { thinkingLevel: 'low', includeThoughts: true }],
    [4000, 'gemini-flash-latest', { thinkingLevel: 'medium', includeThoughts: true }],
    [32000, 'gemini-3.6-flash', { thinkingLevel: 'high', includeThoughts: true }],
    [2048, 'gemma-3-27b-it', undefined],
  ] as const)('%i tokens on %s → %j', (budget, model, expected) => {
    expect(thinkingForBudget(model, budget)).toEqual(expected);
  });
});

describe('toGeminiToolConfig', () => {
  const declared = ['get_weather', 'get_time'];
  it.each([
    ['auto', { toolConfig: { functionCallingConfig: { mode: 'AUTO' } } }],
    ['none', { toolConfig: { functionCallingConfig: { mode: 'NONE' } } }],
    ['required', { toolConfig: { functionCallingConfig: { mode: 'ANY' } } }],
    [
      { type: 'function', function: { name: 'get_time' } },
      { toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } } },
    ],
    [
      {
        type: 'allowed_tools',
        allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_weather' } }] },
      },
      { toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } } },
    ],
    [
      {
        type: 'allowed_tools',
        allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'get_weather' } }] },
      },
      { toolConfig: { functionCallingConfig: { mode: 'AUTO' } }, onlyFunctions: ['get_weather'] },
    ],
  ] as const)('%j → %j', (choice, expected) => {
    expect(toGeminiToolConfig(structuredClone(choice) as Parameters<typeof toGeminiToolConfig>[0], declared)).toEqual(
      expected,
    );
  });

  it.each([
    [{ type: 'function', function: { name: 'nope' } }, declared, 'tool_choice.function.name'],
    ['required', [], 'tool_choice'],
    [
      {
        type: 'allowed_tools',
        allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'x' } }] },
      },
      declared,
      'tool_choice.allowed_tools.tools[0].function.name',
    ],
  ] as const)('refuses %j naming %s', (choice, names, param) => {
    expect(() =>
      toGeminiToolConfig(structuredClone(choice) as Parameters<typeof toGeminiToolConfig>[0], names),
    ).toThrowError(expect.objectContaining({ status: 400, param }) as Error);
  });
});

describe('ROLE_TARGETS', () => {
  it.each([
    ['system', 'systemInstruction'],
    ['developer', 'systemInstruction'],
    ['user', 'user'],
    ['assistant', 'model'],
    ['tool', 'user'],
  ] as const)('%s → %s', (role, target) => {
    expect(ROLE_TARGETS[role]).toBe(target);
  });
});
