import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWithSchema } from '../../../../src/http/parse-with-schema';
import { chatRequestSchema } from '../../../../src/openai/chat/chat-request-schema';
import { parseChatRequest } from '../../../../src/openai/chat/parse-chat-request';
import { readChatRequest } from '../../../../src/openai/chat/read-chat-request';

/** What the whole schema does with `json`: its result, or the error it throws. */
function bySchema(json: unknown): { value?: unknown; error?: unknown } {
  try {
    return { value: parseWithSchema(chatRequestSchema, json) };
  } catch (error) {
    return { error };
  }
}

function byParser(json: unknown): { value?: unknown; error?: unknown } {
  try {
    return { value: parseChatRequest(json) };
  } catch (error) {
    return { error };
  }
}

/** Stands for the JSON number 1e400, which JSON.parse reads as Infinity (asJson writes it in). */
const HUGE = '__huge__';
const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constant('你好'), fc.constant(''));
const wrong = fc.oneof(
  text,
  fc.constant(null),
  fc.integer({ min: -3, max: 300 }),
  fc.double({ noNaN: true }),
  fc.constant(HUGE),
  fc.constant(2 ** 31),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant(['a']),
  fc.constant({ type: 'function' }),
);
/** Mostly right, sometimes null, now and then anything. */
const maybe = <T>(arb: fc.Arbitrary<T>, weight = 12) =>
  fc.oneof({ weight, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: wrong });
/**
 * A top-level field: left out most of the time; when sent, mostly a `good` value, sometimes null, now and then
 * one of its `bad` values or anything — so most requests are valid and every field's refusals still come up.
 */
