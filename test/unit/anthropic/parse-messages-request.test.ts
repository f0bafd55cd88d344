import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messagesRequestSchema } from '../../../src/anthropic/messages-request-schema';
import { parseMessagesRequest } from '../../../src/anthropic/parse-messages-request';
import { readMessagesRequest } from '../../../src/anthropic/read-messages-request';
import { readPlainMessages, readTextBlocks } from '../../../src/anthropic/read-plain-messages';
import { readPlainTools } from '../../../src/anthropic/read-plain-tools';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { checkMutatedRequests, outcomeOf, recordedBody } from '../support/fast-path';

/** What the whole schema does with `json`: its result, or the error it throws. */
const bySchema = (json: unknown) => outcomeOf(() => parseWithSchema(messagesRequestSchema, json));
const byParser = (json: unknown) => outcomeOf(() => parseMessagesRequest(json));

/** What the top-level reader alone makes of `json`, given its hand-read messages, system and tools. */
function byTopLevelReader(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const body = json as Record<string, unknown>;
  const messages = readPlainMessages(body.messages);
  const system = 'system' in body ? readTextBlocks(body.system) : undefined;
  const tools = 'tools' in body ? readPlainTools(body.tools) : undefined;
  if (!messages || ('system' in body && system === undefined) || ('tools' in body && tools === undefined))
    return undefined;
  return readMessagesRequest(body, { messages, system, tools });
}

/** Both ways agree, key order included; returns whether the hand-read path took the request. */
function expectSame(json: unknown): boolean {
  const expected = bySchema(json);
  const actual = byParser(json);
  expect(actual).toStrictEqual(expected);
  if (expected.value !== undefined) expect(JSON.stringify(actual.value)).toBe(JSON.stringify(expected.value));
  // The top-level reader takes only what the schema takes, and gives what it gives.
  const read = byTopLevelReader(json);
  if (read !== undefined) {
    expect(read).toStrictEqual(expected.value);
    expect(JSON.stringify(read)).toBe(JSON.stringify(expected.value));
  }
  return expected.value !== undefined && readPlainMessages((json as { messages?: unknown }).messages) !== undefined;
}

/** expectSame, returning whether the top-level reader took the request. */
function expectSameTopLevel(json: unknown): boolean {
  expectSame(json);
  return byTopLevelReader(json) !== undefined;
}

const recorded = ['claude-code-first-request', 'claude-code-tool-result-request'].map(recordedBody);

/**
 * The recorded requests with one short message, one small tool and one system block, the other usual
 * top-level fields added: mutations then land on the top-level fields most of the time instead of once in a
 * few hundred places.
 */
const recordedTopLevel = recorded.map((text) => {
  const json = JSON.parse(text) as Record<string, unknown[]>;
  return JSON.stringify({
    ...json,
    messages: [{ role: 'user', content: 'hi' }],
    system: json.system?.slice(0, 1),
    tools: [{ name: 'Read', input_schema: { type: 'object' } }],
    tool_choice: { type: 'tool', name: 'Read', disable_parallel_tool_use: true },
    temperature: 0.5,
    top_p: 1,
    top_k: 40,
    stop_sequences: ['END'],
    output_format: null,
  });
});

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
  // Top-level values: tool_choice, thinking, output_config, sampling, stop sequences, max_tokens.
  fc.constantFrom(
    'auto',
    'any',
    'tool',
    'none',
    'enabled',
    'adaptive',
    'between_tools',
    'disabled',
    'summarized',
    'omitted',
    'low',
    'max',
    'json_schema',
    -1,
    0.25,
    2,
    128000,
    2 ** 31,
    Number.POSITIVE_INFINITY,
    ['END'],
    ['a', 'b', 'c', 'd', 'e', 'f'],
    [1],
    { type: 'auto' },
    { type: 'any', disable_parallel_tool_use: false },
    { type: 'tool', name: 'Read', extra: 1 },
    { type: 'none', disable_parallel_tool_use: true },
    { type: 'enabled', budget_tokens: 1024, display: 'summarized' },
    { type: 'enabled', budget_tokens: -1 },
    { type: 'adaptive', display: null },
    { type: 'between_tools' },
    { effort: 'high', format: null },
    { effort: 'extreme' },
    { format: { type: 'json_schema', schema: { type: 'object' } } },
    { type: 'json_schema', schema: { type: 'object' } },
    { user_id: 'u' },
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
  'model',
  'max_tokens',
  'stream',
  'thinking',
  'budget_tokens',
  'display',
  'output_config',
  'effort',
  'format',
  'output_format',
  'tool_choice',
  'disable_parallel_tool_use',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'metadata',
  'context_management',
  'service_tier',
  'system',
  'tools',
  'messages',
];

