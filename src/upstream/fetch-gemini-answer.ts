import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { type GeminiResponse, readGeminiResponse } from '../gemini/read-gemini-response';
import { fetchWithFailover } from './fetch-with-failover';
import { isGenerateAnswer } from './is-generate-answer';
import { upstreamErrorToGatewayError } from './upstream-error-to-gateway-error';
import type { UpstreamRequest } from './upstream-request';

// measured: run `npm run bench` before changing (every non-streaming generateContent of every surface).

const decoder = new TextDecoder();

/**
 * A whole generateContent through the key pool, every surface's way: an empty or malformed 200 fails over
 * to the next key, the answer is read leniently and its tokens go to the usage numbers. Throws a
 * GatewayError for an upstream error or an answer that is not a JSON object.
 */
export async function fetchGeminiAnswer(ctx: RequestContext, request: UpstreamRequest): Promise<GeminiResponse> {
  // The accepted answer's bytes are taken here: a Response body to read them from again would cost a stream.
  let answer: Uint8Array | undefined;
  const acceptSuccess = (bytes: Uint8Array) => {
    if (!isGenerateAnswer(bytes)) return false;
    answer = bytes;
    return 'taken' as const;
  };
  const upstream = await fetchWithFailover(ctx, { ...request, acceptSuccess });
  if (!upstream.ok) throw await upstreamErrorToGatewayError(upstream);

  const text = answer ? decoder.decode(answer) : await upstream.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GatewayError(502, 'The Gemini API answered with a body that is not JSON.', {
      code: 'upstream_invalid_response',
    });
  }
  const response = readGeminiResponse(json);
  if (!response) {
    throw new GatewayError(502, 'The Gemini API answered with a body that is not a JSON object.', {
      code: 'upstream_invalid_response',
    });
  }
  ctx.usage?.tokens(response.usageMetadata);
  return response;
}
