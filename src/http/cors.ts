import { FORWARDED_REQUEST_HEADERS } from './forwarded-request-headers';

/**
 * CORS for browser clients (web chat UIs, the status page of another origin). Any origin may call: the
 * gateway holds no cookies or ambient credentials — every request carries its own key.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-request-id, content-type, retry-after',
};

const ALLOWED_HEADERS = [
  ...FORWARDED_REQUEST_HEADERS,
  'authorization',
  'x-goog-api-key',
  'x-api-key',
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
  'x-stainless-*',
  'openai-organization',
  'openai-project',
  'openai-beta',
  'x-request-id',
];

export function preflightResponse(request: Request): Response {
  // Browsers do not accept wildcards like `x-stainless-*`: echo what they ask for when it is on our list.
  const asked = request.headers.get('access-control-request-headers') ?? '';
  const allowed = asked
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(
      (name) =>
        name &&
        ALLOWED_HEADERS.some((rule) => (rule.endsWith('*') ? name.startsWith(rule.slice(0, -1)) : name === rule)),
    );
  const headers = new Headers(CORS_HEADERS);
  headers.set('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  headers.set(
    'access-control-allow-headers',
    [...new Set([...ALLOWED_HEADERS.filter((h) => !h.endsWith('*')), ...allowed])].join(', '),
  );
  headers.set('access-control-max-age', '86400');
  return new Response(null, { status: 204, headers });
}
