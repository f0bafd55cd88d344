import { describe, expect, it } from 'vitest';
import {
  type AnthropicMessage,
  type MessagesRequest,
  messagesRequestSchema,
} from '../../../src/anthropic/messages-request-schema';
import { toGeminiContents } from '../../../src/anthropic/to-gemini-contents';
import { toGeminiRequest } from '../../../src/anthropic/to-gemini-request';
import { toGeminiTools } from '../../../src/anthropic/to-gemini-tools';
import { createSchemaBudget } from '../../../src/gemini/create-schema-budget';
import { encodeToolCallId } from '../../../src/gemini/encode-tool-call-id';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { claudeCodeRequest } from './helpers';

const noMedia = new Map();
const contents = (messages: AnthropicMessage[], system?: MessagesRequest['system'], requireSignatures = false) =>
  toGeminiContents(system, messages, { media: noMedia, requireSignatures });
const SIGNATURE = 'CiQBjz1rX+abc/deYQ==';
const budget = () => createSchemaBudget(0, 4_500_000);

describe('Claude Code’s real requests', () => {
  it.each(['claude-code-first-request', 'claude-code-tool-result-request'] as const)(
    '%s passes the schema and converts',
    (name) => {
      const request = parseWithSchema(messagesRequestSchema, claudeCodeRequest(name).body);
      const body = toGeminiRequest(request, { model: 'gemini-pro-latest', media: noMedia });
      // max_tokens 128000 is above every Gemini limit; display "omitted" hides thoughts; effort "medium".
      expect(body.generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'medium' } });
      const declarations = (body.tools![0] as { functionDeclarations: { name: string }[] }).functionDeclarations.map(
        (d) => d.name,
      );
      // The deferred placeholder is not declared; every other tool is.
      expect(declarations).toEqual([
        'Agent',
        'Bash',
        'Edit',
        'ListAgents',
        'Read',
        'ReportFindings',
        'ScheduleWakeup',
        'Skill',
        'ToolSearch',
        'Workflow',
        'Write',
      ]);
      expect(body.systemInstruction?.parts[0]?.text).toBe(
        "You are a Claude agent, built on Anthropic's Claude Agent SDK.",
      );
      // The system message between turns joins the system instruction.
      expect(body.systemInstruction?.parts.at(-1)?.text).toMatch(/^# Environment/);
      expect(body.contents[0]?.role).toBe('user');
    },
  );

  it('sends the tool round back: the call with the thinking block’s signature, the result as a function response', () => {
    const request = parseWithSchema(messagesRequestSchema, claudeCodeRequest('claude-code-tool-result-request').body);
    const body = toGeminiRequest(request, { model: 'gemini-pro-latest', media: noMedia });
    expect(body.contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'Read', args: { file_path: '/tmp/claude-code-fixture/notes.txt' } },
            thoughtSignature: 'c2lnbmF0dXJl',
          },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'Read', response: { result: '1\thello\n2\t' } } }] },
    ]);
  });
});

