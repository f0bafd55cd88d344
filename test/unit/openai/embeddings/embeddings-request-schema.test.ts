import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../../../../src/errors';
import { embeddingsRequestSchema } from '../../../../src/openai/embeddings/embeddings-request-schema';
import { validationFailure } from '../helpers';

const failure = (body: unknown): GatewayError => validationFailure(embeddingsRequestSchema, body);

describe('embeddings request validation', () => {
  it.each([
    [
      'no input',
      { model: 'text-embedding-3-small' },
      'input',
      "Missing required parameter: 'input'.",
      'missing_required_parameter',
    ],
    [
      'input of the wrong type',
      { model: 'm', input: 42 },
      'input',
      "Invalid type for 'input': got a number, which matches none of the accepted forms.",
      'invalid_type',
    ],
    ['no model', { input: 'x' }, 'model', "Missing required parameter: 'model'.", 'missing_required_parameter'],
    [
      'dimensions 0',
      { model: 'm', input: 'x', dimensions: 0 },
      'dimensions',
      "Invalid 'dimensions': expected a value >= 1.",
      'invalid_value',
    ],
    [
      'dimensions beyond int32',
      { model: 'm', input: 'x', dimensions: 2 ** 31 },
      'dimensions',
      "Invalid 'dimensions': expected a value <= 2147483647 (Gemini takes 32-bit integers).",
      'invalid_value',
    ],
  ])('%s → 400 naming %s', (_name, body, param, message, code) => {
    const error = failure(body);
    expect(error).toMatchObject({ status: 400, param, message, code });
  });
});
