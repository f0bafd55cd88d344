/**
 * Which surface a request belongs to. Gemini's stable `/v1/models/{model}:{method}` paths share the `/v1`
 * prefix with the OpenAI routes; the `:method` in the last segment tells them apart.
 */
export type Route =
  | { kind: 'preflight' }
  | { kind: 'status' }
  | { kind: 'stats' }
  | { kind: 'native' }
  | { kind: 'openai-chat' }
  | { kind: 'openai-models'; id: string | undefined }
  | { kind: 'openai-embeddings' }
  | { kind: 'openai-image-generations' }
  | { kind: 'openai-image-edits' }
  | { kind: 'openai-responses'; id: string | undefined }
  | { kind: 'anthropic-messages' }
  | { kind: 'anthropic-count-tokens' }
  | { kind: 'anthropic-models'; id: string | undefined }
  | { kind: 'verify' }
  | { kind: 'not-found'; surface: 'openai' | 'gemini' | 'anthropic' };

export function matchRoute(
  method: string,
  pathname: string,
  fromGoogleClient = false,
  fromAnthropicClient = false,
): Route {
  if (method === 'OPTIONS') return { kind: 'preflight' };
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path === '/' || path === '')
    return method === 'GET' || method === 'HEAD' ? { kind: 'status' } : { kind: 'not-found', surface: 'openai' };
  if (path === '/verify') return { kind: 'verify' };
  if (path === '/stats') return { kind: 'stats' };
  if (path.startsWith('/v1beta/') || path.startsWith('/v1alpha/') || path.startsWith('/upload/'))
    return { kind: 'native' };
  if (path.startsWith('/v1/') && isNativeMethodPath(path)) return { kind: 'native' };

  // Google's SDKs (apiVersion 'v1') list and get models on the same paths as OpenAI's; they identify
  // themselves with x-goog-api-client.
  if (fromGoogleClient && (path === '/v1/models' || path.startsWith('/v1/models/'))) return { kind: 'native' };

  const openaiPath = path.startsWith('/v1/') ? path.slice(3) : path;
  if (openaiPath === '/chat/completions') return { kind: 'openai-chat' };
  if (openaiPath === '/embeddings') return { kind: 'openai-embeddings' };
  if (openaiPath === '/images/generations') return { kind: 'openai-image-generations' };
  if (openaiPath === '/images/edits') return { kind: 'openai-image-edits' };
  if (openaiPath === '/responses') return { kind: 'openai-responses', id: undefined };
  if (openaiPath.startsWith('/responses/'))
    return { kind: 'openai-responses', id: safeDecode(openaiPath.slice('/responses/'.length)) };
  if (openaiPath === '/messages') return { kind: 'anthropic-messages' };
  if (openaiPath === '/messages/count_tokens') return { kind: 'anthropic-count-tokens' };
  // Anthropic's clients list models on the same paths as OpenAI's; they always send `anthropic-version`.
  const models = fromAnthropicClient ? 'anthropic-models' : 'openai-models';
  if (openaiPath === '/models') return { kind: models, id: undefined };
  if (openaiPath.startsWith('/models/')) {
    const id = openaiPath.slice('/models/'.length);
    return { kind: models, id: safeDecode(id) };
  }
  if (openaiPath.startsWith('/messages/')) return { kind: 'not-found', surface: 'anthropic' };
  return { kind: 'not-found', surface: path === '/v1beta' ? 'gemini' : 'openai' };
}

function isNativeMethodPath(path: string): boolean {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.includes(':') || /^\/v1\/(files|cachedContents|tunedModels|batches|operations|corpora)(\/|$)/.test(path);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
