import type { GeminiGenerateContentRequest } from '../gemini/gemini-types';
import type { ContentMemo } from '../http/content-memo';
import type { UpstreamRequest } from './upstream-request';

/**
 * A surface's converted request as one Gemini call: `generateContent`, or `streamGenerateContent` as SSE
 * (`alt=sse`) when the client asked for a stream.
 */
export function generateContentRequest(
  model: string,
  body: GeminiGenerateContentRequest,
  stream: boolean,
  memo?: ContentMemo,
): UpstreamRequest {
  return {
    method: 'POST',
    path: `/v1beta/models/${model}:${stream ? 'streamGenerateContent' : 'generateContent'}`,
    search: stream ? '?alt=sse' : '',
    headers: { 'content-type': 'application/json' },
    body: serializeBody(body, memo),
  };
}

/**
 * The body as JSON. Remembered tools (recall-gemini-tools.ts) come with their JSON, spliced in last instead of
 * serialised again: a coding agent's tools are the larger part of what is left to serialise besides the
 * conversation (issue 18).
 */
function serializeBody(body: GeminiGenerateContentRequest, memo: ContentMemo | undefined): string {
  const toolsJson = body.tools && memo?.jsonOf(body.tools);
  if (toolsJson === undefined) return JSON.stringify(body);
  const { tools: _spliced, ...rest } = body;
  // `contents` is always there: the rest is never `{}`.
  return `${JSON.stringify(rest).slice(0, -1)},"tools":${toolsJson}}`;
}
