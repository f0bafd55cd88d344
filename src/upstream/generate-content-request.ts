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
 * conversation already had (content-memo.ts `arrayBytes`), and any field whose value the memo holds the JSON of
 * — the system instruction (`rememberJson`) and the tools (recall-gemini-tools.ts) — which goes last (issue 18).
 */
function serializeBody(
  body: GeminiGenerateContentRequest,
  memo: ContentMemo | undefined,
): string | Uint8Array<ArrayBuffer> {
  if (!memo) return JSON.stringify(body);
  const rest: Record<string, unknown> = {};
  const remembered: Uint8Array<ArrayBuffer>[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === 'contents') continue;
    const bytes = typeof value === 'object' && value !== null ? memo.bytesOf(value) : undefined;
    if (bytes === undefined) rest[key] = value;
    else remembered.push(utf8.encode(`,${JSON.stringify(key)}:`), bytes);
  }
  const pieces = [CONTENTS, ...memo.arrayBytes('contents', body.contents)];
  const restJson = JSON.stringify(rest);
  if (restJson !== '{}') pieces.push(utf8.encode(`,${restJson.slice(1, -1)}`));
  pieces.push(...remembered, END);
  let size = 0;
  for (const piece of pieces) size += piece.byteLength;
  return concatBytes(pieces, size);
}

const utf8 = new TextEncoder();
const CONTENTS = utf8.encode('{"contents":');
const END = utf8.encode('}');
