import { describe, expect, it } from 'vitest';
import { readGeminiResponse } from '../../../src/gemini/read-gemini-response';
import { fromGeminiGrounding } from '../../../src/responses/from-gemini-grounding';

const grounded = (text: string, supports: unknown[]) =>
  readGeminiResponse({
    candidates: [
      {
        content: { parts: [{ text }] },
        groundingMetadata: {
          groundingChunks: [
            { web: { uri: 'https://a.example/', title: 'a.example' } },
            { web: { uri: 'https://b.example/' } },
            { retrievedContext: {} },
          ],
          groundingSupports: supports,
        },
      },
    ],
  })?.candidates[0]?.groundingMetadata;

describe('fromGeminiGrounding', () => {
  it('one url_citation per cited source, offsets converted from UTF-8 bytes to characters (code points, as the chat surface counts)', () => {
    // "Grüße! " is 9 bytes and 7 characters; the emoji is 4 bytes and one character.
    const text = 'Grüße! Rain 🌧 today.';
    const grounding = grounded(text, [
      { segment: { endIndex: 7 }, groundingChunkIndices: [0] },
      { segment: { startIndex: 9, endIndex: 24 }, groundingChunkIndices: [1, 2] },
    ]);
    if (!grounding) throw new Error('no grounding read');
    expect(fromGeminiGrounding(grounding, text)).toEqual([
      { type: 'url_citation', start_index: 0, end_index: 5, url: 'https://a.example/', title: 'a.example' },
      { type: 'url_citation', start_index: 7, end_index: 19, url: 'https://b.example/', title: 'b.example' },
    ]);
    expect([...text].slice(7, 19).join('')).toBe('Rain 🌧 today');
  });

  it('leaves out segments that do not fit the text', () => {
    const grounding = grounded('short', [{ segment: { startIndex: 2, endIndex: 99 }, groundingChunkIndices: [0] }]);
    if (!grounding) throw new Error('no grounding read');
    expect(fromGeminiGrounding(grounding, 'short')).toEqual([]);
  });
});
