import type { GeminiGenerateContentRequest } from '../gemini/gemini-types';
import { concatBytes } from '../http/concat-bytes';
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
 * The body as JSON, the same text as JSON.stringify of it, in UTF-8 as it is sent. With the instance's memo,
 * what repeats from turn to turn of an agent is neither serialised nor encoded again: the turns a remembered
 * conversation already had (content-memo.ts `arrayBytes`), and the system instruction and tools, which come
 * with their JSON made (content-memo.ts `rememberJson`, recall-gemini-tools.ts) and go last (issue 18).
 */
function serializeBody(
  body: GeminiGenerateContentRequest,
  memo: ContentMemo | undefined,
): string | Uint8Array<ArrayBuffer> {
  if (!memo) return JSON.stringify(body);
  const system = body.systemInstruction ? memo.bytesOf(body.systemInstruction) : undefined;
  const tools = body.tools ? memo.bytesOf(body.tools) : undefined;
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'contents') continue;
    if ((key === 'systemInstruction' && system !== undefined) || (key === 'tools' && tools !== undefined)) continue;
    rest[key] = value;
  }
  const pieces = [CONTENTS, ...memo.arrayBytes('contents', body.contents)];
  const restJson = JSON.stringify(rest);
  if (restJson !== '{}') pieces.push(utf8.encode(`,${restJson.slice(1, -1)}`));
  if (system !== undefined) pieces.push(SYSTEM_INSTRUCTION, system);
  if (tools !== undefined) pieces.push(TOOLS, tools);
  pieces.push(END);
  let size = 0;
  for (const piece of pieces) size += piece.byteLength;
  return concatBytes(pieces, size);
}

const utf8 = new TextEncoder();
const CONTENTS = utf8.encode('{"contents":');
const SYSTEM_INSTRUCTION = utf8.encode(',"systemInstruction":');
const TOOLS = utf8.encode(',"tools":');
const END = utf8.encode('}');
