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

  it('sends a tool result nested deeper than 64 levels as its text, whole and without overflowing the stack', () => {
    for (const depth of [65, 10_000]) {
      const text = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const out = wrapToolResult(text);
      expect(out).toEqual({ result: text });
      expect(() => JSON.stringify(out)).not.toThrow();
    }
    const within = `${'['.repeat(64)}${']'.repeat(64)}`;
    expect(wrapToolResult(within)).toEqual({ result: JSON.parse(within) });
  });

  it('names the function the result answers', () => {
    expect(toGeminiFunctionResponse('get_weather', 'sunny')).toEqual({
      functionResponse: { name: 'get_weather', response: { result: 'sunny' } },
    });
  });
});
