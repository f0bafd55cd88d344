import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { MIN_SCHEMA_BUDGET } from '../../../src/gemini/create-schema-budget';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { type ResponsesRequest, responsesRequestSchema } from '../../../src/responses/responses-request-schema';
import { toGeminiTools } from '../../../src/responses/to-gemini-tools';

const parse = (tools: unknown[], tool_choice?: unknown): ResponsesRequest =>
  parseWithSchema(responsesRequestSchema, {
    model: 'm',
    input: 'x',
    tools,
    ...(tool_choice === undefined ? {} : { tool_choice }),
  });
const convert = (tools: unknown[], tool_choice?: unknown) => {
  const request = parse(tools, tool_choice);
  return toGeminiTools(request.tools, request.tool_choice, {
    budget: { limit: MIN_SCHEMA_BUDGET, left: MIN_SCHEMA_BUDGET },
  });
};
const fn = (
  name: string,
  parameters: Record<string, unknown> = { type: 'object', properties: { a: { type: 'string' } } },
) => ({ type: 'function', name, parameters });

describe('toGeminiTools', () => {
  it('declares functions, namespaced functions and custom tools, and remembers what each name stands for', () => {
    const result = convert([
      fn('read'),
      {
        type: 'namespace',
        name: 'agents',
        description: 'Sub-agents',
        tools: [fn('spawn'), { type: 'custom', name: 'script' }],
      },
      {
        type: 'custom',
        name: 'apply_patch',
        description: 'Patch files',
        format: { type: 'grammar', syntax: 'lark', definition: 'start: "*"' },
      },
    ]);
    const declarations =
      (
        result.tools?.[0] as
          | { functionDeclarations: { name: string; description?: string; parameters?: unknown }[] }
          | undefined
      )?.functionDeclarations ?? [];
    expect(declarations.map((d) => d.name)).toEqual(['read', 'agents.spawn', 'agents.script', 'apply_patch']);
    expect(declarations[3]?.description).toMatch(/^Patch files\n\n.*'input'.*\n.*lark grammar:\nstart: "\*"$/s);
    expect(declarations[3]?.parameters).toMatchObject({
      type: 'object',
      properties: { input: { type: 'string' } },
      required: ['input'],
    });
    expect([...result.names]).toEqual([
      ['read', { type: 'function', name: 'read' }],
      ['agents.spawn', { type: 'function', name: 'spawn', namespace: 'agents' }],
      ['agents.script', { type: 'custom', name: 'script', namespace: 'agents' }],
      ['apply_patch', { type: 'custom', name: 'apply_patch' }],
    ]);
    expect(result.toolConfig).toBeUndefined();
  });

  it('leaves out parameters of a function that takes none', () => {
    const result = convert([fn('now', { type: 'object', properties: {}, required: [], additionalProperties: false })]);
    expect(result.tools).toEqual([{ functionDeclarations: [{ name: 'now' }] }]);
  });

  it.each([
    ['auto', { functionCallingConfig: { mode: 'AUTO' } }],
    ['none', { functionCallingConfig: { mode: 'NONE' } }],
    ['required', { functionCallingConfig: { mode: 'ANY' } }],
    [{ type: 'function', name: 'read' }, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['read'] } }],
    [
      { type: 'function', name: 'spawn' },
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['agents.spawn'] } },
    ],
    [
      { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'read' }] },
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['read'] } },
    ],
  ])('tool_choice %j → %j', (choice, config) => {
    expect(
      convert([fn('read'), { type: 'namespace', name: 'agents', tools: [fn('spawn')] }], choice).toolConfig,
    ).toEqual(config);
  });

  it('allowed_tools in auto mode keeps only the allowed declarations', () => {
    const result = convert([fn('read'), fn('write')], {
      type: 'allowed_tools',
      mode: 'auto',
      tools: [{ type: 'function', name: 'write' }],
    });
    expect(result.tools).toEqual([{ functionDeclarations: [expect.objectContaining({ name: 'write' })] }]);
    expect(result.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it.each([
    ['alone', [{ type: 'web_search' }], [{ googleSearch: {} }]],
    ['preview name', [{ type: 'web_search_preview' }], [{ googleSearch: {} }]],
    ['cached (Codex in a sandbox)', [{ type: 'web_search', external_web_access: false }], undefined],
    ['beside functions', [fn('read'), { type: 'web_search' }], [{ functionDeclarations: [expect.anything()] }]],
  ])('web_search %s', (_case, tools, expected) => {
    expect(convert(tools).tools).toEqual(expected);
  });

  it.each([
    ['a hosted tool', [{ type: 'code_interpreter', container: { type: 'auto' } }], 'tools[0].type'],
    ['a duplicate name', [fn('read'), { type: 'custom', name: 'read' }], 'tools[1].name'],
    ['a tool_choice naming no tool', [fn('read')], 'tool_choice.name', { type: 'function', name: 'write' }],
    ['required without tools', [], 'tool_choice', 'required'],
  ])('refuses %s, naming the field', (_case, tools, param, choice?: unknown) => {
    let error: unknown;
    try {
      convert(tools, choice);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, param });
  });
});
