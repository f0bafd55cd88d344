import { type Citation, groundingCitations } from '../gemini/grounding-citations';
import type { Grounding, GroundingSource } from '../gemini/read-grounding-metadata';
import type { AnthropicContentBlock, AnthropicWebSearchCitation, AnthropicWebSearchResult } from './anthropic-types';

type TextBlock = Extract<AnthropicContentBlock, { type: 'text' }>;

export interface GroundedContent {
  content: AnthropicContentBlock[];
  /** The searches shown, for `usage.server_tool_use.web_search_requests`. */
  searches: number;
}

/**
 * A Google-Search-grounded answer's content, laid out as Anthropic's web search answers
 * (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool): each query Google
 * ran as a `server_tool_use` block (`srvtoolu_…`, input `{query}`) followed by its `web_search_tool_result`,
 * all before the answer's text; the text split into blocks at the stretches Google says a page supports, each
 * such block with its `web_search_result_location` citations, the words between as plain text blocks.
 * Gemini does not say which query found which page, so the pages are listed once, in the last search's
 * result. Stretches that overlap (Google nests them) make one cited block, citing each page once with its
 * widest stretch. `partTexts` is the answer text each Gemini part adds, by part index (grounding segments
 * name their part), and the text blocks of `content` hold the same text in order; citations come from the
 * shared reader (grounding-citations.ts), offsets in code points. `newId` is the only source of ids.
 */
export function fromGeminiGrounding(
  content: readonly AnthropicContentBlock[],
  grounding: Grounding | undefined,
  partTexts: readonly string[],
  newId: () => string,
): GroundedContent {
  const sources = uniqueSources(grounding?.sources ?? []);
  if (!grounding || (grounding.queries.length === 0 && sources.length === 0))
    return { content: [...content], searches: 0 };

  // Google searched without saying what for (seen with pages but no webSearchQueries): one search, query unknown.
  const queries = grounding.queries.length > 0 ? grounding.queries : [''];
  const searchBlocks = queries.flatMap((query, q): AnthropicContentBlock[] => {
    const id = `srvtoolu_${newId()}`;
    const results = q === queries.length - 1 ? sources.map(toResult) : [];
    return [
      { type: 'server_tool_use', id, name: 'web_search', input: { query } },
      { type: 'web_search_tool_result', tool_use_id: id, content: results },
    ];
  });

  const citations = groundingCitations(grounding, partTexts);
  const out: AnthropicContentBlock[] = [];
  let searched = false;
  let offset = 0;
  for (const block of content) {
    if (block.type !== 'text') {
      out.push(block);
      continue;
    }
    if (!searched) out.push(...searchBlocks);
    searched = true;
    const chars = Array.from(block.text);
    out.push(...citeText(chars, offset, citations));
    offset += chars.length;
  }
  if (!searched) out.push(...searchBlocks);
  return { content: out, searches: queries.length };
}

/** One text block's characters, starting at `start` in the answer → its plain and cited pieces. */
function citeText(chars: readonly string[], start: number, citations: readonly Citation[]): TextBlock[] {
  const end = start + chars.length;
  const inside = citations
    .filter((citation) => citation.startIndex < end && citation.endIndex > start)
    .map((citation) => ({
      citation,
      from: Math.max(citation.startIndex, start) - start,
      to: Math.min(citation.endIndex, end) - start,
    }))
    .sort((a, b) => a.from - b.from || b.to - a.to);

  const clusters: { from: number; to: number; citations: Citation[] }[] = [];
  for (const { citation, from, to } of inside) {
    const last = clusters[clusters.length - 1];
    if (last && from < last.to) {
      last.to = Math.max(last.to, to);
      last.citations.push(citation);
    } else clusters.push({ from, to, citations: [citation] });
  }

  const blocks: TextBlock[] = [];
  let at = 0;
  for (const cluster of clusters) {
    if (cluster.from > at) blocks.push({ type: 'text', text: chars.slice(at, cluster.from).join('') });
    blocks.push({
      type: 'text',
      text: chars.slice(cluster.from, cluster.to).join(''),
      citations: widestPerPage(cluster.citations).map(toLocation),
    });
    at = cluster.to;
  }
  if (at < chars.length || blocks.length === 0) blocks.push({ type: 'text', text: chars.slice(at).join('') });
  return blocks;
}

/** Each page once, with the widest stretch it supports, in the order the pages were first cited. */
function widestPerPage(citations: readonly Citation[]): Citation[] {
  const byUrl = new Map<string, Citation>();
  for (const citation of citations) {
    const seen = byUrl.get(citation.url);
    if (!seen || citation.endIndex - citation.startIndex > seen.endIndex - seen.startIndex)
      byUrl.set(citation.url, citation);
  }
  return [...byUrl.values()];
}

function uniqueSources(sources: readonly (GroundingSource | undefined)[]): GroundingSource[] {
  const byUrl = new Map<string, GroundingSource>();
  for (const source of sources) if (source && !byUrl.has(source.url)) byUrl.set(source.url, source);
  return [...byUrl.values()];
}

function toResult(source: GroundingSource): AnthropicWebSearchResult {
  return { type: 'web_search_result', url: source.url, title: source.title, encrypted_content: '', page_age: null };
}

function toLocation(citation: Citation): AnthropicWebSearchCitation {
  return {
    type: 'web_search_result_location',
    url: citation.url,
    title: citation.title,
    cited_text: citation.text,
    encrypted_index: '',
  };
}
