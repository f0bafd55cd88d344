import * as z from 'zod/mini';

/**
 * Configuration from environment variables. Every variable is optional; an invalid value is an error that
 * names the variable. Parsed once per instance (the handler's module scope), never per request.
 */

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Config {
  /** Upstream origin, no trailing slash. */
  geminiBaseUrl: string;
  keyRotationWindowMs: number;
  logLevel: LogLevel;
  /** Per-attempt timeout (non-streaming calls) until the upstream's whole answer, headers and body, is in. */
  upstreamTimeoutMs: number;
  /** Deadline for one request's whole failover (all attempts), so it never outlives the platform's limit. */
  requestDeadlineMs: number;
  /** For streams: how long an attempt may wait for the upstream to start, and the longest gap between chunks. */
  streamIdleTimeoutMs: number;
  /** For streams: after this long without an upstream answer, start the response and send keep-alive comments. */
  heartbeatMs: number;
  maxBodyBytes: number;
  /** OpenAI model name → Gemini model, overriding or extending the built-in table. */
  modelMap: ReadonlyMap<string, string>;
  fetchMediaUrls: boolean;
  mediaMaxBytes: number;
  mediaTimeoutMs: number;
  /** Keys held by the deployment, served to callers that present an access token. */
  serverKeys: readonly string[];
  /** Passwords that unlock `serverKeys`. */
  accessTokens: readonly string[];
  /** Whether callers may bring their own Gemini keys. */
  allowClientKeys: boolean;
  /** Redis over Upstash's REST API for key-pool state shared by every instance; null: each instance's memory. */
  sharedState: SharedStateConfig | null;
  /** Why shared state variables were set but not used (logged once, never fatal: memory works without them). */
  sharedStateProblem: string | null;
}

export interface SharedStateConfig {
  url: string;
  token: string;
  /** The longest a request waits for its one read of shared state before going on from memory. */
  timeoutMs: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

const positiveInt = (max: number) =>
  z.pipe(
    z.string().check(z.trim(), z.regex(/^\d+$/, { error: 'must be a whole number' })),
    z.pipe(
      z.transform((value: string) => Number(value)),
      z
        .number()
        .check(z.minimum(1, { error: 'must be at least 1' }), z.maximum(max, { error: `must be at most ${max}` })),
    ),
  );

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const booleanString = z.pipe(
  z.string().check(z.trim(), z.toLowerCase()),
  z.pipe(
    z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' }),
    z.transform((value: 'true' | 'false' | '1' | '0' | 'yes' | 'no' | 'on' | 'off') => TRUE_WORDS.includes(value)),
  ),
);

const logLevel = z.pipe(
  z.string().check(z.trim(), z.toLowerCase()),
  z.enum(['error', 'warn', 'info', 'debug'], { error: 'must be one of error, warn, info, debug' }),
);

const originString = z.pipe(
  z.string().check(z.trim()),
  z.transform((value: string, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.issues.push({
        code: 'custom',
        message: 'must be an absolute URL such as https://generativelanguage.googleapis.com',
        input: value,
      });
      return '';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.issues.push({
        code: 'custom',
        message: 'must use https:// (or http:// for a local test server)',
        input: value,
      });
      return '';
    }
    if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
      ctx.issues.push({
        code: 'custom',
        message: 'must be an origin only (scheme, host and port), without path, query or credentials',
        input: value,
      });
      return '';
    }
    return url.origin;
  }),
);