describe('toGeminiContents', () => {
  it('puts system text, string or blocks, and system messages in the system instruction, without Claude Code’s billing header', () => {
    const result = contents(
      [
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'mid' },
        { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: '' },
            { type: 'text', text: 'again' },
          ],
        },
      ],
      [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=1;' },
        { type: 'text', text: 'first' },
      ],
    );
    expect(result).toEqual({
      systemInstruction: { parts: [{ text: 'first' }, { text: 'mid' }] },
      contents: [
        { role: 'user', parts: [{ text: 'hi' }] },
        { role: 'model', parts: [{ text: 'hello' }] },
        { role: 'user', parts: [{ text: 'again' }] },
      ],
    });
  });

  it('takes a call’s signature from its id first, from the thinking block otherwise, and the placeholder last', () => {
    const idWithSignature = encodeToolCallId('abc', SIGNATURE);
    const messages: AnthropicMessage[] = [
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'hmm', signature: 'dGhpbmtpbmc=' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'tool_use', id: idWithSignature, name: 'a', input: {} },
          { type: 'tool_use', id: 'toolu_2', name: 'b', input: { x: 1 } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: idWithSignature, content: '{"ok":true}' },
          { type: 'tool_result', tool_use_id: 'toolu_2' },
        ],
      },
    ];
    expect(contents(messages, undefined, true).contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'a', args: {} }, thoughtSignature: SIGNATURE },
          { functionCall: { name: 'b', args: { x: 1 } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'a', response: { ok: true } } },
          { functionResponse: { name: 'b', response: { result: '' } } },
        ],
      },
    ]);
    const thinkingOnly = contents(
      [
        messages[0] as AnthropicMessage,
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: '', signature: 'dGhpbmtpbmc=' },
            { type: 'tool_use', id: 'toolu_1', name: 'a', input: {} },
          ],
        },
      ],
      undefined,
      true,
    );
    expect(thinkingOnly.contents[1]?.parts[0]).toEqual({
      functionCall: { name: 'a', args: {} },
      thoughtSignature: 'dGhpbmtpbmc=',
    });
    const unsigned = contents(
      [
        messages[0] as AnthropicMessage,
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'a', input: {} }] },
      ],
      undefined,
      true,
    );
    expect(unsigned.contents[1]?.parts[0]).toEqual({
      functionCall: { name: 'a', args: {} },
      thoughtSignature: 'skip_thought_signature_validator',
    });
    const older = contents(
      [
        messages[0] as AnthropicMessage,
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'a', input: {} }] },
      ],
      undefined,
      false,
    );
    expect(older.contents[1]?.parts[0]).toEqual({ functionCall: { name: 'a', args: {} } });
  });

  it.each([
    [
      [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'nope', content: 'x' }] }],
      "Invalid 'messages[0].content[0].tool_use_id'",
    ],
    [
      [{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 'b', input: {} }] }],
      "Invalid 'messages[0].content[0].type'",
    ],
    [
      [
        {
          role: 'user',
          content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'not base64!' } }],
        },
      ],
      "Invalid 'messages[0].content[0].source.data'",
    ],
    [
      [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_1' } }] }],
      "Invalid 'messages[0].content[0].source'",
    ],
    [
      [{ role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 'a' }] }],
      "Invalid 'messages[0].content[0].type'",
    ],
    [[{ role: 'system', content: 'only system' }], "Invalid 'messages'"],
  ] as [AnthropicMessage[], string][])('refuses %j with a 400 naming the field', (messages, message) => {
    expect(() => contents(messages)).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringContaining(message) }),
    );
  });
});

describe('toGeminiTools', () => {
  const schema = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] };
  it('declares custom tools, skips deferred ones, leaves web search and fetch out beside functions, and refuses other Anthropic-defined tools', () => {
    expect(
      toGeminiTools(
        [
          { name: 'search', description: 'Search', input_schema: schema },
          { name: 'later', input_schema: schema, defer_loading: true },
          { type: 'web_search_20260318', name: 'web_search' },
          { type: 'web_fetch_20250910', name: 'web_fetch' },
        ],
        { type: 'auto' },
        budget(),
      ),
    ).toEqual({
      tools: [
        {
          functionDeclarations: [
            {
              name: 'search',
              description: 'Search',
              parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });
    // Alone (Claude Code's web search request), the server tools become Gemini's own.
    expect(
      toGeminiTools(
        [
          { type: 'web_search_20260318', name: 'web_search' },
          { type: 'web_fetch_20250910', name: 'web_fetch' },
        ],
        { type: 'auto' },
        budget(),
      ),
    ).toEqual({
      tools: [{ googleSearch: {} }, { urlContext: {} }],
    });
    expect(() =>
      toGeminiTools([{ type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' }], undefined, budget()),
    ).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => toGeminiTools([{ name: 'x' }], undefined, budget())).toThrow(
      expect.objectContaining({ message: "Missing required parameter: 'tools[0].input_schema'." }),
    );
  });

  it.each([
    [{ type: 'any' }, { functionCallingConfig: { mode: 'ANY' } }],
    [{ type: 'tool', name: 'search' }, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['search'] } }],
    [{ type: 'none' }, { functionCallingConfig: { mode: 'NONE' } }],
  ] as const)('tool_choice %j → %j', (choice, toolConfig) => {
    expect(toGeminiTools([{ name: 'search', input_schema: schema }], choice, budget()).toolConfig).toEqual(toolConfig);
  });

  it('refuses a tool_choice naming no declared tool', () => {
    expect(() =>
      toGeminiTools([{ name: 'search', input_schema: schema }], { type: 'tool', name: 'other' }, budget()),
    ).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => toGeminiTools([], { type: 'any' }, budget())).toThrow(expect.objectContaining({ status: 400 }));
    expect(toGeminiTools([], { type: 'none' }, budget())).toEqual({});
  });
});
