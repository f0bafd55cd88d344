import { describe, expect, it } from 'vitest';
import { readGeminiResponse } from '../../../../src/gemini/read-gemini-response';
import { fromGeminiChunks } from '../../../../src/openai/chat/from-gemini-chunks';
import { fromGeminiResponse } from '../../../../src/openai/chat/from-gemini-response';
import { testMeta } from '../helpers';

const bytes = (s: string) => new TextEncoder().encode(s).length;
const PAGE = { web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/x', title: 'example.com' } };
/** Grounding of `segment` inside `text`, in UTF-8 bytes as Gemini counts. */
const grounding = (text: string, segment: string, partIndex = 0) => {
  const start = bytes(text.slice(0, text.indexOf(segment)));
  return {
    groundingChunks: [PAGE],
    groundingSupports: [
      {
        segment: { partIndex, startIndex: start, endIndex: start + bytes(segment), text: segment },
        groundingChunkIndices: [0],
      },
    ],
  };
};
const candidate = (parts: unknown[], extra: Record<string, unknown> = {}) => ({
  candidates: [{ content: { role: 'model', parts }, index: 0, ...extra }],
});

function stream(events: unknown[], citations: boolean) {
  const out: Record<string, unknown>[] = [];
  const converter = fromGeminiChunks(testMeta({ citations }), false);
  const emit = (json: string) => out.push(JSON.parse(json) as Record<string, unknown>);
  for (const event of events) converter.push(event, emit);
  converter.end(emit);
  return out.map((c) => (c.choices as { delta: Record<string, unknown>; finish_reason: string | null }[])[0]);
}

describe('url_citation annotations', () => {
  it('non-stream: offsets count characters of the content, across an image part before the cited part', () => {
    const cited = 'Größe: 42 😀 Meter';
    const image = { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } };
    const response = readGeminiResponse(
      candidate([{ text: 'Bild: ' }, image, { text: cited }], {
        finishReason: 'STOP',
        groundingMetadata: grounding(cited, '42 😀 Meter', 2),
      }),
    );
    const message = fromGeminiResponse(response ?? { candidates: [] }, testMeta()).choices[0]?.message;
    const [annotation] = message?.annotations ?? [];
    expect(
      [...(message?.content ?? '')]
        .slice(annotation?.url_citation.start_index, annotation?.url_citation.end_index)
        .join(''),
    ).toBe('42 😀 Meter');
    expect(annotation?.url_citation).toMatchObject({ url: PAGE.web.uri, title: 'example.com' });
  });

  it('stream: grounding that arrives before the end (image models) waits for the finish, then goes out just before it', () => {
    const text = ['Der ', 'Kölner ', 'Dom'];
    const deltas = stream(
      [
        candidate([{ text: text[0] }], { groundingMetadata: grounding(text.join(''), 'Kölner Dom') }),
        candidate([{ text: text[1] }]),
        candidate([{ text: text[2] }], { finishReason: 'STOP' }),
      ],
      true,
    );
    const at = deltas.findIndex((d) => d?.delta.annotations !== undefined);
    expect(deltas.slice(at).map((d) => d?.finish_reason)).toEqual([null, 'stop']);
    expect(deltas[at]?.delta.annotations).toEqual([
      {
        type: 'url_citation',
        url_citation: { url: PAGE.web.uri, title: 'example.com', start_index: 4, end_index: 14 },
      },
    ]);
  });

  it('stream: a request that did not search keeps no text and sends no annotations', () => {
    const deltas = stream(
      [candidate([{ text: 'Hallo' }], { finishReason: 'STOP', groundingMetadata: grounding('Hallo', 'Hallo') })],
      false,
    );
    expect(deltas.some((d) => d?.delta.annotations !== undefined)).toBe(false);
  });
});
