/**
 * Google Search grounding as the service returns it (https://ai.google.dev/gemini-api/docs/google-search,
 * https://ai.google.dev/api/generate-content#GroundingMetadata): the queries it ran, the web pages it used
 * (`groundingChunks`, each a redirect URI on vertexaisearch.cloud.google.com and the site's domain as title),
 * which stretch of the answer each page supports (`groundingSupports`), and the search suggestions widget.
 * Segment indices are UTF-8 byte offsets, start inclusive and end exclusive (Segment in the API reference;
 * firebase/firebase-android-sdk#8033), and proto3 JSON leaves out a zero `startIndex` and `partIndex`. In a
 * stream the metadata arrives once, on the chunk that ends the candidate, indexing the whole answer text.
 */
import type { GenerateContentRequest } from './gemini-request-schema';

export interface GroundingMetadataJSON {
  webSearchQueries: string[];
  searchEntryPoint: { renderedContent: string };
  groundingChunks: { web: { uri: string; title: string } }[];
  groundingSupports: {
    segment: { partIndex?: number; startIndex?: number; endIndex: number; text: string };
    groundingChunkIndices: number[];
  }[];
}

/** The two sites every grounded answer of the fake cites. */
export const GROUNDING_SOURCES = [
  { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/fake-source-0', title: 'example.com' },
  { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/fake-source-1', title: 'example.org' },
] as const;

export function usesGoogleSearch(request: GenerateContentRequest): boolean {
  return (request.tools ?? []).some(
    (tool) => tool.googleSearch !== undefined || tool.googleSearchRetrieval !== undefined,
  );
}

/**
 * Metadata for an answer `text` whose every sentence-like piece after `prefix` is grounded: the echoed words
 * are supported by both sources, and the first echoed word (when there are several) by the first source alone,
 * so that supports overlap as they do on Google.
 */
export function groundingFor(text: string, prefix: string, query: string, partIndex = 0): GroundingMetadataJSON {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  const grounded = text.slice(prefix.length);
  const start = bytes(prefix);
  const offset = (at: number) => ({
    ...(partIndex === 0 ? {} : { partIndex }),
    ...(at === 0 ? {} : { startIndex: at }),
  });
  const supports: GroundingMetadataJSON['groundingSupports'] = [];
  const firstWord = /^\S+/.exec(grounded)?.[0];
  if (firstWord && firstWord.length < grounded.length) {
    supports.push({
      segment: { ...offset(start), endIndex: start + bytes(firstWord), text: firstWord },
      groundingChunkIndices: [0],
    });
  }
  supports.push({
    segment: { ...offset(start), endIndex: start + bytes(grounded), text: grounded },
    groundingChunkIndices: [0, 1],
  });
  return {
    webSearchQueries: [query],
    searchEntryPoint: {
      renderedContent: `<style>.container{display:flex}</style><div class="container"><a class="chip" href="https://www.google.com/search?q=${encodeURIComponent(query)}">${escapeHtml(query)}</a></div>`,
    },
    groundingChunks: GROUNDING_SOURCES.map((source) => ({ web: { ...source } })),
    groundingSupports: supports,
  };
}

/**
 * With `toolConfig.includeServerSideToolInvocations` (search beside functions), Gemini puts the search it ran
 * into the answer as a `toolCall` and a `toolResponse` part before the text
 * (https://ai.google.dev/gemini-api/docs/tool-combination); the text is then part 2, and segments say so.
 */
export function searchInvocationParts(query: string, id: string): Record<string, unknown>[] {
  return [
    { toolCall: { id, toolType: 'GOOGLE_SEARCH_WEB', args: { queries: [query] } } },
    {
      toolResponse: {
        id,
        toolType: 'GOOGLE_SEARCH_WEB',
        response: { results: GROUNDING_SOURCES.map((s) => ({ url: s.uri, title: s.title })) },
      },
    },
  ];
}

export function showsSearchInvocations(request: GenerateContentRequest): boolean {
  return usesGoogleSearch(request) && request.toolConfig?.includeServerSideToolInvocations === true;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
