import * as z from 'zod/mini';
import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { createSchemaBudget } from '../gemini/create-schema-budget';
import { parseWithSchema } from '../http/parse-with-schema';
import { readSizedJsonBody } from '../http/read-json-body';
import { fetchMediaUrls } from '../media/fetch-media-urls';
import { fetchWithFailover } from '../upstream/fetch-with-failover';
import { upstreamErrorToGatewayError } from '../upstream/upstream-error-to-gateway-error';
import { collectMediaUrls } from './collect-media-urls';
import { countTokensRequestSchema } from './messages-request-schema';
import { resolveClaudeModel } from './resolve-claude-model';
import { toGeminiRequest } from './to-gemini-request';

const countTokensResponseSchema = z.object({ totalTokens: z.nullish(z.number()) });

/**
 * `POST /v1/messages/count_tokens` → Gemini's countTokens on the converted request, whole (system
 * instruction and tools count too), as `{input_tokens}`. countTokens wants the request's model named inside
 * it (https://ai.google.dev/api/tokens#method:-models.counttokens).
 */
export async function handleCountTokens(request: Request, ctx: RequestContext): Promise<Response> {
  const received = await readSizedJsonBody(request, ctx);
  const count = parseWithSchema(countTokensRequestSchema, received.json);
  const model = resolveClaudeModel(count.model, ctx.config.modelMap);
  const media = await fetchMediaUrls(collectMediaUrls(count.messages), ctx);
  // Sampling and thinking settings do not change the count.
  const { generationConfig: _settings, ...generate } = toGeminiRequest(count, {
    model,
    media,
    schemaBudget: createSchemaBudget(received.size, ctx.config.maxBodyBytes),
    memo: ctx.memo,
  });
  const upstream = await fetchWithFailover(ctx, {
    method: 'POST',
    path: `/v1beta/models/${model}:countTokens`,
    search: '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ generateContentRequest: { model: `models/${model}`, ...generate } }),
  });
  if (!upstream.ok) throw await upstreamErrorToGatewayError(upstream);
  const parsed = countTokensResponseSchema.safeParse(await upstream.json().catch(() => undefined));
  if (!parsed.success)
    throw new GatewayError(502, 'The Gemini API answered countTokens in an unexpected shape.', {
      code: 'upstream_invalid_response',
    });
  return Response.json({ input_tokens: parsed.data.totalTokens ?? 0 });
}
