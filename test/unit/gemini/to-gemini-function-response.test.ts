import { describe, expect, it } from 'vitest';
import { toGeminiFunctionResponse, wrapToolResult } from '../../../src/gemini/to-gemini-function-response';

describe('wrapToolResult', () => {
  it.each([
    ['{"ok":true}', { ok: true }],
    ['"done"', { result: 'done' }],
    ['42', { result: 42 }],
    ['null', { result: null }],
    ['[1]', { result: [1] }],
    ['plain text', { result: 'plain text' }],
    ['', { result: '' }],
  ])('wraps the tool result %j as %j', (text, expected) => {
    expect(wrapToolResult(text)).toEqual(expected);
  });

  it('names the function the result answers', () => {
    expect(toGeminiFunctionResponse('get_weather', 'sunny')).toEqual({ functionResponse: { name: 'get_weather', response: { result: 'sunny' } } });
  });
});
