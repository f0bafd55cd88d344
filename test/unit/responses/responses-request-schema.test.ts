import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { responsesRequestSchema, withItemTypes } from '../../../src/responses/responses-request-schema';

const parse = (body: Record<string, unknown>) =>
  parseWithSchema(responsesRequestSchema, withItemTypes({ model: 'm', ...body }));

describe('responsesRequestSchema', () => {
  it('reads `{role, content}` items as messages and ignores unknown keys inside items (clients send output items back)', () => {
    const request = parse({
      input: [
        { role: 'user', content: 'hi' },
        { type: 'reasoning', id: 'rs_1', summary: [], content: null, encrypted_content: 'x', status: 'completed' },
        { type: 'function_call', id: 'fc_1', status: 'completed', call_id: 'c', name: 'n', arguments: '{}' },
      ],
      reasoning: { effort: 'low', context: 'all_turns' },
    });
    expect(request.input).toEqual([
      { type: 'message', role: 'user', content: 'hi' },
      { type: 'reasoning', summary: [], encrypted_content: 'x' },
      { type: 'function_call', call_id: 'c', name: 'n', arguments: '{}' },
    ]);
  });

  it.each([
    [{ input: [{ type: 'web_search_call', id: 'ws_1' }] }, 'input[0].type', "Supported values are: 'message'"],
    [
      { input: [{ role: 'user', content: [{ type: 'input_audio', data: 'x' }] }] },
      'input[0].content[0].type',
      'input_audio',
    ],
    [{ input: [{ role: 'robot', content: 'x' }] }, 'input[0].role', 'robot'],
    [{ tools: [{ type: 'function', name: '1bad' }] }, 'tools[0].name', 'must start with a letter or an underscore'],
    [{ input: 'x', reasoning: { effort: 'max' } }, 'reasoning.effort', "'xhigh'"],
    [{ input: 'x', max_output_tokens: 2 ** 31 }, 'max_output_tokens', '32-bit'],
    [{ input: 'x', unknown_field: 1 }, 'unknown_field', 'Unrecognized request argument supplied: unknown_field'],
  ])('%j is a 400 naming %s', (body, param, words) => {
    let error: unknown;
    try {
      parse(body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, param });
    expect((error as GatewayError).message).toContain(words);
  });
});
