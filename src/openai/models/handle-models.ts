import type { RequestContext } from '../../context';
import { GatewayError } from '../../errors';
import { isModelName } from '../../gemini/assert-model-name';
import { listGeminiModels, stripModelsPrefix } from '../../gemini/list-gemini-models';
import { listModelAliases } from '../../gemini/resolve-model';
import { fetchWithFailover } from '../../upstream/fetch-with-failover';
import { upstreamErrorToGatewayError } from '../../upstream/upstream-error-to-gateway-error';

/**
 * Gemini reports no creation date for its models; every entry carries this fixed one (the Gemini API's
 * launch, 2023-12-13) so the field is a stable number.
 */
export const MODEL_CREATED = 1_702_425_600;
/** Who owns the aliases of the model table and MODEL_MAP. */
export const ALIAS_OWNER = 'gemini-balance-lite';

interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

const entry = (id: string, ownedBy: string): OpenAIModel => ({
  id,
  object: 'model',
  created: MODEL_CREATED,
  owned_by: ownedBy,
});

/**
 * `GET /v1/models`: every model the upstream lists (all pages, ids without `models/`) plus the OpenAI
 * aliases this gateway maps. `GET /v1/models/{id}`: an alias is answered here, any other id by the upstream.
 */
export async function handleModels(_request: Request, ctx: RequestContext, id?: string): Promise<Response> {
  if (id === undefined) return Response.json({ object: 'list', data: await listModels(ctx) });
  return Response.json(await getModel(id, ctx));
}

async function listModels(ctx: RequestContext): Promise<OpenAIModel[]> {
  const ids = await listGeminiModels(ctx);
  const upstreamIds = new Set(ids);
  const aliases = listModelAliases(ctx.config.modelMap).filter((alias) => !upstreamIds.has(alias));
  return [...ids.map((model) => entry(model, 'google')), ...aliases.map((alias) => entry(alias, ALIAS_OWNER))];
}

async function getModel(id: string, ctx: RequestContext): Promise<OpenAIModel> {
  if (listModelAliases(ctx.config.modelMap).includes(id)) return entry(id, ALIAS_OWNER);
  const name = stripModelsPrefix(id);
  const notFound = () =>
    new GatewayError(404, `The model '${id}' does not exist or you do not have access to it.`, {
      param: 'model',
      code: 'model_not_found',
    });
  // A model id is one path segment upstream; anything else cannot name a model.
  if (!isModelName(name)) throw notFound();
  const upstream = await fetchWithFailover(ctx, { method: 'GET', path: `/v1beta/models/${name}`, search: '' });
  if (upstream.status === 404) {
    await upstream.body?.cancel().catch(() => {});
    throw notFound();
  }
  if (!upstream.ok) throw await upstreamErrorToGatewayError(upstream);
  return entry(name, 'google');
}
