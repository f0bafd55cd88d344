import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messagesRequestSchema } from '../../../src/anthropic/messages-request-schema';
import { parseMessagesRequest } from '../../../src/anthropic/parse-messages-request';
import { readPlainMessages } from '../../../src/anthropic/read-plain-messages';
import { readPlainTools } from '../../../src/anthropic/read-plain-tools';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { checkMutatedRequests, outcomeOf, recordedBody } from '../support/fast-path';

/** What the whole schema does with `json`: its result, or the error it throws. */
const bySchema = (json: unknown) => outcomeOf(() => parseWithSchema(messagesRequestSchema, json));
const byParser = (json: unknown) => outcomeOf(() => parseMessagesRequest(json));

/** Both ways agree, key order included; returns whether the hand-read path took the request. */
function expectSame(json: unknown): boolean {
  const expected = bySchema(json);
  const actual = byParser(json);
  expect(actual).toStrictEqual(expected);
  if (expected.value !== undefined) expect(JSON.stringify(actual.value)).toBe(JSON.stringify(expected.value));
  return expected.value !== undefined && readPlainMessages((json as { messages?: unknown }).messages) !== undefined;
}

const recorded = ['claude-code-first-request', 'claude-code-tool-result-request'].map(recordedBody);

// Values a field may take instead of its own: right for some other field, wrong for this one, or absent.
const replacement = fc.oneof(
  fc.constantFrom(
    '',
    'x',
    '1bad',
    'text',
    'image',
    'document',
    'tool_use',
    'tool_result',
    'thinking',
    'redacted_thinking',
    'server_tool_use',
    'web_search_tool_result',
    'custom',
    'web_search_20250305',
    'user',
    'assistant',
    'system',
    'robot',
    'constructor',
    '__proto__',
  ),
  fc.constantFrom(
    null,
    0,
    1.5,
    true,
    false,
    [],
    {},
    [{ type: 'text', text: 'a' }],
    { type: 'object' },
    { type: 'tool_result', tool_use_id: 'x', content: 'c' },
    { type: 'thinking', thinking: 't', signature: 'c2ln' },
  ),
  fc.string({ maxLength: 6 }),
);
const KEYS = [
  'type',
  'role',
  'name',
  'description',
  'input_schema',
  'defer_loading',
  'content',
  'is_error',
  'signature',
  'extra',
];

describe('parseMessagesRequest', () => {
  it("returns what the schema returns, key order included, for Claude Code's recorded requests", () => {
    for (const text of recorded) {
      const json: unknown = JSON.parse(text);
      expect(expectSame(json)).toBe(true);
      expect(readPlainTools((json as { tools?: unknown }).tools)).toBeDefined();
    }
  });

  it('returns what the schema returns and throws what it throws on mutated Claude Code requests', () => {
    checkMutatedRequests({ recorded, replacement, keys: KEYS, expectSame });
  }, 60_000);

  it('reads text, tool use, text tool results and thinking by hand, unknown keys left out', () => {
    const json = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'Read a file.' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Reading.', signature: 'c2ln' },
            { type: 'redacted_thinking', data: 'x' },
            { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a' }, caller: { type: 'direct' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a' }], is_error: false },
            { type: 'tool_result', tool_use_id: 'toolu_1' },
            { type: 'text', text: 'Go on.', cache_control: { type: 'ephemeral' } },
          ],
        },
        { role: 'system', content: 'Mid-conversation.' },
      ],
      tools: [
        { name: 'Read', description: 'Reads.', input_schema: { type: 'object' }, cache_control: {} },
        { type: 'custom', name: 'Later', input_schema: { type: 'object' }, defer_loading: true },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
      ],
    };
    expect(readPlainMessages(json.messages)).toBeDefined();
    expect(readPlainTools(json.tools)).toBeDefined();
    expect(expectSame(json)).toBe(true);
  });

  it('leaves anything else to the schema', () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } };
    expect(readPlainMessages([{ role: 'user', content: [image] }])).toBeUndefined();
    expect(
      readPlainMessages([{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x', content: [image] }] }]),
    ).toBeUndefined();
    expect(
      readPlainMessages([
        { role: 'assistant', content: [{ type: 'server_tool_use', id: 'x', name: 'web_search', input: {} }] },
      ]),
    ).toBeUndefined();
    expect(readPlainMessages([{ role: 'system', content: [{ type: 'image' }] }])).toBeUndefined();
    expect(
      readPlainMessages([{ role: 'user', content: [{ type: 'thinking', thinking: 't', signature: null }] }]),
    ).toBeUndefined();
    expect(readPlainTools([{ name: '1bad' }])).toBeUndefined();
  });
});
