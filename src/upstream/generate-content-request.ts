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
 * The body as JSON. Parts the memo remembers come with their JSON (content-memo.ts: the system instruction,
 * recall-gemini-tools.ts: the tools), spliced in last instead of serialised again: a coding agent's system
 * prompt and tools are the larger part of a request besides the conversation, the same on every turn (issue 18).
 */
function serializeBody(body: GeminiGenerateContentRequest, memo: ContentMemo | undefined): string {
  const system = memo && body.systemInstruction ? memo.jsonOf(body.systemInstruction) : undefined;
  const tools = memo && body.tools ? memo.jsonOf(body.tools) : undefined;
  if (system === undefined && tools === undefined) return JSON.stringify(body);
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if ((key === 'systemInstruction' && system !== undefined) || (key === 'tools' && tools !== undefined)) continue;
    rest[key] = value;
  }
  // `contents` is always there: the rest is never `{}`.
  let json = JSON.stringify(rest).slice(0, -1);
  if (system !== undefined) json += `,"systemInstruction":${system}`;
  if (tools !== undefined) json += `,"tools":${tools}`;
  return `${json}}`;
}
