import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../src/errors';
import { chatRequestSchema } from '../../../../src/openai/chat/chat-request-schema';
import { toGeminiRequest } from '../../../../src/openai/chat/to-gemini-request';

const messages = [{ role: 'user', content: 'Hi' }];
const convert = (fields: Record<string, unknown>, model = 'gemini-3.8-flash') =>
  toGeminiRequest(chatRequestSchema.parse({ model: 'gpt-4o', messages, ...fields }), { model, media: new Map() });

describe('toGeminiRequest', () => {
  it('invents nothing: a bare request is only its contents', () => {
    expect(convert({})).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  });

  it.each([
    ['temperature', { temperature: 0 }, { temperature: 0 }],
    ['top_p', { top_p: 0.9 }, { topP: 0.9 }],
    ['top_k', { top_k: 40 }, { topK: 40 }],
    ['n', { n: 3 }, { candidateCount: 3 }],
    ['stop string', { stop: 'END' }, { stopSequences: ['END'] }],
    ['stop list', { stop: ['a', 'b'] }, { stopSequences: ['a', 'b'] }],
    ['empty stop list', { stop: [] }, undefined],
    ['max_tokens', { max_tokens: 100 }, { maxOutputTokens: 100 }],
    ['max_completion_tokens', { max_completion_tokens: 200 }, { maxOutputTokens: 200 }],
    [
      'max_completion_tokens wins over max_tokens',
      { max_tokens: 100, max_completion_tokens: 200 },
      { maxOutputTokens: 200 },
    ],
    ['presence_penalty', { presence_penalty: 0.5 }, { presencePenalty: 0.5 }],
    ['frequency_penalty', { frequency_penalty: -1 }, { frequencyPenalty: -1 }],
    ['seed', { seed: 42 }, { seed: 42 }],
    ['logprobs', { logprobs: true }, { responseLogprobs: true }],
    ['logprobs + top_logprobs', { logprobs: true, top_logprobs: 5 }, { responseLogprobs: true, logprobs: 5 }],
    ['logprobs false', { logprobs: false }, undefined],
    ['null fields are absent fields', { temperature: null, top_p: null, stop: null, n: null }, undefined],
    ['response_format text', { response_format: { type: 'text' } }, undefined],
    [
      'response_format json_object',
      { response_format: { type: 'json_object' } },
      { responseMimeType: 'application/json' },
    ],
    [
      'response_format json_schema',
      {
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'x',
            strict: true,
            schema: {
              type: 'object',
              properties: { a: { type: 'string' } },
              required: ['a'],
              additionalProperties: false,
            },
          },
        },
      },
      {
        responseMimeType: 'application/json',
        responseSchema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
      },
    ],
    [
      'reasoning_effort on 3.8 Flash',
      { reasoning_effort: 'medium' },
      { thinkingConfig: { thinkingLevel: 'medium', includeThoughts: true } },
    ],
    [
      'reasoning_effort none on 3.8 Flash, which cannot stop thinking',
      { reasoning_effort: 'none' },
      { thinkingConfig: { thinkingLevel: 'low' } },
    ],
    [
      'google.thinking_config',
      { google: { thinking_config: { thinking_budget: 800 } } },
      { thinkingConfig: { thinkingBudget: 800, includeThoughts: true } },
    ],
    [
      'extra_body.google.thinking_config',
      { extra_body: { google: { thinking_config: { thinking_budget: 0 } } } },
      { thinkingConfig: { thinkingBudget: 0 } },
    ],
    [
      'thinking_config with include_thoughts false',
      { google: { thinking_config: { thinking_level: 'low', include_thoughts: false } } },
      { thinkingConfig: { thinkingLevel: 'low', includeThoughts: false } },
    ],
  ])('%s', (_name, fields, expected) => {
    expect(convert(fields).generationConfig).toEqual(expected);
  });

  it('uses thinkingLevel on Gemini 3, never a budget', () => {
    expect(convert({ reasoning_effort: 'high' }, 'gemini-3.1-pro-preview').generationConfig).toEqual({
      thinkingConfig: { thinkingLevel: 'high', includeThoughts: true },
    });
  });

  it('uses a budget on Gemini 2.5, and a level on rolling aliases and unknown names', () => {
    expect(convert({ reasoning_effort: 'medium' }, 'gemini-2.5-flash-lite').generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 8192, includeThoughts: true },
    });
    expect(convert({ reasoning_effort: 'none' }, 'gemini-2.5-flash-lite').generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 0 },
    });
    expect(convert({ reasoning_effort: 'minimal' }, 'gemini-flash-latest').generationConfig).toEqual({
      thinkingConfig: { thinkingLevel: 'low', includeThoughts: true },
    });
    expect(convert({ reasoning_effort: 'low' }, 'gemini-4-flash').generationConfig).toEqual({
      thinkingConfig: { thinkingLevel: 'low', includeThoughts: true },
    });
  });

  it.each([
    ['gemini-flash-latest', 'skip_thought_signature_validator'],
    ['gemini-4-pro', 'skip_thought_signature_validator'],
    ['gemini-3.8-flash', 'skip_thought_signature_validator'],
    ['gemini-2.5-flash-lite', undefined],
  ])('a tool call without a signature, sent to %s, gets the placeholder %s', (model, signature) => {
    const history = chatRequestSchema.parse({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
    const call = toGeminiRequest(history, { model, media: new Map() }).contents[1]?.parts[0];
    expect(call).toMatchObject({ functionCall: { name: 'get_weather' } });
    expect((call as { thoughtSignature?: string }).thoughtSignature).toBe(signature);
  });

  it('leaves google.thinking_config as the client sent it, even a level the model would refuse', () => {
    const thinking = { google: { thinking_config: { thinking_level: 'minimal' } } };
    expect(convert(thinking, 'gemini-3.8-flash').generationConfig).toEqual({
      thinkingConfig: { thinkingLevel: 'minimal', includeThoughts: true },
    });
  });

  it('maps tools, tool_choice and web search', () => {
    const out = convert({
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather now',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
              additionalProperties: false,
            },
            strict: true,
          },
        },
        { type: 'function', function: { name: 'ping', parameters: { type: 'object', properties: {} } } },
        { type: 'function', function: { name: 'noop' } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      web_search_options: {},
    });
    expect(out.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather now',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
          { name: 'ping' },
          { name: 'noop' },
        ],
      },
      { googleSearch: {} },
    ]);
    // Search beside functions needs Gemini's tool-combination switch (the default model is Gemini 3).
    expect(out.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
      includeServerSideToolInvocations: true,
    });
  });

  it('refuses search beside functions on a model that cannot combine them, and needs no switch for search alone', () => {
    const both = { tools: [{ type: 'function', function: { name: 'a' } }], web_search_options: {} };
    expect(() => convert(both, 'gemini-2.5-flash-lite')).toThrow(
      expect.objectContaining({ status: 400, param: 'web_search_options' }),
    );
    expect(() => convert(both, 'gemini-3-pro-image')).toThrow(
      /cannot use Google Search \(or another built-in tool\) together with function tools/,
    );
    expect(convert({ web_search_options: {} }, 'gemini-2.5-flash-lite')).toMatchObject({
      tools: [{ googleSearch: {} }],
    });
    expect(convert({ web_search_options: {} }, 'gemini-2.5-flash-lite').toolConfig).toBeUndefined();
  });

  it.each([
    // model, modalities, responseModalities sent
    ['gemini-3.1-flash-image', undefined, ['TEXT', 'IMAGE']],
    ['gemini-3-pro-image', ['text'], ['TEXT']],
    ['gemini-3-pro-image', ['image'], ['IMAGE']],
    ['gemini-3-pro-image', ['image', 'text'], ['TEXT', 'IMAGE']],
    ['gemini-3.8-flash', ['text'], undefined],
    ['gemini-3.8-flash', undefined, undefined],
  ])('%s with modalities %j asks for %j', (model, modalities, expected) => {
    const out = convert(modalities ? { modalities } : {}, model);
    expect(out.generationConfig?.responseModalities).toEqual(expected);
  });

  it('refuses image output from a model that cannot make images', () => {
    expect(() => convert({ modalities: ['text', 'image'] }, 'gemini-3.8-flash')).toThrow(
      expect.objectContaining({ status: 400, param: 'modalities' }),
    );
  });

  it('filters declarations for allowed_tools in auto mode', () => {
    const out = convert({
      tools: [
        { type: 'function', function: { name: 'a' } },
        { type: 'function', function: { name: 'b' } },
      ],
      tool_choice: {
        type: 'allowed_tools',
        allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'b' } }] },
      },
    });
    expect(out.tools).toEqual([{ functionDeclarations: [{ name: 'b' }] }]);
    expect(out.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it("sends no toolConfig for tool_choice 'none' without tools", () => {
    const out = convert({ tool_choice: 'none' });
    expect(out.tools).toBeUndefined();
    expect(out.toolConfig).toBeUndefined();
  });

  it.each([
    [
      'google',
      {
        google: {
          safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
          cached_content: 'cachedContents/abc',
        },
      },
    ],
    [
      'extra_body.google',
      {
        extra_body: {
          google: {
            safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
            cached_content: 'cachedContents/abc',
          },
        },
      },
    ],
  ])('forwards safety settings and cached content from %s', (_name, fields) => {
    const out = convert(fields);
    expect(out.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]);
    expect(out.cachedContent).toBe('cachedContents/abc');
  });

  it("forwards the original project's top-level safety_settings", () => {
    expect(
      convert({ safety_settings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_ONLY_HIGH' }] })
        .safetySettings,
    ).toEqual([{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_ONLY_HIGH' }]);
  });

  it.each([
    [
      'reasoning_effort with thinking_config',
      { reasoning_effort: 'low', google: { thinking_config: { thinking_budget: 5 } } },
      'reasoning_effort',
    ],
    ['top_logprobs without logprobs', { top_logprobs: 2 }, 'top_logprobs'],
    ['audio output', { modalities: ['text', 'audio'] }, 'modalities'],
    ['audio options', { audio: { voice: 'alloy', format: 'mp3' } }, 'audio'],
    [
      'json_schema with a remote $ref',
      { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { $ref: 'http://x' } } } },
      'response_format.json_schema.schema',
    ],
    [
      'tool parameters with a bad $ref',
      { tools: [{ type: 'function', function: { name: 'f', parameters: { $ref: '#/nope' } } }] },
      'tools[0].function.parameters',
    ],
  ])('refuses %s with a 400 naming %s', (_name, fields, param) => {
    let error: GatewayError | undefined;
    try {
      convert(fields);
    } catch (caught) {
      error = caught as GatewayError;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error?.status).toBe(400);
    expect(error?.param).toBe(param);
  });

  it('ignores the documented no-op fields', () => {
    expect(
      convert({
        user: 'u',
        metadata: {},
        store: true,
        service_tier: 'auto',
        parallel_tool_calls: false,
        logit_bias: { 1: 2 },
        prediction: null,
        verbosity: 'low',
      }),
    ).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
    });
  });
});
