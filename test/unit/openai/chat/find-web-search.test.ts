import { describe, expect, it } from 'vitest';
import type { ChatTool } from '../../../../src/openai/chat/chat-request-schema';
import { findWebSearch } from '../../../../src/openai/chat/find-web-search';

const fn = (name: string, parameters?: Record<string, unknown>): ChatTool => ({
  type: 'function',
  function: { name, ...(parameters ? { parameters } : {}) },
});
const weather = fn('get_weather', { type: 'object', properties: { city: { type: 'string' } } });

describe('findWebSearch', () => {
  it.each([
    ['nothing', {}, false, undefined],
    ['web_search_options', { web_search_options: {} }, true, undefined],
    ['a parameterless googleSearch function', { tools: [fn('googleSearch')] }, true, []],
    [
      'google_search with an empty object schema, beside a real function',
      { tools: [fn('google_search', { type: 'object', properties: {} }), weather] },
      true,
      [weather],
    ],
    [
      'a googleSearch function with parameters (the client’s own)',
      { tools: [fn('googleSearch', { type: 'object', properties: { q: { type: 'string' } } })] },
      false,
      'same',
    ],
    ['other functions only', { tools: [weather] }, false, 'same'],
  ] as const)('%s', (_case, request, webSearch, tools) => {
    const found = findWebSearch(request as Parameters<typeof findWebSearch>[0]);
    expect(found.webSearch).toBe(webSearch);
    expect(found.tools).toEqual(tools === 'same' ? (request as { readonly tools: readonly ChatTool[] }).tools : tools);
  });
});
