/**
 * The Gemini API routes the fake serves, under both `/v1beta` and `/v1`. Anything else — including a known
 * path with the wrong HTTP method — is the front end's HTML 404, as on Google.
 */

export type ApiVersion = 'v1beta' | 'v1';

export const CALL_METHODS = [
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'embedContent',
  'batchEmbedContents',
] as const;

export type CallMethod = (typeof CALL_METHODS)[number];

export type Route =
  | { kind: 'listModels'; version: ApiVersion }
  | { kind: 'getModel'; version: ApiVersion; model: string }
  | { kind: 'call'; version: ApiVersion; model: string; method: CallMethod };

export function matchRoute(httpMethod: string, pathname: string): Route | undefined {
  const match = /^\/(v1beta|v1)\/models(?:\/([^/:]+)(?::([A-Za-z]+))?)?$/.exec(pathname);
  if (!match) return undefined;
  const version = match[1] as ApiVersion;
  const model = match[2] === undefined ? undefined : safeDecode(match[2]);
  const method = match[3];
  if (model === undefined) return httpMethod === 'GET' ? { kind: 'listModels', version } : undefined;
  if (method === undefined) return httpMethod === 'GET' ? { kind: 'getModel', version, model } : undefined;
  if (httpMethod !== 'POST' || !(CALL_METHODS as readonly string[]).includes(method)) return undefined;
  return { kind: 'call', version, model, method: method as CallMethod };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The RPC name Google reports in ErrorInfo metadata. */
export function rpcName(route: Route): string {
  const service = route.kind === 'call' ? 'GenerativeService' : 'ModelService';
  const rpc =
    route.kind === 'listModels'
      ? 'ListModels'
      : route.kind === 'getModel'
        ? 'GetModel'
        : route.method[0]?.toUpperCase() + route.method.slice(1);
  return `google.ai.generativelanguage.${route.version}.${service}.${rpc}`;
}

/** Routes that spend model quota: only these answer with the quota and overload behaviours of a key. */
export function usesModelQuota(route: Route): boolean {
  return route.kind === 'call';
}