/** Absent, or one time in thirty `arb`. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 30, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const field = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U> = fc.constant(undefined) as fc.Arbitrary<U>) =>
  fc.option(
    fc.oneof(
      { weight: 40, arbitrary: good },
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: bad },
      { weight: 1, arbitrary: wrong },
    ),
    { nil: undefined, freq: 3 },
  );
const nullish = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, fc.constant(null)), { nil: undefined });

const schema = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }) },
  { weight: 5, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__": {"type": "string"}, "type": "object"}') as unknown) },
  { weight: 1, arbitrary: fc.constant([]) },
);
const functionName = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('read_file', '_x', 'a-b', 'googleSearch', 'A9', 'x'.repeat(64)) },
  { weight: 1, arbitrary: fc.constantFrom('9lives', 'has space', '', 'x'.repeat(65), 'naïve') },
);
const functionTool = fc.record({
  type: maybe(fc.constant('function'), 30),
  function: maybe(
    fc.record({
      name: maybe(functionName, 30),
      description: fc.option(maybe(text), { nil: undefined }),
      parameters: fc.option(maybe(schema), { nil: undefined }),
      strict: fc.option(maybe(fc.boolean()), { nil: undefined }),
      extra: fc.option(text, { nil: undefined }),
    }),
    30,
  ),
  extra: fc.option(text, { nil: undefined }),
});
const namedFunction = fc.record({
  type: maybe(fc.constant('function'), 20),
  function: maybe(fc.record({ name: maybe(text), other: fc.option(text, { nil: undefined }) }), 20),
});
const toolChoice = fc.oneof(
  fc.constantFrom('auto', 'none', 'required', 'any'),
  namedFunction,
  fc.record({
    type: maybe(fc.constant('allowed_tools'), 20),
    allowed_tools: maybe(
      fc.record({
        mode: maybe(fc.constantFrom('auto', 'required', 'none'), 20),
        tools: maybe(fc.array(namedFunction, { maxLength: 3 }), 20),
      }),
      20,
    ),
  }),
);
const responseFormat = fc.oneof(
  fc.record({
    type: fc.oneof({ weight: 20, arbitrary: fc.constantFrom('text', 'json_object') }, { weight: 1, arbitrary: wrong }),
    extra: fc.option(text, { nil: undefined }),
  }),
  fc.record({
    type: maybe(fc.constant('json_schema'), 20),
    json_schema: maybe(
      fc.record({
        name: maybe(text, 20),
        description: fc.option(maybe(text), { nil: undefined }),
        schema: fc.option(maybe(schema), { nil: undefined }),
        strict: fc.option(maybe(fc.boolean()), { nil: undefined }),
        other: fc.option(text, { nil: undefined }),
      }),
      20,
    ),
  }),
);
const message = fc.oneof(
  fc.record({ role: fc.constantFrom('system', 'user', 'developer'), content: text }),
  fc.record({ role: fc.constant('assistant'), content: nullish(text) }),
  fc.record({
    role: fc.constant('assistant'),
    content: fc.constant(null),
    tool_calls: fc.constant([{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }]),
  }),
  fc.record({ role: fc.constant('tool'), content: text, tool_call_id: text }),
);
const messages = fc.oneof(
  { weight: 20, arbitrary: fc.array(message, { minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant([{ role: 'user', content: [{ type: 'text', text: 'part' }] }]) },
  { weight: 1, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.constant([{ role: 'function', content: 'x' }]) },
);
const number = (min: number, max: number) =>
  fc.oneof(fc.double({ min, max, noNaN: true }), fc.constantFrom(min, max, -0, (min + max) / 2));
const outside = (min: number, max: number) => fc.constantFrom(min - 0.5, max + 0.5, min - 1, max + 1, HUGE, `-${HUGE}`);
const integer = (min: number, max: number) => fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
const notInteger = (min: number, max: number) =>
  fc.constantFrom(min - 1, max + 1, 1.5, min + 0.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, HUGE);
const googleOptions = fc.oneof(
  fc.constant({ thinking_config: { thinking_budget: 0 } }),
  fc.constant({ cached_content: 'c' }),
  fc.constant({}),
);

const request = fc.record({
  model: fc.oneof(
    { weight: 80, arbitrary: fc.constantFrom('gpt-4o', 'gemini-3.8-flash') },
    { weight: 1, arbitrary: fc.constantFrom('', undefined) },
    { weight: 1, arbitrary: wrong },
  ),
  messages: fc.oneof({ weight: 80, arbitrary: messages }, { weight: 1, arbitrary: fc.constant(undefined) }),
  stream: field(fc.boolean()),
  stream_options: field(
    fc.record({
      include_usage: fc.option(maybe(fc.boolean(), 30), { nil: undefined }),
      include_obfuscation: fc.option(maybe(fc.boolean(), 30), { nil: undefined }),
      other: fc.option(text, { nil: undefined }),
    }),
  ),
  temperature: field(number(0, 2), outside(0, 2)),
  top_p: field(number(0, 1), outside(0, 1)),
  top_k: field(integer(1, 2 ** 31 - 1), notInteger(1, 2 ** 31 - 1)),
  n: field(integer(1, 8), notInteger(1, 8)),
  stop: field(
    fc.oneof(text, fc.array(text, { maxLength: 5 })),
    fc.constantFrom(['a', 3], ['1', '2', '3', '4', '5', '6']),
  ),
  max_tokens: field(integer(1, 2 ** 31 - 1), notInteger(1, 2 ** 31 - 1)),
  max_completion_tokens: field(integer(1, 100), notInteger(1, 2 ** 31 - 1)),
  presence_penalty: field(number(-2, 2), outside(-2, 2)),
  frequency_penalty: field(number(-2, 2), outside(-2, 2)),
  seed: field(integer(-(2 ** 31), 2 ** 31 - 1), notInteger(-(2 ** 31), 2 ** 31 - 1)),
  logprobs: field(fc.boolean()),
  top_logprobs: field(integer(0, 20), notInteger(0, 20)),
  response_format: field(responseFormat),
  tools: field(fc.array(functionTool, { maxLength: 3 })),
  tool_choice: field(toolChoice),
  reasoning_effort: field(fc.constantFrom('none', 'minimal', 'low', 'medium', 'high'), fc.constantFrom('max', 'LOW')),
  web_search_options: rarely(fc.oneof(fc.constant({}), fc.constant(null))),
  modalities: field(fc.array(fc.constantFrom('text', 'image', 'audio'), { maxLength: 3 }), fc.constant(['video'])),
  audio: rarely(fc.oneof(fc.constant(null), fc.constant({ voice: 'x' }))),
  google: rarely(fc.oneof(googleOptions, fc.constant(null))),
  extra_body: rarely(fc.oneof(fc.record({ google: googleOptions }), fc.constant(null))),
  safety_settings: rarely(fc.constantFrom([{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'OFF' }], null)),
  user: fc.option(text, { nil: undefined }),
  parallel_tool_calls: fc.option(fc.boolean(), { nil: undefined }),
  unknown_field: rarely(text),
});
// JSON round trip: what a client can really send (no undefined values), keeping an own `__proto__` key.
const asJson = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value).replaceAll(`"-${HUGE}"`, '-1e400').replaceAll(`"${HUGE}"`, '1e400'));

describe('readChatRequest', () => {
  it('reads only what the schema accepts, into exactly what it returns, key order included', () => {
    let read = 0;
    let accepted = 0;
    fc.assert(
      fc.property(request, (generated) => {
        const json = asJson(generated);
        const expected = bySchema(json);
        const byHand = readChatRequest(json);
        if (expected.value !== undefined) accepted++;
        if (byHand === undefined) return;
        read++;
        expect(expected.error).toBeUndefined();
        expect(byHand).toStrictEqual(expected.value);
        expect(JSON.stringify(byHand)).toBe(JSON.stringify(expected.value));
      }),
      { numRuns: 20000 },
    );
    // Enough of the generated requests were read by hand, and most of those the schema accepts.
    expect(read).toBeGreaterThan(accepted / 3);
    expect(read).toBeGreaterThan(2000);
  });

  it('leaves parseChatRequest returning and throwing what the schema does', () => {
    fc.assert(
      fc.property(request, (generated) => {
        const json = asJson(generated);
        expect(byParser(json)).toStrictEqual(bySchema(json));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads every field it knows in the schema’s order', () => {
    const json = {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hi', name: 'me' }],
      stream: true,
      stream_options: { include_usage: true, include_obfuscation: null, other: 1 },
      temperature: 0.2,
      top_p: 1,
      top_k: 40,
      n: 2,
      stop: ['END'],
      max_tokens: 10,
      max_completion_tokens: 20,
      presence_penalty: -2,
      frequency_penalty: 2,
      seed: -5,
      logprobs: true,
      top_logprobs: 3,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'x', description: null, schema: { type: 'object' }, strict: true, other: 2 },
      },
      tools: [
        {
          type: 'function',
          function: { name: 'read', description: 'Reads.', parameters: { type: 'object' }, strict: null },
          extra: 1,
        },
      ],
      tool_choice: {
        type: 'allowed_tools',
        allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'read' } }] },
      },
      reasoning_effort: 'low',
      web_search_options: null,
      modalities: ['text'],
      audio: null,
      google: null,
      extra_body: null,
      safety_settings: null,
      user: 'u1',
      prompt_cache_key: 'k',
    };
    const byHand = readChatRequest(json);
    expect(byHand).toBeDefined();
    expect(JSON.stringify(byHand)).toBe(JSON.stringify(parseWithSchema(chatRequestSchema, json)));
    // Every field of the schema is read in the same order (the order of the schema's output keys).
    expect(Object.keys(byHand ?? {})).toEqual(Object.keys(chatRequestSchema._zod.def.shape));
  });

  it('keeps tool parameters and response schemas as the objects the client sent', () => {
    const parameters = { type: 'object', properties: { a: { type: 'string' } } };
    const read = readChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [{ type: 'function', function: { name: 'f', parameters } }],
    });
    expect(read?.tools?.[0]?.function.parameters).toBe(parameters);
  });

  it('leaves anything unusual to the schema', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'Hi' }] };
    expect(readChatRequest(base)).toBeDefined();
    for (const json of [
      null,
      [],
      'x',
      { ...base, unknown: 1 },
      JSON.parse('{"model": "m", "messages": [{"role": "user", "content": "Hi"}], "__proto__": {}}') as unknown,
      { ...base, google: { thinking_config: { thinking_budget: 0 } } },
      { ...base, web_search_options: {} },
      JSON.parse('{"model": "m", "messages": [{"role": "user", "content": "Hi"}], "temperature": 1e400}'),
      { ...base, tools: [{ type: 'function', function: { name: 'f', parameters: JSON.parse('{"__proto__": {}}') } }] },
      { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] },
    ])
      expect(readChatRequest(json)).toBeUndefined();
  });
});
