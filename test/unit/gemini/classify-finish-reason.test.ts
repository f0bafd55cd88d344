import { describe, expect, it } from 'vitest';
import { classifyFinishReason } from '../../../src/gemini/classify-finish-reason';

describe('classifyFinishReason', () => {
  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'filtered'],
    ['LANGUAGE', 'filtered'],
    ['IMAGE_SAFETY', 'filtered'],
    ['MALFORMED_FUNCTION_CALL', 'tool-error'],
    ['TOO_MANY_TOOL_CALLS', 'tool-error'],
    ['OTHER', 'other'],
    ['SOMETHING_NEW', 'other'],
    ['constructor', 'other'],
    [undefined, 'other'],
    [null, 'other'],
  ] as const)('%s → %s', (reason, kind) => {
    expect(classifyFinishReason(reason)).toBe(kind);
  });
});
