import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { parseResponsesRequest } from '../../../src/responses/parse-responses-request';
import { readPlainInput } from '../../../src/responses/read-plain-input';
import { readPlainTools } from '../../../src/responses/read-plain-tools';
import { responsesRequestSchema, withItemTypes } from '../../../src/responses/responses-request-schema';
import { checkMutatedRequests, outcomeOf, recordedBody } from '../support/fast-path';

/** What the whole schema does with `json`: its result, or the error it throws. */
const bySchema = (json: unknown) => outcomeOf(() => parseWithSchema(responsesRequestSchema, withItemTypes(json)));
const byParser = (json: unknown) => outcomeOf(() => parseResponsesRequest(json));

/** Both ways agree, key order included; returns whether the hand-read path took the request. */
function expectSame(json: unknown): boolean {
  const expected = bySchema(json);
  const actual = byParser(json);
  expect(actual).toStrictEqual(expected);
  if (expected.value !== undefined) expect(JSON.stringify(actual.value)).toBe(JSON.stringify(expected.value));
  const body = json as { input?: unknown; tools?: unknown };
  return (
    expected.value !== undefined &&
    (readPlainInput(body.input) !== undefined || readPlainTools(body.tools) !== undefined)
  );
}

const recorded = ['codex-first-request', 'codex-tool-turn-request', 'codex-own-model-request'].map(recordedBody);

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
  fc.string({ maxLength: 6 }),
);
const KEYS = ['type', 'role', 'name', 'description', 'parameters', 'strict', 'format', 'tools', 'namespace', 'extra'];

describe('parseResponsesRequest', () => {
  it("returns what the schema returns, key order included, for Codex's recorded requests", () => {
    for (const text of recorded) {
      const json: unknown = JSON.parse(text);
      expect(expectSame(json)).toBe(true);
      expect(readPlainInput((json as { input?: unknown }).input)).toBeDefined();
      const tools = (json as { tools?: unknown }).tools;
      if (tools !== undefined) expect(readPlainTools(tools)).toBeDefined();
    }
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
