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
 * The body as JSON, the same value as JSON.stringify of it. With the instance's memo, what repeats from turn to
 * turn of an agent is not serialised again: the conversation's turns a remembered conversation already had
 * (content-memo.ts `arrayJson`), and the system instruction and tools, which come with their JSON made
 * (content-memo.ts `rememberJson`, recall-gemini-tools.ts) and are spliced in last (issue 18).
 */
function serializeBody(body: GeminiGenerateContentRequest, memo: ContentMemo | undefined): string {
  if (!memo) return JSON.stringify(body);
  const system = body.systemInstruction ? memo.jsonOf(body.systemInstruction) : undefined;
  const tools = body.tools ? memo.jsonOf(body.tools) : undefined;
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'contents') continue;
    if ((key === 'systemInstruction' && system !== undefined) || (key === 'tools' && tools !== undefined)) continue;
    rest[key] = value;
  }
  let json = `{"contents":${memo.arrayJson('contents', body.contents)}`;
  const restJson = JSON.stringify(rest);
  if (restJson !== '{}') json += `,${restJson.slice(1, -1)}`;
  if (system !== undefined) json += `,"systemInstruction":${system}`;
  if (tools !== undefined) json += `,"tools":${tools}`;
  return `${json}}`;
}
