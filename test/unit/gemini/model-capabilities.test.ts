import { describe, expect, it } from 'vitest';
import { modelCapabilities } from '../../../src/gemini/model-capabilities';

const levels = (model: string) => {
  const { thinking } = modelCapabilities(model);
  return thinking.kind === 'level' ? thinking.levels : thinking.kind;
};

describe('modelCapabilities', () => {
  it.each([
    // name, generation, family, thinking levels (or control kind), thought signatures, image output
    ['gemini-3.8-flash', 3.8, 'flash', ['low', 'medium', 'high'], true, false],
    ['gemini-3.7-flash', 3.7, 'flash', ['low', 'medium', 'high'], true, false],
    ['gemini-3.6-flash', 3.6, 'flash', ['minimal', 'low', 'medium', 'high'], true, false],
    ['gemini-3.5-flash', 3.5, 'flash', ['minimal', 'low', 'medium', 'high'], true, false],
    ['gemini-3.5-flash-lite', 3.5, 'flash-lite', ['minimal', 'low', 'medium', 'high'], true, false],
    ['gemini-3.1-flash-lite', 3.1, 'flash-lite', ['minimal', 'low', 'medium', 'high'], true, false],
    ['gemini-3.1-pro-preview', 3.1, 'pro', ['low', 'medium', 'high'], true, false],
    ['gemini-3-pro-preview', 3, 'pro', ['low', 'high'], true, false],
    ['gemini-3-flash-preview', 3, 'flash', ['minimal', 'low', 'medium', 'high'], true, false],
    ['gemini-3.1-flash-image', 3.1, 'image', ['minimal', 'high'], true, true],
    ['gemini-3-pro-image', 3, 'image', ['low', 'high'], true, true],
    ['gemini-2.5-flash-lite', 2.5, 'flash-lite', 'budget', false, false],
    ['gemini-2.5-pro', 2.5, 'pro', 'budget', false, false],
    ['gemini-2.5-flash-image', 2.5, 'image', 'none', false, true],
    ['gemini-2.0-flash', 2, 'other', 'none', false, false],
    ['gemma-3-27b-it', 0, 'open', 'none', false, false],
    ['gemini-embedding-001', 0, 'embedding', 'none', false, false],
    // The newest generation: rolling aliases, unknown versions, future generations.
    ['gemini-flash-latest', Infinity, 'flash', ['low', 'medium', 'high'], true, false],
    ['gemini-flash-lite-latest', Infinity, 'flash-lite', ['low', 'medium', 'high'], true, false],
    ['gemini-pro-latest', Infinity, 'pro', ['low', 'medium', 'high'], true, false],
    ['gemini-3.9-flash', Infinity, 'flash', ['low', 'medium', 'high'], true, false],
    ['gemini-4-flash', Infinity, 'flash', ['low', 'medium', 'high'], true, false],
    ['gemini-4-pro-preview', Infinity, 'pro', ['low', 'medium', 'high'], true, false],
    ['gemini-4-flash-image', Infinity, 'image', ['high'], true, true],
    ['gemini-something-new', Infinity, 'other', ['low', 'medium', 'high'], true, false],
  ] as const)(
    '%s: generation %s, %s, %j, signatures %s, images %s',
    (model, generation, family, thinking, signatures, images) => {
      const capabilities = modelCapabilities(model);
      expect(capabilities.generation).toBe(generation);
      expect(capabilities.family).toBe(family);
      expect(levels(model)).toEqual(thinking);
      expect(capabilities.thoughtSignatures).toBe(signatures);
      expect(capabilities.imageOutput).toBe(images);
      // Search beside functions: Gemini 3 text models (and names the table does not know) only.
      expect(capabilities.toolCombination).toBe(generation >= 3 && !images);
    },
  );

  it.each(['gemini-3.8-flash', 'gemini-2.5-pro', 'gemini-flash-latest', 'gemma-3-27b-it'])(
    'reads models/%s like the bare name',
    (model) => {
      expect(modelCapabilities(`models/${model}`)).toEqual(modelCapabilities(model));
    },
  );

  it('gives 2.5 budgets their documented ranges', () => {
    expect(modelCapabilities('gemini-2.5-pro').thinking).toEqual({
      kind: 'budget',
      min: 128,
      max: 32768,
      canTurnOff: false,
    });
    expect(modelCapabilities('gemini-2.5-flash-lite').thinking).toEqual({
      kind: 'budget',
      min: 512,
      max: 24576,
      canTurnOff: true,
    });
  });
});
