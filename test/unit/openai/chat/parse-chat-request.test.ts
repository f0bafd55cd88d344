import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWithSchema } from '../../../../src/http/parse-with-schema';
import { chatRequestSchema } from '../../../../src/openai/chat/chat-request-schema';
import { parseChatRequest } from '../../../../src/openai/chat/parse-chat-request';
import { readPlainMessages } from '../../../../src/openai/chat/read-plain-messages';

/** What the whole schema does with `json`: its result, or the error it throws. */
function bySchema(json: unknown): { value?: unknown; error?: unknown } {
  try {
    return { value: parseWithSchema(chatRequestSchema, json) };
  } catch (error) {
    return { error };
  }
}

const expectedOk = (json: unknown) => bySchema(json).value !== undefined;

function byParser(json: unknown): { value?: unknown; error?: unknown } {
  try {
    return { value: parseChatRequest(json) };
  } catch (error) {
    return { error };
  }
}

// Values a field may hold: right, wrong, absent (undefined is left out by the record below).
const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constant('你好'));
const anyValue = fc.oneof(
  text,
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant([{ type: 'text', text: 'a' }]),
);
// Mostly the right type, sometimes absent, now and then anything: histories that are plain apart from a
// field or two, so both the hand-read path and the schema's errors are exercised.
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 60, arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: anyValue },
  );
const google = fc.record({
  thought_signature: fc.option(maybe(fc.oneof(text, fc.constant(null))), { nil: undefined }),
});
const toolCall = fc.record({
  id: maybe(text),
  type: maybe(fc.constant('function')),
  function: maybe(fc.record({ name: maybe(text), arguments: maybe(text), extra: fc.option(text, { nil: undefined }) })),
  extra_content: fc.option(
    maybe(
      fc.oneof(
        fc.constant(null),
        fc.record({
          google: fc.option(maybe(fc.oneof(fc.constant(null), google)), { nil: undefined }),
          other: fc.option(text, { nil: undefined }),
        }),
      ),
    ),
    { nil: undefined },
  ),
  index: fc.option(fc.integer(), { nil: undefined }),
});
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const message = fc
  .oneof(
    fc.record({
      role: maybe(fc.constantFrom('system', 'developer', 'user')),
      content: maybe(text),
      name: optional(maybe(fc.oneof(text, fc.constant(null)))),
      reasoning_content: optional(text),
    }),
    fc.record({
      role: maybe(fc.constant('assistant')),
      content: optional(maybe(fc.oneof(text, fc.constant(null)))),
      tool_calls: optional(maybe(fc.oneof(fc.constant(null), fc.array(toolCall, { maxLength: 3 })))),
      refusal: optional(maybe(fc.oneof(text, fc.constant(null)))),
      name: optional(maybe(fc.oneof(text, fc.constant(null)))),
      id: optional(text),
    }),
    fc.record({
      role: maybe(fc.constant('tool')),
      content: maybe(text),
      tool_call_id: maybe(text),
      name: optional(text),
    }),
    fc.record({
      role: maybe(fc.constantFrom('user', 'function')),
      content: maybe(fc.constant([{ type: 'text', text: 'part' }])),
    }),
  )
  .chain((plain) => fc.constant(plain));
const history = fc.array(
  fc.oneof(
    { weight: 20, arbitrary: message.filter((m) => !Array.isArray((m as { content?: unknown }).content)) },
    { weight: 1, arbitrary: message },
  ),
  { maxLength: 6 },
);
const request = fc.record({
  model: maybe(fc.constantFrom('gpt-4o', 'gemini-3.8-flash')),
  messages: maybe(history),
  temperature: optional(maybe(fc.double({ min: 0, max: 2.2, noNaN: true }))),
  stream: optional(maybe(fc.boolean())),
  user: optional(text),
  unknown_field: fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: text }),
});
// JSON round trip: what a client can really send (no undefined values, no -0).
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('parseChatRequest', () => {
  it('returns what the schema returns, key order included, and throws what it throws', () => {
    let readByHand = 0;
    fc.assert(
      fc.property(request, (generated) => {
        const json = asJson(generated);
        if (readPlainMessages((json as { messages?: unknown }).messages) && expectedOk(json)) readByHand++;
        const expected = bySchema(json);
        const actual = byParser(json);
        expect(actual).toStrictEqual(expected);
        if (expected.value !== undefined) expect(JSON.stringify(actual.value)).toBe(JSON.stringify(expected.value));
      }),
      { numRuns: 3000 },
    );
    // Enough of the generated requests took the hand-read path for the comparison to mean something.
    expect(readByHand).toBeGreaterThan(300);
  });

  it('reads plain histories by hand: text, tool calls with Gemini signatures, tool results, unknown keys left out', () => {
    const messages = asJson([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Read a file.', name: null, reasoning_content: 'x' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'read', arguments: '{}' },
            extra_content: { google: { thought_signature: 'sig' } },
            index: 0,
          },
        ],
      },
      { role: 'tool', content: 'contents', tool_call_id: 'c1', name: 'read' },
    ]);
    const read = readPlainMessages(messages);
    expect(read).toBeDefined();
    expect(JSON.stringify(read)).toBe(
      JSON.stringify(parseWithSchema(chatRequestSchema, { model: 'm', messages }).messages),
    );
  });

  it('leaves anything else to the schema', () => {
    expect(readPlainMessages([])).toBeUndefined();
    expect(readPlainMessages([{ role: 'user', content: [{ type: 'text', text: 'a' }] }])).toBeUndefined();
    expect(readPlainMessages([{ role: 'function', content: 'a' }])).toBeUndefined();
    expect(readPlainMessages([{ role: 'tool', content: 'a' }])).toBeUndefined();
  });
});
