import type { Deps } from '../../../src/context';
import { createGateway, type Handler } from '../../../src/gateway';

export interface StubCall {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

export type StubReply = Response | Error | ((call: StubCall) => Response | Promise<Response>);

/**
 * The gateway in process with a scripted `fetch`: each upstream call takes the next reply (or the fallback),
 * and every call is recorded. For end-to-end behaviour through real HTTP, see test/e2e.
 */
export function gatewayWithStub(
  options: { env?: Record<string, string>; replies?: StubReply[]; fallback?: StubReply; now?: () => number } = {},
) {
  const calls: StubCall[] = [];
  const logs: string[] = [];
  const replies = [...(options.replies ?? [])];
  let counter = 0;
  const fetchStub: Deps['fetch'] = async (input, init) => {
    const request = new Request(input as string, init);
    const call: StubCall = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: await request.text(),
    };
    calls.push(call);
    const reply =
      replies.shift() ?? options.fallback ?? new Response('{}', { headers: { 'content-type': 'application/json' } });
    if (reply instanceof Error) throw reply;
    return typeof reply === 'function' ? reply(call) : reply;
  };
  const handler: Handler = createGateway({
    env: { GEMINI_BASE_URL: 'https://upstream.test', ...options.env },
    deps: {
      fetch: fetchStub,
      now: options.now ?? (() => 1_700_000_000_000),
      newId: () => `id-${++counter}`,
      logSink: (line) => logs.push(line),
    },
  });
  return { handler, calls, logs };
}

export function geminiError(code: number, status: string, message: string, details: unknown[] = []): Response {
  return new Response(JSON.stringify({ error: { code, message, status, details } }), {
    status: code,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
  });
}

export const invalidKey = () =>
  geminiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
  ]);

export const quota = (retryDelay = '34s') =>
  geminiError(
    429,
    'RESOURCE_EXHAUSTED',
    'You exceeded your current quota, please check your plan and billing details.',
    [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }],
  );

export const jsonReply = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=UTF-8' } });
