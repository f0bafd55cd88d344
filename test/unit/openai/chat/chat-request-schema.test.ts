import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../../../../src/errors';
import { parseWithSchema } from '../../../../src/http/parse-with-schema';
import { chatRequestSchema } from '../../../../src/openai/chat/chat-request-schema';
import { validationFailure } from '../helpers';

const base = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };

const failure = (body: unknown): GatewayError => validationFailure(chatRequestSchema, body);

describe('chat request validation', () => {
  it.each([
    ['no messages', { model: 'gpt-4o' }, 'messages', "Missing required parameter: 'messages'."],
    ['no model', { messages: base.messages }, 'model', "Missing required parameter: 'model'."],
    [
      'messages not a list',
      { ...base, messages: 'hi' },
      'messages',
      "Invalid type for 'messages': expected an array, but got a string instead.",
    ],
    ['empty messages', { ...base, messages: [] }, 'messages', "Invalid 'messages': expected at least 1 item."],
    [
      'unknown role',
      {
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'function', content: 'x' },
        ],
      },
      'messages[1].role',
      `Invalid value for 'messages[1].role': "function". Supported values are: 'system', 'developer', 'user', 'assistant', 'tool'.`,
    ],
    [
      'missing role',
      { ...base, messages: [{ content: 'x' }] },
      'messages[0].role',
      "Missing required parameter: 'messages[0].role'.",
    ],
    [
      'content of wrong type',
      { ...base, messages: [{ role: 'user', content: 5 }] },
      'messages[0].content',
      "Invalid type for 'messages[0].content': got a number, which matches none of the accepted forms.",
    ],
    [
      'bad text part',
      { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 3 }] }] },
      'messages[0].content[0].text',
      "Invalid type for 'messages[0].content[0].text': expected a string, but got a number instead.",
    ],
    [
      'unknown part type',
      { ...base, messages: [{ role: 'user', content: [{ type: 'video', video: {} }] }] },
      'messages[0].content[0].type',
      `Invalid value for 'messages[0].content[0].type': "video". Supported values are: 'text', 'image_url', 'input_audio', 'file'.`,
    ],
    [
      'tool without tool_call_id',
      { ...base, messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id',
      "Missing required parameter: 'messages[0].tool_call_id'.",
    ],
    [
      'temperature as string',
      { ...base, temperature: 'hot' },
      'temperature',
      "Invalid type for 'temperature': expected a number, but got a string instead.",
    ],
    [
      'temperature too high',
      { ...base, temperature: 3 },
      'temperature',
      "Invalid 'temperature': expected a value <= 2.",
    ],
    [
      'six stop sequences',
      { ...base, stop: ['a', 'b', 'c', 'd', 'e', 'f'] },
      'stop',
      "Invalid 'stop': Gemini accepts at most 5 stop sequences.",
    ],
    ['n of zero', { ...base, n: 0 }, 'n', "Invalid 'n': expected a value >= 1."],
    [
      'fractional max_tokens',
      { ...base, max_tokens: 1.5 },
      'max_tokens',
      "Invalid type for 'max_tokens': expected an integer, but got a number instead.",
    ],
    [
      'unknown reasoning_effort',
      { ...base, reasoning_effort: 'extreme' },
      'reasoning_effort',
      `Invalid value for 'reasoning_effort': "extreme". Supported values are: 'none', 'minimal', 'low', 'medium', 'high'.`,
    ],
    [
      'empty safety category',
      { ...base, safety_settings: [{ category: '', threshold: 'BLOCK_NONE' }] },
      'safety_settings[0].category',
      "Invalid 'safety_settings[0].category': must be one of Gemini's HarmCategory names.",
    ],
    [
      'lower-case threshold',
      { ...base, google: { safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'none' }] } },
      'google.safety_settings[0].threshold',
      "Invalid 'google.safety_settings[0].threshold': must be one of Gemini's HarmBlockThreshold names.",
    ],
    [
      'unknown top-level field',
      { ...base, temprature: 1 },
      'temprature',
      'Unrecognized request argument supplied: temprature',
    ],
    ['legacy functions', { ...base, functions: [] }, 'functions', 'Unrecognized request argument supplied: functions'],
    [
      'unknown google option',
      { ...base, google: { thinking: 1 } },
      'google.thinking',
      "Unrecognized argument 'thinking' in 'google'.",
    ],
    [
      'unknown field among ignored ones',
      { ...base, user: 'u', temprature: 1, metadata: {} },
      'temprature',
      'Unrecognized request argument supplied: temprature',
    ],
    [
      'bad field and unknown field',
      { ...base, temprature: 1, temperature: 'hot' },
      'temperature',
      "Invalid type for 'temperature': expected a number, but got a string instead.",
    ],
    [
      'tool parameters as a list',
      { ...base, tools: [{ type: 'function', function: { name: 'f', parameters: [] } }] },
      'tools[0].function.parameters',
      "Invalid type for 'tools[0].function.parameters': expected a record, but got an array instead.",
    ],
    [
      'tool parameters as text',
      { ...base, tools: [{ type: 'function', function: { name: 'f', parameters: '{}' } }] },
      'tools[0].function.parameters',
      "Invalid type for 'tools[0].function.parameters': expected a record, but got a string instead.",
    ],
    [
      'json_schema schema as a number',
      { ...base, response_format: { type: 'json_schema', json_schema: { name: 'n', schema: 1 } } },
      'response_format.json_schema.schema',
      "Invalid type for 'response_format.json_schema.schema': expected a record, but got a number instead.",
    ],
    [
      'bad response_format type',
      { ...base, response_format: { type: 'xml' } },
      'response_format.type',
      `Invalid value for 'response_format.type': "xml". Supported values are: 'text', 'json_object', 'json_schema'.`,
    ],
    [
      'bad tool_choice',
      { ...base, tool_choice: 'always' },
      'tool_choice',
      `Invalid value for 'tool_choice': "always". Supported values are: 'auto', 'none', 'required'.`,
    ],
    [
      'tool_choice object without function',
      { ...base, tool_choice: { type: 'function' } },
      'tool_choice.function',
      "Missing required parameter: 'tool_choice.function'.",
    ],
    [
      'tool without function name',
      { ...base, tools: [{ type: 'function', function: {} }] },
      'tools[0].function.name',
      "Missing required parameter: 'tools[0].function.name'.",
    ],
    [
      'user message without content',
      { ...base, messages: [{ role: 'user' }] },
      'messages[0].content',
      "Missing required parameter: 'messages[0].content'.",
    ],
    [
      'system message without content',
      { ...base, messages: [{ role: 'system' }] },
      'messages[0].content',
      "Missing required parameter: 'messages[0].content'.",
    ],
  ])('%s → 400 naming %s', (_name, body, param, message) => {
    const error = failure(body);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message).toBe(message);
  });

  it.each([
    [
      'an array thousands of levels deep',
      JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) as unknown,
      'an array',
    ],
    ['an object', { a: 1 }, 'an object'],
    ['a long string', 'x'.repeat(10_000), `"${'x'.repeat(199)}…`],
    ['a number', 5, '5'],
  ])('quotes %s refused by an enum without overflowing the stack or echoing it whole', (_name, value, quoted) => {
    const error = failure({ ...base, reasoning_effort: value });
    expect(error.param).toBe('reasoning_effort');
    expect(error.message).toBe(
      `Invalid value for 'reasoning_effort': ${quoted}. Supported values are: 'none', 'minimal', 'low', 'medium', 'high'.`,
    );
  });

  it('quotes a deep discriminator value by its kind', () => {
    const role = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) as unknown;
    expect(failure({ ...base, messages: [{ role, content: 'x' }] }).message).toBe(
      "Invalid value for 'messages[0].role': an array. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool'.",
    );
  });

  const INT32 = 'Gemini takes 32-bit integers';
  it.each([
    ['max_tokens', 2 ** 31, `Invalid 'max_tokens': expected a value <= 2147483647 (${INT32}).`],
    ['max_completion_tokens', 2 ** 40, `Invalid 'max_completion_tokens': expected a value <= 2147483647 (${INT32}).`],
    ['top_k', 2 ** 31, `Invalid 'top_k': expected a value <= 2147483647 (${INT32}).`],
    ['seed', 2 ** 31, `Invalid 'seed': expected a value <= 2147483647 (${INT32}).`],
    ['seed', -(2 ** 31) - 1, `Invalid 'seed': expected a value >= -2147483648 (${INT32}).`],
    ['n', 2 ** 31, "Invalid 'n': expected a value <= 8 (Gemini returns at most 8 choices)."],
    ['n', 9, "Invalid 'n': expected a value <= 8 (Gemini returns at most 8 choices)."],
    ['top_logprobs', 21, "Invalid 'top_logprobs': expected a value <= 20."],
  ])('%s %d is a 400 naming it', (field, value, message) => {
    const error = failure({ ...base, [field]: value });
    expect(error.param).toBe(field);
    expect(error.message).toBe(message);
  });

  it.each([
    ['google.thinking_config.thinking_budget', { google: { thinking_config: { thinking_budget: 2 ** 31 } } }],
    ['google.thinking_config.thinking_budget', { google: { thinking_config: { thinking_budget: -2 } } }],
    [
      'extra_body.google.thinking_config.thinking_budget',
      { extra_body: { google: { thinking_config: { thinking_budget: 2 ** 31 } } } },
    ],
  ])('%s out of range is a 400 naming it', (param, extra) => {
    expect(failure({ ...base, ...extra }).param).toBe(param);
  });

  it.each([
    ['max_tokens', 2 ** 31 - 1],
    ['top_k', 2 ** 31 - 1],
    ['seed', -(2 ** 31)],
    ['seed', 2 ** 31 - 1],
    ['n', 8],
  ])('%s %d at the edge of the range is accepted', (field, value) => {
    expect(parseWithSchema(chatRequestSchema, { ...base, [field]: value })).toMatchObject({ [field]: value });
  });

  it.each([['bad name'], ['x'.repeat(65)], ['a/b'], ['1tool'], ['-tool'], ['get.weather'], ['ns:tool'], ['']])(
    'the function name %j is a 400 naming tools[0].function.name',
    (name) => {
      const error = failure({ ...base, tools: [{ type: 'function', function: { name } }] });
      expect(error.param).toBe('tools[0].function.name');
      expect(error.message).toMatch(
        /^Invalid 'tools\[0\]\.function\.name': a function name must start with a letter or an underscore/,
      );
    },
  );

  it.each([['get_weather'], ['_private'], ['Tool-2'], ['x'.repeat(64)]])('the function name %j is accepted', (name) => {
    expect(
      parseWithSchema(chatRequestSchema, { ...base, tools: [{ type: 'function', function: { name } }] }).tools?.[0]
        ?.function.name,
    ).toBe(name);
  });

  it('accepts every documented field', () => {
    const body = {
      ...base,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      n: 2,
      stop: 'END',
      max_tokens: 100,
      max_completion_tokens: 200,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      seed: 7,
      logprobs: true,
      top_logprobs: 3,
      response_format: { type: 'json_object' },
      tools: [
        { type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} }, strict: true } },
      ],
      tool_choice: 'auto',
      reasoning_effort: 'low',
      web_search_options: { search_context_size: 'low' },
      modalities: ['text'],
      audio: null,
      extra_body: { google: { cached_content: 'cachedContents/abc' } },
      safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      user: 'u1',
      metadata: { a: 'b' },
      store: false,
      service_tier: 'auto',
      parallel_tool_calls: true,
      logit_bias: { '50256': -100 },
      prediction: null,
      prompt_cache_key: 'k',
      safety_identifier: 's',
      verbosity: 'low',
    };
    expect(parseWithSchema(chatRequestSchema, body).stop).toBe('END');
  });

  it('takes a tool schema as it is, without an own __proto__ key', () => {
    const parameters = JSON.parse(
      '{"type":"object","__proto__":{"type":"string"},"properties":{"a":{"type":"string"}}}',
    ) as Record<string, unknown>;
    const parsed = parseWithSchema(chatRequestSchema, {
      ...base,
      tools: [{ type: 'function', function: { name: 'f', parameters } }],
    });
    const out = parsed.tools?.[0]?.function.parameters;
    expect(out).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
    expect(Object.hasOwn(out ?? {}, '__proto__')).toBe(false);
    expect(
      failure(JSON.parse('{"model":"m","messages":[{"role":"user","content":"x"}],"user":"u","__proto__":{}}')).message,
    ).toBe('Unrecognized request argument supplied: __proto__');
  });

  it('ignores unknown keys inside messages (clients echo their own fields back)', () => {
    const parsed = parseWithSchema(chatRequestSchema, {
      ...base,
      messages: [{ role: 'assistant', content: 'x', reasoning_content: 'thought', id: 'm1' }],
    });
    expect(parsed.messages[0]).toEqual({ role: 'assistant', content: 'x' });
  });
});
