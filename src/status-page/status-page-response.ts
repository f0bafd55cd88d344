import type { RequestContext } from '../context';
import { FALLBACK_MODEL, listModelAliases, resolveModel } from '../gemini/resolve-model';
import { NAME, VERSION } from '../version';
import { chooseLanguage } from './choose-language';
import { type ModelRow, renderStatusPage } from './render-status-page';

/**
 * `GET /` for a browser: the status page. It tells how many server keys there are, never which, and
 * nothing about the access tokens. The CSP lets only this response's own style and script run and lets the
 * script talk only to this origin (`/verify`).
 */
export function statusPageResponse(request: Request, ctx: RequestContext): Response {
  const url = new URL(request.url);
  const overrides = ctx.config.modelMap;
  const models: ModelRow[] = listModelAliases(overrides).map((alias) => ({
    alias,
    model: resolveModel(alias, overrides),
    overridden: overrides.has(alias),
  }));
  const nonce = ctx.deps.newId();
  const html = renderStatusPage({
    language: chooseLanguage(url.searchParams.get('lang'), request.headers.get('accept-language')),
    name: NAME,
    version: VERSION,
    origin: url.origin,
    models,
    fallbackModel: FALLBACK_MODEL,
    serverKeyCount: ctx.config.serverKeys.length,
    allowClientKeys: ctx.config.allowClientKeys,
    sharedState: ctx.config.sharedState !== null,
    nonce,
  });
  return new Response(request.method === 'HEAD' ? null : html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "connect-src 'self'",
        'img-src data:',
        "base-uri 'none'",
        // The checker never submits the form itself: if the script did not run, keys must not end up in a URL.
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      vary: 'accept, accept-language',
    },
  });
}
