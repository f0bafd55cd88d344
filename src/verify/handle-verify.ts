import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { openDeadline } from '../upstream/open-deadline';
import { checkKey, type KeyCheck } from './check-key';

/** Most keys one `/verify` call checks, and how many it checks at once. */
export const VERIFY_MAX_KEYS = 50;
const VERIFY_CONCURRENCY = 5;
const VERIFY_TIMEOUT_MS = 10_000;

const encoder = new TextEncoder();

/**
 * `POST /verify`: checks each of the request's keys (or the server pool, for a token) and answers per key —
 * as one JSON document, or with `Accept: text/event-stream` one event per key as results arrive.
 * Keys appear only masked (first and last 4 characters at most) and as fingerprints.
 */
export async function handleVerify(request: Request, ctx: RequestContext): Promise<Response> {
  if (ctx.keys.length > VERIFY_MAX_KEYS) {
    throw new GatewayError(400, `At most ${VERIFY_MAX_KEYS} keys can be checked in one call; got ${ctx.keys.length}.`, {
      code: 'too_many_keys',
    });
  }
  // One deadline for all the checks (REQUEST_DEADLINE_MS): keys still unchecked when it passes are reported
  // as not answering in time, rather than the call running for its number of keys times the timeout.
  const deadline = openDeadline(ctx);
  const check = async (key: string): Promise<KeyCheck> => {
    const result = await checkKey(key, {
      fetch: ctx.deps.fetch,
      baseUrl: ctx.config.geminiBaseUrl,
      timeoutMs: VERIFY_TIMEOUT_MS,
      signal: deadline.signal,
    });
    // Listing models spends no generation quota, so it cannot see an exhausted generation quota; a 429 this
    // instance saw recently can, for as long as the key cools down.
    const cooling = ctx.pool.cooldownRemaining(key);
    if (result.verdict === 'ok' && cooling > 0) {
      return {
        ...result,
        verdict: 'rate-limited',
        retryDelayMs: cooling,
        message: 'The key works, but hit its rate limit here recently.',
      };
    }
    return result;
  };
  const source = ctx.stats.keySource;

  if ((request.headers.get('accept') ?? '').includes('text/event-stream')) {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const send = (event: string, data: unknown) =>
      writer.write(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
    void (async () => {
      try {
        await send('start', { total: ctx.keys.length, source });
        const results = await mapConcurrently(ctx.keys, VERIFY_CONCURRENCY, async (key, index) => {
          const result = await check(key);
          await send('key', { index, ...result });
          return result;
        });
        await send('done', summarise(results));
        await writer.close();
      } catch {
        await writer.abort().catch(() => {});
      } finally {
        deadline.close();
      }
    })();
    return new Response(readable, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
    });
  }

  const results = await mapConcurrently(ctx.keys, VERIFY_CONCURRENCY, (key) => check(key)).finally(deadline.close);
  return new Response(JSON.stringify({ source, results, summary: summarise(results) }), {
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function summarise(results: readonly KeyCheck[]): Record<string, number> {
  const summary: Record<string, number> = {
    total: results.length,
    ok: 0,
    invalid: 0,
    denied: 0,
    'rate-limited': 0,
    unreachable: 0,
  };
  for (const result of results) summary[result.verdict] = (summary[result.verdict] ?? 0) + 1;
  return summary;
}

/** Runs `task` over `items` with at most `limit` at a time; results keep the items' order. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
