import type { UpstreamRequest } from './upstream-request';

/**
 * A surface's converted request as one Gemini call: `generateContent`, or `streamGenerateContent` as SSE
 * (`alt=sse`) when the client asked for a stream.
 */
export function generateContentRequest(model: string, body: unknown, stream: boolean): UpstreamRequest {
  return {
    method: 'POST',
    path: `/v1beta/models/${model}:${stream ? 'streamGenerateContent' : 'generateContent'}`,
    search: stream ? '?alt=sse' : '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
