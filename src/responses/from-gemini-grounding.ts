import type { GeminiGrounding } from '../gemini/read-gemini-response';
import type { UrlCitation } from './response-types';

/**
 * Google Search grounding → the `url_citation` annotations of an `output_text` part: one per source a
 * supported text segment cites, in Gemini's order. Gemini counts segment offsets in UTF-8 bytes; the
 * annotations count characters of the text as clients index it (UTF-16 code units). Sources without a URL
 * and segments outside the text are left out.
 */
export function fromGeminiGrounding(grounding: GeminiGrounding, text: string): UrlCitation[] {
  const toIndex = byteOffsets(text);
  const annotations: UrlCitation[] = [];
  for (const support of grounding.supports) {
    const start = toIndex(support.startIndex);
    const end = toIndex(support.endIndex);
    if (start === undefined || end === undefined || end < start) continue;
    for (const c of support.chunkIndices) {
      const source = grounding.chunks[c];
      if (!source?.uri) continue;
      annotations.push({
        type: 'url_citation',
        start_index: start,
        end_index: end,
        url: source.uri,
        title: source.title ?? source.uri,
      });
    }
  }
  return annotations;
}

/** UTF-8 byte offset → UTF-16 index in `text`; undefined past the end or inside a character. */
function byteOffsets(text: string): (offset: number) => number | undefined {
  const starts = new Map<number, number>();
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    starts.set(bytes, i);
    const code = text.codePointAt(i) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    i += code >= 0x10000 ? 2 : 1;
  }
  starts.set(bytes, text.length);
  return (offset) => starts.get(offset);
}
