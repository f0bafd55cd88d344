import type { Config } from '../config';
import { GatewayError } from '../errors';

export type KeySource = 'client' | 'server' | 'none';

export interface ResolvedKeys {
  keys: readonly string[];
  source: KeySource;
}

/**
 * Which Gemini keys a request may use. A credential equal to an access token unlocks the server's pool
 * (whatever else the credential list holds); otherwise the caller's own keys are used, unless the deployment
 * forbids client keys. Tokens are compared in constant time so their content cannot be guessed by timing.
 */
export function resolveKeys(credentials: readonly string[], config: Config): ResolvedKeys {
  if (credentials.length === 0) return { keys: [], source: 'none' };
  if (config.serverKeys.length > 0 && credentials.some((credential) => matchesAny(credential, config.accessTokens))) {
    return { keys: config.serverKeys, source: 'server' };
  }
  if (!config.allowClientKeys) {
    throw new GatewayError(401, 'Invalid access token. This gateway serves its own keys to holders of an access token only.', {
      code: 'invalid_access_token',
    });
  }
  return { keys: credentials, source: 'client' };
}

/** Constant-time membership: every token is compared in full, whatever matched before. */
function matchesAny(candidate: string, tokens: readonly string[]): boolean {
  let found = false;
  for (const token of tokens) found = constantTimeEqual(candidate, token) || found;
  return found;
}

const encoder = new TextEncoder();

export function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  const length = Math.max(left.length, right.length);
  let difference = left.length ^ right.length;
  for (let i = 0; i < length; i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}
