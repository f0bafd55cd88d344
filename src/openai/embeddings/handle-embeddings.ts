import * as z from 'zod/mini';
import type { RequestContext } from '../../context';
import { GatewayError } from '../../errors';
import { assertModelName } from '../../gemini/assert-model-name';
import { parseWithSchema } from '../../http/parse-with-schema';
import { readJsonBody } from '../../http/read-json-body';
import { fetchWithFailover } from '../../upstream/fetch-with-failover';
import { upstreamErrorToGatewayError } from '../../upstream/upstream-error-to-gateway-error';
import { embeddingsRequestSchema } from './embeddings-request-schema';
import { encodeEmbeddingBase64 } from './encode-embedding-base64';
import { resolveEmbeddingModel } from './resolve-embedding-model';
import { toGeminiEmbedRequest } from './to-gemini-embed-request';

/** OpenAI's own limit of inputs per request. */
const MAX_INPUTS = 2048;

const batchResponseSchema = z.object({
  embeddings: z.nullish(z.array(z.object({ values: z.nullish(z.array(z.number())) }))),
  usageMetadata: z.nullish(z.object({ promptTokenCount: z.nullish(z.number()) })),
});

/**
 * `POST /v1/embeddings`. Lists over 100 are split into several batchEmbedContents calls, sent one after
 * another so that a large request does not burst one key's per-minute quota. Usage: Gemini's
 * batchEmbedContents reports no token counts, so `prompt_tokens` is what it reports if it ever does, else 0
 * (an estimate would be invented numbers).
 */
export async function handleEmbeddings(request: Request, ctx: RequestContext): Promise<Response> {
  const embeddings = parseWithSchema(embeddingsRequestSchema, await readJsonBody(request, ctx));
  const texts = typeof embeddings.input === 'string' ? [embeddings.input] : embeddings.input;
  if (texts.length === 0)
    throw new GatewayError(400, "Invalid 'input': the list must not be empty.", { param: 'input' });
  if (texts.length > MAX_INPUTS)
    throw new GatewayError(400, `Invalid 'input': at most ${MAX_INPUTS} inputs per request.`, { param: 'input' });
  if (!texts.every((text): text is string => typeof text === 'string')) {
    throw new GatewayError(400, "Invalid 'input': token arrays are not supported (Gemini embeds text); send strings.", {
      param: 'input',
    });
  }
  const model = assertModelName(resolveEmbeddingModel(embeddings.model, ctx.config.modelMap));
  const base64 = embeddings.encoding_format === 'base64';

  const data: { object: 'embedding'; index: number; embedding: number[] | string }[] = [];
  let promptTokens = 0;
  for (const batch of toGeminiEmbedRequest(texts, model, embeddings.dimensions)) {
    const upstream = await fetchWithFailover(ctx, {
      method: 'POST',
      path: `/v1beta/models/${model}:batchEmbedContents`,
      search: '',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    if (!upstream.ok) throw await upstreamErrorToGatewayError(upstream);
    const parsed = batchResponseSchema.safeParse(await upstream.json().catch(() => undefined));
    const vectors = parsed.success ? parsed.data.embeddings : undefined;
    if (!parsed.success || !vectors || vectors.length !== batch.requests.length) {
      throw new GatewayError(502, 'The Gemini API answered the embeddings request in an unexpected shape.', {
        code: 'upstream_invalid_response',
      });
    }
    promptTokens += parsed.data.usageMetadata?.promptTokenCount ?? 0;
    for (const vector of vectors) {
      const values = vector.values ?? [];
      data.push({
        object: 'embedding',
        index: data.length,
        embedding: base64 ? encodeEmbeddingBase64(values) : values,
      });
    }
  }
  return Response.json({
    object: 'list',
    data,
    model: embeddings.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}
