import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { parseResponsesRequest } from '../../../src/responses/parse-responses-request';
import { readPlainInput } from '../../../src/responses/read-plain-input';
import { readPlainTools } from '../../../src/responses/read-plain-tools';
import { readResponsesRequest } from '../../../src/responses/read-responses-request';
import { responsesRequestSchema, withItemTypes } from '../../../src/responses/responses-request-schema';
import { checkMutatedRequests, outcomeOf, recordedBody } from '../support/fast-path';

/** What the whole schema does with `json`: its result, or the error it throws. */
const bySchema = (json: unknown) => outcomeOf(() => parseWithSchema(responsesRequestSchema, withItemTypes(json)));
const byParser = (json: unknown) => outcomeOf(() => parseResponsesRequest(json));

/** What the top-level reader alone makes of `json`, given its hand-read input and tools. */
function byTopLevelReader(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const body = json as Record<string, unknown>;
  // As parseResponsesRequest decides: a string input and null tools are taken as they are.
  const input = Array.isArray(body.input) ? readPlainInput(body.input) : undefined;
  const tools = Array.isArray(body.tools) ? readPlainTools(body.tools) : undefined;
  if (input === undefined && 'input' in body && typeof body.input !== 'string') return undefined;
  if (tools === undefined && 'tools' in body && body.tools !== null) return undefined;
  return readResponsesRequest(body, { input: input ?? body.input, tools: tools ?? body.tools });
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
  const body = json as { input?: unknown; tools?: unknown };
  return (
    expected.value !== undefined &&
    (readPlainInput(body.input) !== undefined || readPlainTools(body.tools) !== undefined)
  );
}

const recorded = ['codex-first-request', 'codex-tool-turn-request', 'codex-own-model-request'].map(recordedBody);

/** expectSame, returning whether the top-level reader took the request. */
function expectSameTopLevel(json: unknown): boolean {
  expectSame(json);
  return byTopLevelReader(json) !== undefined;
}

/**
 * The recorded requests with one short message and at most one small tool, the other usual top-level fields
 * added: mutations then land on the top-level fields most of the time instead of once in a few hundred places.
 */
const recordedTopLevel = recorded.map((text) => {
  const json = JSON.parse(text) as Record<string, unknown>;
  const cut: Record<string, unknown> = { ...json, input: [{ role: 'user', content: 'hi' }] };
  if (Array.isArray(json.tools)) cut.tools = [{ type: 'function', name: 'f', parameters: { type: 'object' } }];
  return JSON.stringify({
    ...cut,
    instructions: 'Be brief.',
    text: { format: { type: 'text' }, verbosity: 'medium' },
    max_output_tokens: 1000,
    temperature: 1,
    top_p: 0.5,
    previous_response_id: null,
    conversation: null,
    prompt: null,
    background: false,
    metadata: { a: 'b' },
  });
});

// Values a field may take instead of its own: right for some other field, wrong for this one, or absent.
const replacement = fc.oneof(
  fc.constantFrom(
    '',
    'x',
    '1bad',
    '{}',
    'function',
    'custom',
    'namespace',
    'web_search',
    'web_search_preview',
    'file_search',
    'message',
    'function_call',
    'function_call_output',
    'custom_tool_call',
    'custom_tool_call_output',
    'reasoning',
    'item_reference',
    'additional_tools',
    'input_text',
    'output_text',
    'refusal',
    'input_image',
    'summary_text',
    'text',
    'grammar',
    'lark',
    'user',
    'assistant',
    'developer',
    'robot',
    'constructor',
    '__proto__',
  ),
  fc.constantFrom(null, 0, 1.5, true, false, [], {}, [{ type: 'input_text', text: 'a' }], { type: 'object' }),
  // Top-level values: tool_choice, reasoning, text, sampling, include, max_output_tokens.
  fc.constantFrom(
    'auto',
    'none',
    'required',
    'minimal',
    'xhigh',
    'concise',
    'detailed',
    'low',
    'json_object',
    'json_schema',
    'reasoning.encrypted_content',
    -1,
    2,
    2.5,
    1000,
    2 ** 31,
    Number.POSITIVE_INFINITY,
    ['reasoning.encrypted_content'],
    [1],
    { type: 'function', name: 'f' },
    { type: 'web_search' },
    { effort: 'high', summary: 'auto', generate_summary: null, context: 'all_turns' },
    { effort: 'extreme' },
    { summary: null },
    { format: { type: 'json_object', extra: 1 }, verbosity: null },
    { format: { type: 'json_schema', name: 'n', schema: { type: 'object' } } },
    { verbosity: 'loud' },
    { type: 'text' },
    { id: 'conv' },
  ),
  fc.string({ maxLength: 6 }),
);
const KEYS = [
  'type',
  'role',
  'name',
  'description',
  'parameters',
  'strict',
  'format',
  'tools',
  'namespace',
  'extra',
  'model',
  'input',
  'instructions',
  'stream',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning',
  'effort',
  'summary',
  'generate_summary',
  'text',
  'verbosity',
  'max_output_tokens',
  'temperature',
  'top_p',
  'include',
  'store',
  'prompt_cache_key',
  'client_metadata',
  'previous_response_id',
  'conversation',
  'prompt',
  'background',
];