const modelMapString = z.pipe(
  z.string(),
  z.transform((value: string, ctx) => {
    const map = new Map<string, string>();
    for (const entry of value.split(',')) {
      const trimmed = entry.trim();
      if (!trimmed) continue;
      const [from, to, ...rest] = trimmed.split('=').map((part) => part.trim());
      if (!from || !to || rest.length > 0 || !/^(models\/)?[a-zA-Z0-9][\w.-]*$/.test(to)) {
        ctx.issues.push({
          code: 'custom',
          message: `entry "${trimmed}" must look like alias=gemini-model`,
          input: value,
        });
        continue;
      }
      map.set(from, to.replace(/^models\//, ''));
    }
    return map as ReadonlyMap<string, string>;
  }),
);

const commaList = z.pipe(
  z.string(),
  z.transform((value: string) => [
    ...new Set(
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    ),
  ]),
);

/**
 * Access tokens and server keys travel in request headers, which carry bytes: the openai SDK and browsers
 * refuse to send anything but Latin-1 there, and curl sends UTF-8 bytes that arrive as Latin-1 mojibake, so a
 * token outside printable ASCII could never match. Spaces are refused too: they are trimmed at both ends of
 * a credential, and inside one they are a mistake.
 */
const credentialList = z.pipe(
  commaList,
  z.transform((values: string[], ctx) => {
    values.forEach((value, index) => {
      if (!/^[\x21-\x7e]+$/.test(value)) {
        const which = values.length > 1 ? `entry ${index + 1} of ${values.length}` : 'the value';
        const message = `${which} holds a space or a character outside printable ASCII, which clients cannot send in a header; use letters, digits and ASCII punctuation`;
        ctx.issues.push({ code: 'custom', message, input: '' });
      }
    });
    return values;
  }),
);

const MIB = 1024 * 1024;

const envSchema = z.object({
  GEMINI_BASE_URL: z._default(originString, 'https://generativelanguage.googleapis.com'),
  KEY_ROTATION_WINDOW_MS: z._default(positiveInt(86_400_000), 10_000),
  LOG_LEVEL: z._default(logLevel, 'info'),
  UPSTREAM_TIMEOUT_MS: z._default(positiveInt(600_000), 20_000),
  REQUEST_DEADLINE_MS: z._default(positiveInt(3_600_000), 24_000),
  STREAM_IDLE_TIMEOUT_MS: z._default(positiveInt(3_600_000), 90_000),
  HEARTBEAT_MS: z._default(positiveInt(600_000), 5_000),
  // Vercel refuses request bodies over 4.5 MB before the function runs; the same limit applies locally.
  MAX_BODY_BYTES: z._default(positiveInt(100 * MIB), 4_500_000),
  MODEL_MAP: z._default(modelMapString, new Map<string, string>() as ReadonlyMap<string, string>),
  FETCH_MEDIA_URLS: z._default(booleanString, true),
  MEDIA_MAX_BYTES: z._default(positiveInt(100 * MIB), 20 * MIB),
  MEDIA_TIMEOUT_MS: z._default(positiveInt(120_000), 10_000),
  GEMINI_API_KEYS: z._default(credentialList, [] as string[]),
  ACCESS_TOKENS: z._default(credentialList, [] as string[]),
  ALLOW_CLIENT_KEYS: z._default(booleanString, true),
  SHARED_STATE_TIMEOUT_MS: z._default(positiveInt(10_000), 250),
});

/** The original project's names, accepted so its users keep their Vercel settings. */
const ALIASES: Readonly<Record<string, string>> = {
  BACKUP_API_KEYS: 'GEMINI_API_KEYS',
  TRUSTED_API_KEYS: 'ACCESS_TOKENS',
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration; throws ConfigError naming every invalid variable. Empty strings count as unset. */
export function loadConfig(env: Env): Config {
  const isSet = (name: string) => (env[name] ?? '').trim() !== '';
  const present: Record<string, string> = {};
  for (const name of Object.keys(envSchema.shape)) if (isSet(name)) present[name] = env[name] as string;
  const readFrom = new Map<string, string>();
  for (const [alias, name] of Object.entries(ALIASES)) {
    if (!isSet(name) && isSet(alias)) {
      present[name] = env[alias] as string;
      readFrom.set(name, alias);
    }
  }

  const parsed = z.safeParse(envSchema, present);
  if (!parsed.success) {
    // Named as the deployer wrote it: an old name they set, not the new one they did not.
    const problems = parsed.error.issues.map(
      (issue) => `${readFrom.get(String(issue.path[0])) ?? String(issue.path[0])}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration — ${problems.join('; ')}`);
  }
  const value = parsed.data;
  if (value.GEMINI_API_KEYS.length > 0 && value.ACCESS_TOKENS.length === 0) {
    // Server keys without a password would make the gateway an open relay for anyone who finds its URL.
    throw new ConfigError(
      'Invalid configuration — ACCESS_TOKENS: must be set when GEMINI_API_KEYS (or BACKUP_API_KEYS) holds keys, or anyone could spend them',
    );
  }
  if (!value.ALLOW_CLIENT_KEYS && value.GEMINI_API_KEYS.length === 0) {
    throw new ConfigError(
      'Invalid configuration — ALLOW_CLIENT_KEYS: false leaves no keys to use unless GEMINI_API_KEYS is set',
    );
  }
  return {
    geminiBaseUrl: value.GEMINI_BASE_URL,
    keyRotationWindowMs: value.KEY_ROTATION_WINDOW_MS,
    logLevel: value.LOG_LEVEL,
    upstreamTimeoutMs: value.UPSTREAM_TIMEOUT_MS,
    requestDeadlineMs: value.REQUEST_DEADLINE_MS,
    streamIdleTimeoutMs: value.STREAM_IDLE_TIMEOUT_MS,
    heartbeatMs: value.HEARTBEAT_MS,
    maxBodyBytes: value.MAX_BODY_BYTES,
    modelMap: value.MODEL_MAP,
    fetchMediaUrls: value.FETCH_MEDIA_URLS,
    mediaMaxBytes: value.MEDIA_MAX_BYTES,
    mediaTimeoutMs: value.MEDIA_TIMEOUT_MS,
    serverKeys: value.GEMINI_API_KEYS,
    accessTokens: value.ACCESS_TOKENS,
    allowClientKeys: value.ALLOW_CLIENT_KEYS,
    ...readSharedState(env, value.SHARED_STATE_TIMEOUT_MS),
  };
}

/**
 * UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN, or the names Vercel's Upstash integration sets,
 * KV_REST_API_URL + KV_REST_API_TOKEN. Unlike every other variable, a broken pair is not a configuration
 * error: the gateway works without shared state, so it says why once and goes on from memory.
 */
function readSharedState(env: Env, timeoutMs: number): Pick<Config, 'sharedState' | 'sharedStateProblem'> {
  const read = (name: string) => (env[name] ?? '').trim();
  const pairs = [
    ['UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN'],
    ['KV_REST_API_URL', 'KV_REST_API_TOKEN'],
  ] as const;
  const pair = pairs.find(([url, token]) => read(url) || read(token));
  if (!pair) return { sharedState: null, sharedStateProblem: null };
  const [urlName, tokenName] = pair;
  const url = read(urlName);
  const token = read(tokenName);
  if (!url || !token)
    return {
      sharedState: null,
      sharedStateProblem: `${url ? tokenName : urlName} is not set, so ${url ? urlName : tokenName} is not used`,
    };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { sharedState: null, sharedStateProblem: `${urlName} is not a URL` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return { sharedState: null, sharedStateProblem: `${urlName} must start with https://` };
  return { sharedState: { url: url.replace(/\/+$/, ''), token, timeoutMs }, sharedStateProblem: null };
}
