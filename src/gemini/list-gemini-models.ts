import * as z from 'zod/mini';
import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { upstreamErrorToGatewayError } from '../openai/upstream-error-to-gateway-error';
import { fetchWithFailover } from '../upstream/fetch-with-failover';

/** Gemini lists about 50 models; this bounds a paging loop that never ends. */
const MAX_PAGES = 20;

const modelListSchema = z.object({
  models: z.nullish(z.array(z.object({ name: z.string(), displayName: z.nullish(z.string()) }))),
  nextPageToken: z.nullish(z.string()),
});

export interface GeminiModelEntry {
  /** Without the `models/` prefix. */
  id: string;
  displayName: string | undefined;
}

/** Every model the upstream lists, all pages, in its order; shared by the surfaces' model lists. */
export async function listGeminiModels(ctx: RequestContext): Promise<GeminiModelEntry[]> {
  const models: GeminiModelEntry[] = [];
  let pageToken: string | null | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const search = `?pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
    const upstream = await fetchWithFailover(ctx, { method: 'GET', path: '/v1beta/models', search });
    if (!upstream.ok) throw await upstreamErrorToGatewayError(upstream);
    const parsed = modelListSchema.safeParse(await upstream.json().catch(() => undefined));
    if (!parsed.success) throw new GatewayError(502, 'The Gemini API answered the model list in an unexpected shape.', { code: 'upstream_invalid_response' });
    for (const model of parsed.data.models ?? []) models.push({ id: stripModelsPrefix(model.name), displayName: model.displayName ?? undefined });
    pageToken = parsed.data.nextPageToken;
    if (!pageToken) break;
  }
  return models;
}

export function stripModelsPrefix(name: string): string {
  return name.startsWith('models/') ? name.slice('models/'.length) : name;
}
