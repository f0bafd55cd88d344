import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config';
import type { Deps, RequestContext } from '../../../src/context';
import { GatewayError } from '../../../src/errors';
import { parseWithSchema } from '../../../src/http/parse-with-schema';
import { KeyPool } from '../../../src/keys/key-pool';
import { createLogger } from '../../../src/log';
import type { CompletionMeta } from '../../../src/openai/openai-types';

/** A fixture file's text: `*.json` Gemini responses and `*.chunks.txt` raw SSE bodies as Gemini sends them. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/** Meta with predictable tool call ids: call_t1, call_t2 … */
export function testMeta(overrides: Partial<CompletionMeta> = {}): CompletionMeta {
  let calls = 0;
  return {
    id: 'chatcmpl-test',
    created: 1_700_000_000,
    model: 'gpt-4o',
    newToolCallId: () => `t${++calls}`,
    logprobs: false,
    ...overrides,
  };
}

/** A real RequestContext with injected fetch, clock and ids, for modules that take one. */
export function testContext(
  options: { fetch?: Deps['fetch']; env?: Record<string, string>; signal?: AbortSignal } = {},
) {
  const logs: string[] = [];
  let ids = 0;
  const deps: Deps = {
    fetch: options.fetch ?? (async () => new Response('unexpected fetch', { status: 599 })),
    now: () => 1_700_000_000_000,
    newId: () => `id${++ids}`,
    logSink: (line) => logs.push(line),
  };
  const ctx: RequestContext = {
    requestId: 'req-test',
    config: loadConfig({ GEMINI_BASE_URL: 'https://upstream.test', ...options.env }),
    deps,
    pool: new KeyPool({ windowMs: 10_000, now: deps.now }),
    log: createLogger({ level: 'debug', sink: deps.logSink, now: deps.now }),
    keys: ['test-key'],
    signal: options.signal ?? new AbortController().signal,
    startedAt: deps.now(),
    stats: { route: 'test', attempts: 0, upstreamStatus: null, keyFingerprint: null, keySource: 'client' },
  };
  return { ctx, logs };
}

/** A stream that delivers `text` in pieces of `size` bytes, as a network might. */
export function byteStream(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

export async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

/** The `data:` payloads of an OpenAI SSE body, JSON-parsed except `[DONE]`. */
export function sseEvents(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => {
      if (!event.startsWith('data: ')) throw new Error(`not a data event: ${event}`);
      const data = event.slice('data: '.length);
      return data === '[DONE]' ? '[DONE]' : JSON.parse(data);
    });
}

/** The 400 that validating `body` against `schema` raises; fails the test if it validates. */
export function validationFailure(schema: Parameters<typeof parseWithSchema>[0], body: unknown): GatewayError {
  try {
    parseWithSchema(schema, body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}