describe('parseMessagesRequest', () => {
  it("returns what the schema returns, key order included, for Claude Code's recorded requests", () => {
    for (const text of recorded) {
      const json: unknown = JSON.parse(text);
      expect(expectSame(json)).toBe(true);
      expect(readPlainTools((json as { tools?: unknown }).tools)).toBeDefined();
      expect(byTopLevelReader(json)).toBeDefined();
    }
  });

  it('reads the usual top-level fields by hand as the schema does, on mutated cut-down Claude Code requests', () => {
    for (const text of recordedTopLevel) expect(expectSameTopLevel(JSON.parse(text))).toBe(true);
    checkMutatedRequests({ recorded: recordedTopLevel, replacement, keys: KEYS, expectSame: expectSameTopLevel });
  }, 60_000);

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

  // Each field's values one by one, taken by hand (true) or left to the schema (false); both give the schema's result.
  it.each<[Record<string, unknown>, boolean]>([
    [{ stream: false, system: 'Be brief.', tools: [] }, true],
    [{ stream: null }, false],
    [{ tool_choice: { type: 'auto', disable_parallel_tool_use: true, extra: 1 } }, true],
    [{ tool_choice: { type: 'any' } }, true],
    [{ tool_choice: { type: 'tool', name: 'Read' } }, true],
    [{ tool_choice: { type: 'none', disable_parallel_tool_use: true } }, true],
    [{ tool_choice: { type: 'tool' } }, false],
    [{ tool_choice: { type: 'auto', disable_parallel_tool_use: null } }, false],
    [{ tool_choice: 'auto' }, false],
    [{ thinking: { type: 'enabled', budget_tokens: 0, display: 'summarized' } }, true],
    [{ thinking: { type: 'enabled', budget_tokens: 1.5 } }, false],
    [{ thinking: { type: 'enabled' } }, false],
    [{ thinking: { type: 'adaptive', display: null } }, true],
    [{ thinking: { type: 'adaptive', display: 'full' } }, false],
    [{ thinking: { type: 'between_tools', display: 'omitted' } }, true],
    [{ thinking: { type: 'disabled', budget_tokens: -1 } }, true],
    [{ thinking: { type: 'on' } }, false],
    [{ output_config: { effort: 'max', format: null, extra: 1 } }, true],
    [{ output_config: {} }, true],
    [{ output_config: { effort: null } }, true],
    [{ output_config: { effort: 'none' } }, false],
    [{ output_config: { format: { type: 'json_schema', schema: { type: 'object' } } } }, false],
    [{ output_format: null }, true],
    [{ output_format: { type: 'json_schema', schema: { type: 'object' } } }, false],
    [{ temperature: 1, top_p: 0, top_k: 0, stop_sequences: [] }, true],
    [{ temperature: 1.5 }, false],
    [{ temperature: null }, false],
    [{ top_k: 1.5 }, false],
    [{ stop_sequences: ['a', 'b', 'c', 'd', 'e', 'f'] }, false],
    [{ stop_sequences: [1] }, false],
    [{ metadata: null, cache_control: 1, speed: 'fast', betas: ['x'], workspace_id: {} }, true],
    [{ max_tokens: 0 }, false],
    [{ max_tokens: 2 ** 31 }, false],
    [{ unknown_field: 1 }, false],
    [{ model: '' }, false],
  ])('%j', (fields, byHand) => {
    const json = { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], ...fields };
    expect(expectSameTopLevel(json)).toBe(byHand);
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
