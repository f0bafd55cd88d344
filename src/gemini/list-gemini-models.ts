import * as z from 'zod/mini';
import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { fetchWithFailover } from '../upstream/fetch-with-failover';
import { upstreamErrorToGatewayError } from '../upstream/upstream-error-to-gateway-error';

/** Gemini lists about 50 models; this bounds a paging loop that never ends. */
const MAX_PAGES = 20;

const modelListSchema = z.object({
  models: z.nullish(z.array(z.object({ name: z.string() }))),
  nextPageToken: z.nullish(z.string()),
});

/**
 * The ids of every model the upstream lists (https://ai.google.dev/api/models#method:-models.list), all
 * pages, without the `models/` prefix, in the upstream's order; each surface shapes its own model list.
 */
export async function listGeminiModels(ctx: RequestContext): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | null | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const search = `?pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
    const upstream = await fetchWithFailover(ctx, { method: 'GET', path: '/v1beta/models', search });
    if (!upstream.ok) throw await upstreamErrorToGatewayError(upstream);
    const parsed = modelListSchema.safeParse(await upstream.json().catch(() => undefined));
    if (!parsed.success)
      throw new GatewayError(502, 'The Gemini API answered the model list in an unexpected shape.', {
        code: 'upstream_invalid_response',
      });
    for (const model of parsed.data.models ?? []) ids.push(stripModelsPrefix(model.name));
    pageToken = parsed.data.nextPageToken;
    if (!pageToken) break;
  }
  return ids;
}

/** `models/gemini-2.5-pro` → `gemini-2.5-pro`; an id without the prefix stays as it is. */
export function stripModelsPrefix(name: string): string {
  return name.startsWith('models/') ? name.slice('models/'.length) : name;
}
