import { describe, expect, it } from 'vitest';
import { modelOfPath } from '../../../src/upstream/model-of-path';

describe('modelOfPath', () => {
  it.each([
    ['/v1beta/models/gemini-3.8-flash:generateContent', 'gemini-3.8-flash'],
    ['/v1beta/models/gemini-3.8-flash:streamGenerateContent', 'gemini-3.8-flash'],
    ['/v1/models/gemini-embedding-001:batchEmbedContents', 'gemini-embedding-001'],
    ['/v1beta/models/gemini-3.1-pro-preview:countTokens?alt=json', 'gemini-3.1-pro-preview'],
    ['/v1beta/models/gemini%2D3.6-flash:generateContent', 'gemini-3.6-flash'],
    ['/v1beta/models/bad%E0:generateContent', 'bad%E0'],
    ['/v1beta/models', null],
    ['/v1beta/models/gemini-3.8-flash', null],
    ['/v1beta/files/abc', null],
    ['/upload/v1beta/files', null],
  ])('%s → %s', (path, model) => {
    expect(modelOfPath(path)).toBe(model);
  });
});
