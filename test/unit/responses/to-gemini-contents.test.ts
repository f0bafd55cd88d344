import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { decodeEncryptedReasoning, encodeEncryptedReasoning } from '../../../src/responses/encrypted-reasoning';
import { responsesRequestSchema, withItemTypes } from '../../../src/responses/responses-request-schema';
import { toGeminiContents } from '../../../src/responses/to-gemini-contents';

const SIGNATURE = 'c2lnbmF0dXJlLWJ5dGVz';
const DUMMY = 'skip_thought_signature_validator';
const convert = (input: unknown, requireSignatures = false, instructions?: string) => {
  const request = parseWithSchema(responsesRequestSchema, withItemTypes({ model: 'm', input }));
  return toGeminiContents(instructions, request.input, { media: new Map(), requireSignatures });
};
const fail = (input: unknown): GatewayError => {
  try {
    convert(input);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
};
const call = (id: string, name = 'run', args = '{"cmd":"ls"}') => ({
  type: 'function_call',
  call_id: id,
  name,
  arguments: args,
});
const output = (id: string, text = 'ok') => ({ type: 'function_call_output', call_id: id, output: text });

describe('toGeminiContents', () => {
  it('a string input is one user turn; instructions and system/developer messages join the system instruction in order', () => {
    expect(convert('hi', false, 'Be brief.')).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
    });
    expect(
      convert([
        { role: 'user', content: 'a' },
        { role: 'developer', content: 'D' },
        { role: 'system', content: [{ type: 'input_text', text: 'S' }] },
      ]),
    ).toEqual({
      systemInstruction: { parts: [{ text: 'D' }, { text: 'S' }] },
      contents: [{ role: 'user', parts: [{ text: 'a' }] }],
    });
  });

  it('puts a round of parallel calls in one model turn and their outputs in one user turn; JSON outputs stay objects', () => {
    const result = convert([
      { role: 'user', content: 'go' },
      call('c1'),
      call('c2', 'read', '{}'),
      output('c1', '{"files":[]}'),
      output('c2', 'text'),
      { role: 'assistant', content: 'Done.' },
    ]);
    expect(result.contents).toEqual([
      { role: 'user', parts: [{ text: 'go' }] },
      {
        role: 'model',
        parts: [{ functionCall: { name: 'run', args: { cmd: 'ls' } } }, { functionCall: { name: 'read', args: {} } }],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'run', response: { files: [] } } },
          { functionResponse: { name: 'read', response: { result: 'text' } } },
        ],
      },
      { role: 'model', parts: [{ text: 'Done.' }] },
    ]);
  });

  it('a reasoning item’s signature goes onto the call after it; foreign encrypted content is ignored', () => {
    const result = convert(
      [
        { role: 'user', content: 'go' },
        { type: 'reasoning', summary: [], encrypted_content: encodeEncryptedReasoning(SIGNATURE) },
        call('c1'),
        output('c1'),
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'thinking' }],
          encrypted_content: 'gAAAAB-openai-own',
        },
        call('c2'),
        output('c2'),
      ],
      true,
    );
    expect(result.contents[1]?.parts[0]).toEqual({
      functionCall: { name: 'run', args: { cmd: 'ls' } },
      thoughtSignature: SIGNATURE,
    });
    // OpenAI's own content is no Gemini signature: the Gemini 3 placeholder is used instead.
    expect(result.contents[3]?.parts[0]).toEqual({
      functionCall: { name: 'run', args: { cmd: 'ls' } },
      thoughtSignature: DUMMY,
    });
  });

  it('namespaced and custom tool calls keep their Gemini names and arguments', () => {
    const result = convert([
      { role: 'user', content: 'go' },
      { type: 'function_call', call_id: 'c1', name: 'spawn', namespace: 'agents', arguments: '{}' },
      { type: 'custom_tool_call', call_id: 'c2', name: 'apply_patch', input: '*** Begin Patch' },
      output('c1'),
      { type: 'custom_tool_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'applied' }] },
    ]);
    expect(result.contents[1]?.parts).toEqual([
      { functionCall: { name: 'agents.spawn', args: {} } },
      { functionCall: { name: 'apply_patch', args: { input: '*** Begin Patch' } } },
    ]);
    expect(result.contents[2]?.parts[1]).toEqual({
      functionResponse: { name: 'apply_patch', response: { result: 'applied' } },
    });
  });

  it('an image in a tool output rides beside the function response', () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const result = convert([
      { role: 'user', content: 'look' },
      call('c1', 'view_image'),
      {
        type: 'function_call_output',
        call_id: 'c1',
        output: [{ type: 'input_image', image_url: `data:image/png;base64,${png}` }],
      },
    ]);
    expect(result.contents[2]?.parts).toEqual([
      { functionResponse: { name: 'view_image', response: { result: '' } } },
      { inlineData: { mimeType: 'image/png', data: png } },
    ]);
  });

  it.each([
    [
      'an output without its call',
      [{ role: 'user', content: 'x' }, output('nope')],
      'input[1].call_id',
      'No tool call found for function call output with call_id nope.',
    ],
    [
      'a call without its output before the next user message',
      [{ role: 'user', content: 'x' }, call('c1'), { role: 'user', content: 'y' }],
      'input[2]',
      'No tool output found for function call c1.',
    ],
    [
      'a call without any output at the end',
      [{ role: 'user', content: 'x' }, call('c1')],
      'input[1]',
      'No tool output found for function call c1.',
    ],
    [
      'an output given twice',
      [{ role: 'user', content: 'x' }, call('c1'), output('c1'), output('c1')],
      'input[3].call_id',
      "the call 'c1' already has its output",
    ],
    [
      'one output for two calls with the same id',
      [{ role: 'user', content: 'x' }, call('c1'), call('c1'), output('c1')],
      'input[3]',
      'No tool output found for function call c1.',
    ],
    [
      'arguments that are not JSON',
      [{ role: 'user', content: 'x' }, call('c1', 'run', '{oops'), output('c1')],
      'input[1].arguments',
      'not valid JSON',
    ],
    ['an item reference', [{ type: 'item_reference', id: 'msg_1' }], 'input[0]', 'stateless'],
    [
      'an input with no conversation',
      [{ role: 'system', content: 'only rules' }],
      'input',
      'at least one user or assistant message',
    ],
    ['no input at all', undefined, 'input', "Missing required parameter: 'input'."],
    [
      'an image in a system message',
      [{ role: 'system', content: [{ type: 'input_image', image_url: 'data:image/png;base64,AAAA' }] }],
      'input[0].content[0].type',
      'user messages only',
    ],
  ])('refuses %s', (_case, input, param, message) => {
    const error = fail(input);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(message);
  });
});

describe('encrypted reasoning', () => {
  it.each([
    [encodeEncryptedReasoning(SIGNATURE), SIGNATURE],
    ['gAAAAB-openai-own', undefined],
    [encodeEncryptedReasoning('not base64!'), undefined],
    [null, undefined],
  ])('%j → %j', (content, signature) => {
    expect(decodeEncryptedReasoning(content)).toBe(signature);
  });
});
