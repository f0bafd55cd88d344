import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { thinkingForEffort } from '../../../src/gemini/to-gemini-thinking-config';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { responsesRequestSchema } from '../../../src/responses/responses-request-schema';
import { EFFORTS, toGeminiRequest } from '../../../src/responses/to-gemini-request';

const MODEL = 'gemini-flash-latest';
const plan = (fields: Record<string, unknown>, model = MODEL) =>
  toGeminiRequest(parseWithSchema(responsesRequestSchema, { model: 'gpt-5-codex', input: 'hi', ...fields }), {
    model,
    media: new Map(),
  });
const fail = (fields: Record<string, unknown>): GatewayError => {
  try {
    plan(fields);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
};

describe('toGeminiRequest', () => {
  it.each(Object.keys(EFFORTS) as (keyof typeof EFFORTS)[])(
    'reasoning.effort %s goes through the shared effort mapping; thoughts only with a summary',
    (effort) => {
      const { includeThoughts: _shown, ...expected } = thinkingForEffort(MODEL, EFFORTS[effort]) ?? {};
      expect(plan({ reasoning: { effort } }).body.generationConfig?.thinkingConfig).toEqual(expected);
      expect(plan({ reasoning: { effort, summary: 'detailed' } }).body.generationConfig?.thinkingConfig).toEqual({
        ...expected,
        includeThoughts: true,
      });
    },
  );

  it('a summary alone asks for thoughts; summary none and non-thinking models do not', () => {
    expect(plan({ reasoning: { summary: 'auto' } })).toMatchObject({
      summaries: true,
      body: { generationConfig: { thinkingConfig: { includeThoughts: true } } },
    });
    expect(plan({ reasoning: { summary: 'none' } })).toMatchObject({
      summaries: false,
      body: { contents: expect.anything() },
    });
    expect(
      plan({ reasoning: { summary: 'auto', effort: 'high' } }, 'gemma-3-27b-it').body.generationConfig,
    ).toBeUndefined();
  });

  it('text.format json_schema becomes a response schema; include decides encrypted reasoning', () => {
    const result = plan({
      text: {
        format: {
          type: 'json_schema',
          name: 'x',
          strict: true,
          schema: {
            type: 'object',
            properties: { a: { type: 'string' } },
            required: ['a'],
            additionalProperties: false,
          },
        },
      },
      include: ['reasoning.encrypted_content'],
    });
    expect(result.body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    });
    expect(result.encryptedReasoning).toBe(true);
    expect(plan({}).encryptedReasoning).toBe(false);
  });

  it.each([
    [{ previous_response_id: 'resp_1' }, 'previous_response_id', 'stateless'],
    [{ conversation: { id: 'conv_1' } }, 'conversation', 'stateless'],
    [{ background: true }, 'background', 'stateless'],
    [{ prompt: { id: 'pmpt_1' } }, 'prompt', 'instructions'],
  ])('refuses %j', (fields, param, words) => {
    const error = fail(fields);
    expect(error).toMatchObject({ status: 400, param });
    expect(error.message).toContain(words);
  });

  it('every schema of the request spends one budget: a $ref fan-out in a tool is a 400 naming it', () => {
    const refs = (to: string) =>
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, { $ref: `#/$defs/${to}` }]));
    const parameters = {
      type: 'object',
      properties: refs('a'),
      $defs: {
        a: { type: 'object', properties: refs('b') },
        b: { type: 'object', properties: refs('c') },
        c: { type: 'string', description: 'x'.repeat(2000) },
      },
    };
    const error = fail({ tools: [{ type: 'function', name: 'big', parameters }] });
    expect(error).toMatchObject({ status: 400, param: 'tools[0].parameters' });
  });

  it('accepts and drops what Gemini has no equivalent of', () => {
    const result = plan({
      store: true,
      metadata: { a: 'b' },
      prompt_cache_key: 'k',
      client_metadata: { session_id: 's' },
      service_tier: 'auto',
      truncation: 'auto',
      parallel_tool_calls: true,
      text: { verbosity: 'low' },
      include: ['message.output_text.logprobs'],
    });
    expect(result.body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });
});
