import type { RequestContext } from '../../context';
import { GatewayError } from '../../errors';
import type { GeminiGenerateContentRequest } from '../../gemini/gemini-types';
import { type GeminiResponse, readGeminiResponse } from '../../gemini/read-gemini-response';
import { fetchWithFailover } from '../../upstream/fetch-with-failover';
import { isGenerateAnswer } from '../../upstream/is-generate-answer';
import { upstreamErrorToGatewayError } from '../../upstream/upstream-error-to-gateway-error';

export interface ImagesResponse {
  created: number;
  data: ({ b64_json: string } | { url: string })[];
  output_format: string;
  usage: {
    input_tokens: number;
    output_tokens: number;
    total_tokens: number;
    input_tokens_details: { text_tokens: number; image_tokens: number };
  };
}

export interface GenerateImagesOptions {
  model: string;
  body: GeminiGenerateContentRequest;
  n: number;
  /** `url` answers with `data:` URLs: the gateway keeps nothing it could link to. */
  responseFormat: 'url' | 'b64_json';
  /** How many of the request's input tokens were images (edits), for OpenAI's usage breakdown. */
  inputImages: number;
}

const decoder = new TextDecoder();

/** Finish reasons and block reasons that mean Gemini's safety filters refused the image. */
const REFUSED = new Set([
  'SAFETY',
  'IMAGE_SAFETY',
  'PROHIBITED_CONTENT',
  'IMAGE_PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'RECITATION',
  'IMAGE_RECITATION',
  'OTHER',
  'IMAGE_OTHER',
]);

/**
 * `n` images: as many generateContent calls, sent at once (an image takes seconds, and the Edge function
 * must answer within 25 s), each with the key pool's failover. The first call that fails fails the request,
 * as OpenAI answers all or nothing.
 */
export async function generateImages(ctx: RequestContext, options: GenerateImagesOptions): Promise<ImagesResponse> {
  const body = JSON.stringify(options.body);
  const answers = await Promise.all(Array.from({ length: options.n }, () => generateOne(ctx, options.model, body)));
  const data: ImagesResponse['data'] = [];
  let input = 0;
  let output = 0;
  let format = 'png';
  for (const answer of answers) {
    input += answer.usageMetadata?.promptTokenCount ?? 0;
    output += (answer.usageMetadata?.candidatesTokenCount ?? 0) + (answer.usageMetadata?.thoughtsTokenCount ?? 0);
    const image = firstImage(answer);
    format = image.mimeType.replace(/^image\//, '');
    data.push(
      options.responseFormat === 'url'
        ? { url: `data:${image.mimeType};base64,${image.data}` }
        : { b64_json: image.data },
    );
  }
  // Gemini counts an input image as 258 tokens per tile; its usage does not split them out, so this is the estimate.
  const imageTokens = Math.min(input, options.inputImages * 258 * options.n);
  return {
    created: Math.floor(ctx.deps.now() / 1000),
    data,
    output_format: format,
    usage: {
      input_tokens: input,
      output_tokens: output,
      total_tokens: input + output,
      input_tokens_details: { text_tokens: input - imageTokens, image_tokens: imageTokens },
    },
  };
}

async function generateOne(ctx: RequestContext, model: string, body: string): Promise<GeminiResponse> {
  // The accepted answer's bytes are taken as fetchWithFailover read them (as chat completions does).
  let answer: Uint8Array | undefined;
  const acceptSuccess = (bytes: Uint8Array) => {
    if (!isGenerateAnswer(bytes)) return false;
    answer = bytes;
    return 'taken' as const;
  };
  const upstream = await fetchWithFailover(ctx, {
    method: 'POST',
    path: `/v1beta/models/${model}:generateContent`,
    search: '',
    headers: { 'content-type': 'application/json' },
    body,
    acceptSuccess,
  });
  if (!upstream.ok) throw await upstreamErrorToGatewayError(upstream);
  let json: unknown;
  try {
    json = JSON.parse(answer ? decoder.decode(answer) : await upstream.text());
  } catch {
    throw new GatewayError(502, 'The Gemini API answered with a body that is not JSON.', {
      code: 'upstream_invalid_response',
    });
  }
  const response = readGeminiResponse(json);
  if (!response)
    throw new GatewayError(502, 'The Gemini API answered with a body that is not a JSON object.', {
      code: 'upstream_invalid_response',
    });
  ctx.usage?.tokens(response.usageMetadata);
  return response;
}

function firstImage(response: GeminiResponse): { mimeType: string; data: string } {
  const candidate = response.candidates[0];
  for (const part of candidate?.parts ?? []) if (part.inlineData?.mimeType.startsWith('image/')) return part.inlineData;
  const reason = response.blockReason ?? candidate?.finishReason;
  const said = (candidate?.parts ?? [])
    .filter((part) => part.text && !part.thought)
    .map((part) => part.text)
    .join('')
    .slice(0, 300);
  if (reason !== undefined && REFUSED.has(reason)) {
    // OpenAI's own code for a prompt its safety system refused, which image clients already explain to users.
    throw new GatewayError(400, `Gemini refused to generate this image (${reason})${said ? `: ${said}` : '.'}`, {
      code: 'content_policy_violation',
    });
  }
  // The model answered in words instead (it declined, or asked a question): the client's request to change,
  // not a fault to retry.
  if (said) throw new GatewayError(422, `Gemini answered without an image: ${said}`, { code: 'image_not_generated' });
  throw new GatewayError(502, 'Gemini answered without an image.', { code: 'upstream_no_image' });
}
