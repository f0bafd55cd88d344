import { describe, expect, it } from 'vitest';
import { gatewayWithStub, geminiError, jsonReply } from '../support/stub-upstream';

const reply = () =>
  jsonReply({
    candidates: [{ content: { role: 'model', parts: [{ text: 'hi' }] }, finishReason: 'STOP' }],
    usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1 },
  });
const chat = (key: string, model = 'gemini-3.8-flash') =>
  new Request('https://gw.test/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
const perDay = (model: string) =>
  geminiError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', quotaDimensions: { model } }],
    },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36s' },
  ]);

// 2026-12-01 14:26 UTC: the next midnight in Los Angeles is 08:00 UTC tomorrow, 63 240 s (17 h 34 min) away.
const NOW = Date.parse('2026-12-01T14:26:00Z');

describe('the gateway’s key state (issue 16)', () => {
  it('answers 429 at once, with retry-after until midnight Pacific time, once the only key’s day is used up', async () => {
    const { handler, calls } = gatewayWithStub({
      replies: [perDay('gemini-3.8-flash')],
      fallback: reply,
      now: () => NOW,
    });
    const first = await handler(chat('only-key'));
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('63240');
    const second = await handler(chat('only-key'));
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('63240');
    expect(await second.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } });
    expect(calls).toHaveLength(1);
    // Another model: the key is asked as usual.
    expect((await handler(chat('only-key', 'gemini-3.6-flash'))).status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it.each([
    [{ UPSTASH_REDIS_REST_URL: 'https://x.upstash.io' }, 'UPSTASH_REDIS_REST_TOKEN is not set'],
    [{ KV_REST_API_URL: 'not a url', KV_REST_API_TOKEN: 'secret-kv-token' }, 'KV_REST_API_URL is not a URL'],
  ])('goes on from memory with one warning when shared state is set but broken (%o)', async (env, problem) => {
    const { handler, logs } = gatewayWithStub({ env, fallback: reply });
    for (let i = 0; i < 3; i++) expect((await handler(chat('some-key'))).status).toBe(200);
    const warnings = logs.filter((line) => line.includes('shared key state not configured'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(problem);
    expect(logs.join('\n')).not.toContain('secret-kv-token');
  });
});