describe('parseResponsesRequest', () => {
  it("returns what the schema returns, key order included, for Codex's recorded requests", () => {
    for (const text of recorded) {
      const json: unknown = JSON.parse(text);
      expect(expectSame(json)).toBe(true);
      expect(readPlainInput((json as { input?: unknown }).input)).toBeDefined();
      const tools = (json as { tools?: unknown }).tools;
      if (tools !== undefined) expect(readPlainTools(tools)).toBeDefined();
      expect(byTopLevelReader(json)).toBeDefined();
    }
  });

  it('reads the usual top-level fields by hand as the schema does, on mutated cut-down Codex requests', () => {
    for (const text of recordedTopLevel) expect(expectSameTopLevel(JSON.parse(text))).toBe(true);
    checkMutatedRequests({ recorded: recordedTopLevel, replacement, keys: KEYS, expectSame: expectSameTopLevel });
  }, 60_000);

  it('reads a string input and null tools by hand', () => {
    expect(expectSameTopLevel({ model: 'm', input: 'hi', tools: null, tool_choice: null, store: false })).toBe(true);
  });

  // Each field's values one by one, taken by hand (true) or left to the schema (false); both give the schema's result.
  it.each<[Record<string, unknown>, boolean]>([
    [{ instructions: null, stream: null, store: null, background: null, previous_response_id: 'r' }, true],
    [{ tool_choice: 'required' }, true],
    [{ tool_choice: 'any' }, false],
    [{ tool_choice: { type: 'function', name: 'f' } }, false],
    [{ reasoning: { effort: 'xhigh', summary: 'concise', generate_summary: 'detailed', context: 'all_turns' } }, true],
    [{ reasoning: { effort: 'max' } }, false],
    [{ reasoning: { summary: 'low' } }, false],
    [{ reasoning: { generate_summary: 'minimal' } }, false],
    [{ reasoning: null }, true],
    [{ reasoning: [] }, false],
    [{ text: { format: { type: 'json_object', name: 'x' }, verbosity: 'high' } }, true],
    [{ text: { format: null, verbosity: null } }, true],
    [{ text: { format: { type: 'json_schema', name: 'n', schema: { type: 'object' } } } }, false],
    [{ text: { format: 'text' } }, false],
    [{ text: { verbosity: 'loud' } }, false],
    [{ max_output_tokens: 1, temperature: 2, top_p: 0 }, true],
    [{ max_output_tokens: 0 }, false],
    [{ max_output_tokens: 1.5 }, false],
    [{ max_output_tokens: 2 ** 31 }, false],
    [{ temperature: 2.01 }, false],
    [{ top_p: -0.1 }, false],
    [{ include: [] }, true],
    [{ include: ['a', 1] }, false],
    [{ conversation: 'c' }, false],
    [{ conversation: { id: 'c' } }, false],
    [{ prompt: {} }, false],
    [{ user: 1, truncation: 'auto', top_logprobs: 'x', stream_options: [] }, true],
    [{ unknown_field: 1 }, false],
    [{ model: '' }, false],
  ])('%j', (fields, byHand) => {
    expect(expectSameTopLevel({ model: 'm', input: 'hi', ...fields })).toBe(byHand);
  });

  it('returns what the schema returns and throws what it throws on mutated Codex requests', () => {
    checkMutatedRequests({ recorded, replacement, keys: KEYS, expectSame });
  }, 60_000);

  it('reads untyped messages, text parts, calls, outputs and reasoning by hand, unknown keys left out', () => {
    const json = {
      model: 'm',
      input: [
        { role: 'user', content: 'hi', id: 'x' },
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'a', extra: 1 }] },
        { type: 'reasoning', id: 'rs', summary: [{ type: 'summary_text', text: 's' }], encrypted_content: null },
        { type: 'function_call', id: 'fc', call_id: 'c', name: 'n', arguments: '{}', status: 'completed' },
        { type: 'function_call_output', call_id: 'c', output: [{ type: 'output_text', text: 'o' }] },
        { type: 'custom_tool_call', call_id: 'd', name: 'p', input: '*** Begin Patch', namespace: null },
        { type: 'custom_tool_call_output', call_id: 'd', output: 'done' },
      ],
      tools: [
        { type: 'function', name: 'f', parameters: { type: 'object' }, strict: false, extra: 1 },
        {
          type: 'custom',
          name: 'p',
          description: 'patch',
          format: { type: 'grammar', syntax: 'lark', definition: 'x' },
        },
        { type: 'namespace', name: 'ns', tools: [{ type: 'function', name: 'g', description: null }] },
        { type: 'web_search', external_web_access: false },
      ],
    };
    expect(readPlainInput(json.input)).toBeDefined();
    expect(readPlainTools(json.tools)).toBeDefined();
    expect(expectSame(json)).toBe(true);
  });

  it('leaves anything else to the schema', () => {
    expect(readPlainInput([{ role: 'user', content: [{ type: 'input_image', image_url: 'data:,' }] }])).toBeUndefined();
    expect(readPlainInput([{ type: 'item_reference', id: 'x' }])).toBeUndefined();
    expect(readPlainInput([{ type: 'function_call', call_id: '', name: 'n', arguments: '' }])).toBeUndefined();
    expect(readPlainTools([{ type: 'file_search' }])).toBeUndefined();
    expect(readPlainTools([{ type: 'function', name: '1bad' }])).toBeUndefined();
    expect(
      readPlainTools([{ type: 'function', name: 'f', parameters: JSON.parse('{"__proto__": {}}') }]),
    ).toBeUndefined();
  });
});
