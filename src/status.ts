import type { RequestContext } from './context';
import { prefersHtml } from './status-page/prefers-html';
import { statusPageResponse } from './status-page/status-page-response';
import { NAME, VERSION } from './version';

/**
 * `GET /`: needs no key. A browser gets the status page; curl, scripts and uptime checks get a short JSON
 * status, so a deployment can still be checked with one curl.
 */
export function statusResponse(request: Request, ctx: RequestContext): Response {
  return prefersHtml(request.headers.get('accept'))
    ? statusPageResponse(request, ctx)
    : statusJsonResponse(request, ctx);
}

function statusJsonResponse(request: Request, ctx: RequestContext): Response {
  const origin = new URL(request.url).origin;
  const body = {
    name: NAME,
    version: VERSION,
    status: 'ok',
    openaiBaseUrl: `${origin}/v1`,
    geminiBaseUrl: origin,
    anthropicBaseUrl: origin,
    routes: [
      'POST /v1/chat/completions',
      'POST /v1/responses',
      'GET /v1/models',
      'GET /v1/models/{id}',
      'POST /v1/embeddings',
      'POST /v1/images/generations',
      'POST /v1/images/edits',
      'POST /v1/messages (Anthropic)',
      'POST /v1/messages/count_tokens (Anthropic)',
      '* /v1beta/{path} (Gemini API)',
      'POST /v1/models/{model}:{method} (Gemini API, stable)',
      'POST /verify',
      'GET /stats',
    ],
    keyRotationWindowMs: ctx.config.keyRotationWindowMs,
    // Whether /stats counts every instance (Redis) or only the one that answers.
    sharedKeyState: ctx.config.sharedState !== null,
  };
  return new Response(request.method === 'HEAD' ? null : JSON.stringify(body, null, 2), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', vary: 'accept' },
  });
}
