import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { isModelName } from '../gemini/assert-model-name';
import { listGeminiModels, stripModelsPrefix } from '../gemini/list-gemini-models';
import { fetchWithFailover } from '../upstream/fetch-with-failover';
import { upstreamErrorToGatewayError } from '../upstream/upstream-error-to-gateway-error';
import { resolveClaudeModel } from './resolve-claude-model';

/** Gemini reports no creation date; every entry carries the Gemini API's launch day, a stable value. */
export const MODEL_CREATED_AT = '2023-12-13T00:00:00Z';

interface AnthropicModel {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

const entry = (id: string, displayName: string): AnthropicModel => ({
  type: 'model',
  id,
  display_name: displayName,
  created_at: MODEL_CREATED_AT,
});

/**
 * `GET /v1/models` and `/v1/models/{id}` for Anthropic clients (they send `anthropic-version`), in the shape
 * of https://docs.anthropic.com/en/api/models-list: the upstream's models and MODEL_MAP's aliases, in one
 * page. A `claude-*` name or an alias is answered here, naming the Gemini model that serves it.
 */
export async function handleAnthropicModels(_request: Request, ctx: RequestContext, id?: string): Promise<Response> {
  if (id !== undefined) return Response.json(await getModel(id, ctx));
  const upstream = await listGeminiModels(ctx);
  const ids = new Set(upstream);
  const aliases = [...ctx.config.modelMap]
    .filter(([alias]) => !ids.has(alias))
    .map(([alias, model]) => entry(alias, `${alias} (${model})`));
  const data = [...upstream.map((id) => entry(id, id)), ...aliases];
  return Response.json({
    data,
    has_more: false,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  });
}

async function getModel(id: string, ctx: RequestContext): Promise<AnthropicModel> {
  if (ctx.config.modelMap.has(id) || id.startsWith('claude-'))
    return entry(id, `${id} (${resolveClaudeModel(id, ctx.config.modelMap)})`);
  const name = stripModelsPrefix(id);
  const notFound = () => new GatewayError(404, `model: ${id}`, { param: 'model', code: 'model_not_found' });
  if (!isModelName(name)) throw notFound();
  const upstream = await fetchWithFailover(ctx, { method: 'GET', path: `/v1beta/models/${name}`, search: '' });
  if (upstream.status === 404) {
    await upstream.body?.cancel().catch(() => {});
    throw notFound();
  }
  if (!upstream.ok) throw await upstreamErrorToGatewayError(upstream);
  const body = (await upstream.json().catch(() => undefined)) as { displayName?: unknown } | undefined;
  return entry(name, typeof body?.displayName === 'string' ? body.displayName : name);
}
