/**
 * Gemini's `candidate.groundingMetadata` (https://ai.google.dev/api/generate-content#GroundingMetadata), read
 * leniently like the rest of the answer: a field of an unexpected type counts as absent, unknown fields are
 * ignored. Only what a client surface can show is kept: the queries Google ran, the pages it cited, and which
 * stretch of the answer each page supports. Segment offsets stay as Gemini sends them — UTF-8 bytes into a
 * part's text — until citations are made from them (grounding-citations.ts).
 */

export interface GroundingSource {
  url: string;
  /** Gemini's title is the site's domain; a source without one gets its URL's host. */
  title: string;
}

export interface GroundingSupport {
  partIndex: number;
  /** UTF-8 byte offsets into the part's text, start inclusive, end exclusive. */
  startByte: number;
  endByte: number;
  /** The text Gemini says the segment holds, when it says. */
  text?: string;
  /** Indices into `sources`. */
  sourceIndices: number[];
}

export interface Grounding {
  queries: string[];
  /** Indexed like Gemini's groundingChunks: a chunk that is not a web page leaves a hole (undefined). */
  sources: (GroundingSource | undefined)[];
  supports: GroundingSupport[];
  /** The HTML of Google's search-suggestions chip, which Google's terms ask apps to show beside grounded answers. */
  searchEntryPoint?: string;
}

type Json = Record<string, unknown>;

export function readGroundingMetadata(value: unknown): Grounding | undefined {
  if (!isObject(value)) return undefined;
  const queries = Array.isArray(value.webSearchQueries)
    ? value.webSearchQueries.filter((q): q is string => typeof q === 'string')
    : [];
  const sources = Array.isArray(value.groundingChunks) ? value.groundingChunks.map(readSource) : [];
  const supports: GroundingSupport[] = [];
  if (Array.isArray(value.groundingSupports)) {
    for (const support of value.groundingSupports) {
      const read = isObject(support) ? readSupport(support) : undefined;
      if (read) supports.push(read);
    }
  }
  const grounding: Grounding = { queries, sources, supports };
  const entry = isObject(value.searchEntryPoint) ? value.searchEntryPoint.renderedContent : undefined;
  if (typeof entry === 'string' && entry !== '') grounding.searchEntryPoint = entry;
  return grounding;
}

function readSource(chunk: unknown): GroundingSource | undefined {
  if (!isObject(chunk)) return undefined;
  // Web pages (googleSearch), and retrieved documents that carry a URI (other grounding tools).
  const page = isObject(chunk.web) ? chunk.web : isObject(chunk.retrievedContext) ? chunk.retrievedContext : undefined;
  if (!page || typeof page.uri !== 'string' || page.uri === '') return undefined;
  const title = typeof page.title === 'string' && page.title !== '' ? page.title : hostOf(page.uri);
  return { url: page.uri, title };
}

function readSupport(support: Json): GroundingSupport | undefined {
  const segment = isObject(support.segment) ? support.segment : undefined;
  if (!segment) return undefined;
  // proto3 JSON leaves out zeros: a missing start or part index is 0.
  const startByte = count(segment.startIndex) ?? 0;
  const endByte = count(segment.endIndex);
  if (endByte === undefined || endByte <= startByte) return undefined;
  const sourceIndices = Array.isArray(support.groundingChunkIndices)
    ? support.groundingChunkIndices.filter((i): i is number => count(i) !== undefined)
    : [];
  const read: GroundingSupport = { partIndex: count(segment.partIndex) ?? 0, startByte, endByte, sourceIndices };
  if (typeof segment.text === 'string' && segment.text !== '') read.text = segment.text;
  return read;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
