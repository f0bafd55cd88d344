import OpenAI, { type ClientOptions } from 'openai';
import type { RecordedRequest } from '../../fake-gemini';

/** The official client pointed at a gateway's `/v1`, without retries unless a test asks for them. */
export function openaiClient(gatewayUrl: string, apiKey: string, options: ClientOptions = {}): OpenAI {
  return new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey, maxRetries: 0, ...options });
}

/** What the client sent the gateway: a fetch that records each request's JSON body before sending it. */
export function recordingFetch(): { fetch: typeof fetch; bodies: unknown[] } {
  const bodies: unknown[] = [];
  const recording: typeof fetch = async (input, init) => {
    if (typeof init?.body === 'string') bodies.push(JSON.parse(init.body));
    return fetch(input, init);
  };
  return { fetch: recording, bodies };
}

/** A Gemini generateContent body as the fake recorded it (only what these tests read). */
export interface UpstreamGenerateBody {
  contents: { role?: string; parts: Record<string, unknown>[] }[];
  systemInstruction?: { role?: string; parts: { text: string }[] };
  generationConfig?: Record<string, unknown>;
  tools?: Record<string, unknown>[];
  toolConfig?: { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } };
  safetySettings?: { category: string; threshold: string }[];
  cachedContent?: string;
  [field: string]: unknown;
}

/** The recorded generateContent / streamGenerateContent calls, in order. */
export function generateCalls(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter((request) => /:(generateContent|streamGenerateContent)$/.test(request.path));
}

/** The body of the only generate call; fails when there was not exactly one. */
export function onlyGenerateBody(requests: readonly RecordedRequest[]): UpstreamGenerateBody {
  const calls = generateCalls(requests);
  if (calls.length !== 1) throw new Error(`expected exactly one upstream generate call, got ${calls.length}`);
  return calls[0]?.body as UpstreamGenerateBody;
}

/** Adds fields the SDK's types do not know (Gemini's `top_k`, Google's `google` block) to typed params. */
export function withExtra<T extends object>(params: T, extra: Record<string, unknown>): T {
  return { ...params, ...extra };
}
