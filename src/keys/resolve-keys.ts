import type { Config } from '../config';
import { GatewayError } from '../errors';

export type KeySource = 'client' | 'server' | 'none';

export interface ResolvedKeys {
  keys: readonly string[];
  source: KeySource;
}

/**
 * What a client's own key may hold: RFC 6750's b64token, the syntax of a Bearer credential
 * (https://www.rfc-editor.org/rfc/rfc6750#section-2.1). Every Gemini key (`AIza` + letters, digits, `-`, `_`)
 * is one; anything else cannot be a key, and could not even be sent as a header value (NUL, newline,
 * characters past U+00FF from `?key=`), so it is refused here rather than failing the upstream call as a 502.
 */
const CLIENT_KEY = /^[A-Za-z0-9._~+/-]+=*$/;

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
    throw new GatewayError(
      401,
      'Invalid access token. This gateway serves its own keys to holders of an access token only.',
      {
        code: 'invalid_access_token',
      },
    );
  }
  credentials.forEach((credential, index) => {
    if (!CLIENT_KEY.test(credential)) {
      const which = credentials.length > 1 ? `Credential ${index + 1} of ${credentials.length}` : 'The credential';
      throw new GatewayError(
        401,
        `${which} is neither an access token nor a Gemini API key: it holds ${describeOddCharacter(credential)}, and keys hold only letters, digits and - . _ ~ + / =. Nothing was sent upstream.`,
        { code: 'invalid_api_key' },
      );
    }
  });
  return { keys: credentials, source: 'client' };
}

/** Names the first character a key may not hold, without quoting the key. */
function describeOddCharacter(credential: string): string {
  const odd = [...credential].find((character) => !CLIENT_KEY.test(character)) ?? '=';
  const code = odd.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return 'a control character';
  if (code === 0x20) return 'a space';
  // A header carries bytes; a non-ASCII credential arrives as what its bytes mean in Latin-1, never as sent.
  if (code > 0x7e) return 'a non-ASCII character';
  return odd === '=' ? 'a "=" before its end' : `the character "${odd}"`;
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
