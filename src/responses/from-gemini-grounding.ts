import { groundingCitations } from '../gemini/grounding-citations';
import type { Grounding } from '../gemini/read-grounding-metadata';
import type { UrlCitation } from './response-types';

/**
 * Google Search grounding → the `url_citation` annotations of an `output_text` part, through the core's
 * citations (grounding-citations.ts: UTF-8 byte segments → characters of the text, one citation per source
 * of each supported stretch; segments that do not fit the text and sources without a URL are left out).
 */
export function fromGeminiGrounding(grounding: Grounding, text: string): UrlCitation[] {
  return groundingCitations(grounding, [text]).map((citation) => ({
    type: 'url_citation',
    start_index: citation.startIndex,
    end_index: citation.endIndex,
    url: citation.url,
    title: citation.title,
  }));
}
