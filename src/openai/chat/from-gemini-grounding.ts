import type { Citation } from '../../gemini/grounding-citations';
import type { OpenAIUrlCitation } from '../openai-types';

/** The core's citations → OpenAI's `url_citation` annotations (offsets are already characters of the content). */
export function fromGeminiGrounding(citations: readonly Citation[]): OpenAIUrlCitation[] {
  return citations.map((citation) => ({
    type: 'url_citation',
    url_citation: {
      url: citation.url,
      title: citation.title,
      start_index: citation.startIndex,
      end_index: citation.endIndex,
    },
  }));
}
