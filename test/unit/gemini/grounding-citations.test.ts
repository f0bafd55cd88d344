import { describe, expect, it } from 'vitest';
import { groundingCitations } from '../../../src/gemini/grounding-citations';
import { type Grounding, readGroundingMetadata } from '../../../src/gemini/read-grounding-metadata';

const bytes = (s: string) => new TextEncoder().encode(s).length;
const PAGES = [
  { web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/a', title: 'example.com' } },
  { web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/b', title: 'example.org' } },
];

/** Metadata citing `segment` of `text` (found by content), offsets in UTF-8 bytes as Gemini sends them. */
function metadataFor(
  text: string,
  segments: { text: string; sources: number[]; partIndex?: number; withText?: boolean }[],
) {
  return {
    webSearchQueries: ['query'],
    groundingChunks: PAGES,
    groundingSupports: segments.map((s) => {
      const at = text.indexOf(s.text);
      const startIndex = bytes(text.slice(0, at));
      return {
        segment: {
          ...(s.partIndex ? { partIndex: s.partIndex } : {}),
          ...(startIndex ? { startIndex } : {}),
          endIndex: startIndex + bytes(s.text),
          ...(s.withText === false ? {} : { text: s.text }),
        },
        groundingChunkIndices: s.sources,
      };
    }),
    searchEntryPoint: { renderedContent: '<div>chip</div>' },
  };
}

function read(value: unknown): Grounding {
  const grounding = readGroundingMetadata(value);
  if (!grounding) throw new Error('no grounding');
  return grounding;
}

describe('readGroundingMetadata', () => {
  it('keeps queries, web sources, supports and the search chip; drops what is not of the expected type', () => {
    const grounding = read({
      webSearchQueries: ['a', 7],
      groundingChunks: [PAGES[0], { retrievedContext: { uri: 'https://docs.example/x' } }, { maps: {} }, 'junk'],
      groundingSupports: [
        { segment: { endIndex: 4 }, groundingChunkIndices: [0, -1, 'x'] },
        { segment: { startIndex: 3, endIndex: 2 } },
        { groundingChunkIndices: [0] },
      ],
      searchEntryPoint: { renderedContent: '<b>x</b>' },
      futureField: { anything: true },
    });
    expect(grounding).toEqual({
      queries: ['a'],
      sources: [
        { url: PAGES[0]?.web.uri, title: 'example.com' },
        { url: 'https://docs.example/x', title: 'docs.example' },
        undefined,
        undefined,
      ],
      supports: [{ partIndex: 0, startByte: 0, endByte: 4, sourceIndices: [0] }],
      searchEntryPoint: '<b>x</b>',
    });
    expect(readGroundingMetadata('nope')).toBeUndefined();
  });
});

describe('groundingCitations', () => {
  it('turns UTF-8 byte segments into character offsets over multi-byte text', () => {
    const text = 'Zürich: 天气晴朗 😀 and 12°C today.';
    const metadata = metadataFor(text, [
      { text: '天气晴朗', sources: [0] },
      { text: 'and 12°C today.', sources: [0, 1] },
    ]);
    const citations = groundingCitations(read(metadata), [text]);
    const chars = [...text];
    expect(citations.map((c) => [c.title, chars.slice(c.startIndex, c.endIndex).join(''), c.text])).toEqual([
      ['example.com', '天气晴朗', '天气晴朗'],
      ['example.com', 'and 12°C today.', 'and 12°C today.'],
      ['example.org', 'and 12°C today.', 'and 12°C today.'],
    ]);
    // The emoji is one character: offsets after it are code points, not UTF-16 units or bytes.
    expect(citations[1]?.startIndex).toBe(chars.indexOf('a'));
  });

  it('counts offsets in the part partIndex names, placed over the whole answer', () => {
    const parts = ['Première partie. ', 'Zweite Größe.'];
    const metadata = metadataFor(parts[1] ?? '', [{ text: 'Größe.', sources: [1], partIndex: 1 }]);
    const [citation] = groundingCitations(read(metadata), parts);
    expect([...parts.join('')].slice(citation?.startIndex, citation?.endIndex).join('')).toBe('Größe.');
  });

  it('finds a segment whose partIndex Gemini left out, or that indexes a stream as a whole', () => {
    const parts = ['Thinking aloud… ', 'Die Straße ist naß.'];
    // Offsets into the second part, partIndex missing (0): the bytes there are not the segment's text.
    const metadata = metadataFor(parts[1] ?? '', [{ text: 'naß.', sources: [0] }]);
    const [citation] = groundingCitations(read(metadata), parts);
    expect([...parts.join('')].slice(citation?.startIndex, citation?.endIndex).join('')).toBe('naß.');
  });

  it('works on the text of a stream, whose supports arrive with its last chunk', () => {
    const pieces = ['Echo: ', 'Kraków ', 'in ', 'Mai'];
    const text = pieces.join('');
    const metadata = metadataFor(text, [{ text: 'Kraków in Mai', sources: [0, 1], withText: false }]);
    const citations = groundingCitations(read(metadata), [text]);
    expect(citations.map((c) => [c.startIndex, c.endIndex, c.text])).toEqual([
      [6, 19, 'Kraków in Mai'],
      [6, 19, 'Kraków in Mai'],
    ]);
  });

  it('drops a segment found nowhere, one that splits a character, and sources that are not pages; cites a source once per stretch', () => {
    const text = 'Ünïcode';
    const grounding = read({
      groundingChunks: [PAGES[0], { maps: {} }],
      groundingSupports: [
        { segment: { startIndex: 0, endIndex: 99, text: 'absent' }, groundingChunkIndices: [0] },
        { segment: { startIndex: 1, endIndex: 3 }, groundingChunkIndices: [0] },
        { segment: { startIndex: 0, endIndex: 2 }, groundingChunkIndices: [0, 0, 1] },
      ],
    });
    expect(groundingCitations(grounding, [text])).toEqual([
      { url: PAGES[0]?.web.uri, title: 'example.com', startIndex: 0, endIndex: 1, text: 'Ü' },
    ]);
  });
});
