/**
 * Folds stream chunks into one GenerateContentResponse, the way the service's non-streaming answer relates to
 * its stream: parts appended per candidate (adjacent text of the same kind joined, signatures kept), the last
 * finishReason and usage win, and the other top-level fields come from the first chunk that has them.
 */
import type { GeminiCandidateJSON, GeminiPartJSON, GeminiResponseJSON } from './types';

export function mergeChunks(chunks: readonly GeminiResponseJSON[]): GeminiResponseJSON {
  const merged: GeminiResponseJSON = {};
  const candidates = new Map<number, GeminiCandidateJSON>();
  for (const chunk of chunks) {
    for (const [key, value] of Object.entries(chunk)) {
      if (key === 'candidates') continue;
      if (key === 'usageMetadata' || merged[key] === undefined) merged[key] = value;
    }
    (chunk.candidates ?? []).forEach((c, position) => {
      const index = c.index ?? position;
      const into = candidates.get(index);
      candidates.set(
        index,
        into ? mergeCandidate(into, c) : { ...c, content: { ...c.content, parts: [...(c.content?.parts ?? [])] } },
      );
    });
  }
  if (candidates.size > 0) {
    merged.candidates = [...candidates.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
  }
  return reorder(merged);
}

function mergeCandidate(into: GeminiCandidateJSON, next: GeminiCandidateJSON): GeminiCandidateJSON {
  const parts = [...(into.content?.parts ?? [])];
  for (const part of next.content?.parts ?? []) appendPart(parts, part);
  const { content: _ignored, ...rest } = next;
  return { ...into, ...rest, content: { ...into.content, ...next.content, parts } };
}

function appendPart(parts: GeminiPartJSON[], part: GeminiPartJSON): void {
  const last = parts[parts.length - 1];
  const bothText = last !== undefined && typeof last.text === 'string' && typeof part.text === 'string';
  if (bothText && Boolean(last.thought) === Boolean(part.thought) && last.thoughtSignature === undefined) {
    parts[parts.length - 1] = { ...last, ...part, text: (last.text ?? '') + (part.text ?? '') };
    return;
  }
  parts.push(part);
}

const FIELD_ORDER = ['candidates', 'promptFeedback', 'usageMetadata', 'modelVersion', 'responseId'];

/** The service's field order; fields it does not know keep their place after these. */
function reorder(response: GeminiResponseJSON): GeminiResponseJSON {
  const ordered: GeminiResponseJSON = {};
  for (const key of FIELD_ORDER) if (response[key] !== undefined) ordered[key] = response[key];
  for (const [key, value] of Object.entries(response)) if (!(key in ordered)) ordered[key] = value;
  return ordered;
}
