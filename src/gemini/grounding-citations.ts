import type { Grounding } from './read-grounding-metadata';

/** One source cited for one stretch of the answer: what OpenAI calls a `url_citation`. */
export interface Citation {
  url: string;
  title: string;
  /**
   * Offsets into the answer text in Unicode characters (code points), start inclusive, end exclusive: the
   * unit OpenAI's `start_index` / `end_index` count in. A client slicing a JavaScript string differs only
   * where the text holds characters outside the Basic Multilingual Plane (emoji).
   */
  startIndex: number;
  endIndex: number;
  /** The cited text itself (Anthropic's `cited_text`). */
  text: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Grounding supports → citations over the answer text, for every surface (chat completions, Responses,
 * Anthropic Messages). `parts` are the answer's text parts in order, without thoughts; the answer is their
 * concatenation. Gemini counts a segment in UTF-8 bytes into the part `partIndex` names
 * (https://ai.google.dev/api/generate-content#Segment); these are turned into character offsets over the
 * whole answer. Where the bytes there do not hold the segment's own `text` — Gemini has been seen to leave
 * out `partIndex` for the second part (googleapis/python-genai#961), and a stream's parts are not the
 * answer's — the offsets are tried over the whole answer, then the text is looked up; a segment found
 * nowhere is dropped rather than pointing at the wrong words. A support citing several sources becomes one
 * citation per source; the same source over the same stretch is cited once.
 */
export function groundingCitations(grounding: Grounding, parts: readonly string[]): Citation[] {
  const whole = parts.join('');
  const wholeSpan = { text: whole, charOffset: 0 };
  const citations: Citation[] = [];
  const seen = new Set<string>();
  for (const support of grounding.supports) {
    const part = parts.length > 1 ? parts[support.partIndex] : undefined;
    const own =
      part === undefined
        ? undefined
        : { text: part, charOffset: codePoints(parts.slice(0, support.partIndex).join('')) };
    const found =
      (own && locate(own, support.startByte, support.endByte, support.text)) ??
      locate(wholeSpan, support.startByte, support.endByte, support.text) ??
      search(whole, support.text);
    if (!found) continue;
    for (const index of support.sourceIndices) {
      const source = grounding.sources[index];
      if (!source) continue;
      const key = `${source.url}\u0000${found.start}\u0000${found.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      citations.push({
        url: source.url,
        title: source.title,
        startIndex: found.start,
        endIndex: found.end,
        text: found.text,
      });
    }
  }
  return citations;
}

interface Span {
  text: string;
  /** Where `text` starts in the answer, in code points. */
  charOffset: number;
}

interface Found {
  start: number;
  end: number;
  text: string;
}

function locate(span: Span, startByte: number, endByte: number, expected: string | undefined): Found | undefined {
  const bytes = encoder.encode(span.text);
  if (endByte > bytes.length) return undefined;
  const before = decoder.decode(bytes.subarray(0, startByte));
  const text = decoder.decode(bytes.subarray(startByte, endByte));
  // An offset inside a character decodes to U+FFFD: not a boundary Gemini would have meant.
  if (text.includes('\uFFFD') && !(expected ?? '').includes('\uFFFD')) return undefined;
  if (expected !== undefined && text !== expected) return undefined;
  const start = span.charOffset + codePoints(before);
  return { start, end: start + codePoints(text), text };
}

function search(whole: string, expected: string | undefined): Found | undefined {
  if (expected === undefined) return undefined;
  const at = whole.indexOf(expected);
  if (at < 0) return undefined;
  const start = codePoints(whole.slice(0, at));
  return { start, end: start + codePoints(expected), text: expected };
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
