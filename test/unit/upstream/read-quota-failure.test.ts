import { describe, expect, it } from 'vitest';
import { readQuotaFailure } from '../../../src/upstream/read-quota-failure';
import dayMinuteTokens from './fixtures/quota-day-minute-tokens.json';
import noDetails from './fixtures/quota-no-details.json';
import perDay from './fixtures/quota-per-day.json';
import dayWithoutDimensions from './fixtures/quota-per-day-dimensions-missing.json';
import perMinute from './fixtures/quota-per-minute.json';
import tokensPerMinute from './fixtures/quota-tokens-per-minute.json';

// Bodies as Google's free tier sends them (fixtures/*.json, from public issue trackers, 2025–2026).
describe('readQuotaFailure', () => {
  it.each([
    [
      'requests per minute',
      perMinute,
      'gemini-3.8-flash',
      { window: 'minute', model: 'gemini-3.8-flash', retryDelayMs: 34_000 },
    ],
    // Per-day 429s carry a RetryInfo of seconds too: the quota id, not the delay, says the day is used up.
    [
      'requests per day',
      perDay,
      'gemini-3.6-flash',
      { window: 'day', model: 'gemini-3.6-flash', retryDelayMs: 36_000 },
    ],
    [
      'input tokens per minute',
      tokensPerMinute,
      'gemini-3.1-pro',
      { window: 'minute', model: 'gemini-3.1-pro', retryDelayMs: 45_000 },
    ],
    // Per-minute, per-day and token quotas at once ("limit: 0": the model is not on the free tier): the day wins.
    [
      'day, minute and tokens at once',
      dayMinuteTokens,
      'gemini-3.1-pro-preview',
      { window: 'day', model: 'gemini-3.1-pro-preview', retryDelayMs: 47_000 },
    ],
    ['no details at all', noDetails, 'gemini-3.8-flash', { window: null, model: null, retryDelayMs: null }],
  ])('%s', (_case, body, model, expected) => {
    expect(readQuotaFailure(JSON.stringify(body), model)).toEqual(expected);
  });

  it('takes the request’s model for a per-model quota whose dimensions are missing', () => {
    expect(readQuotaFailure(JSON.stringify(dayWithoutDimensions), 'gemini-3.6-flash')).toEqual({
      window: 'day',
      model: 'gemini-3.6-flash',
      retryDelayMs: 36_000,
    });
    expect(readQuotaFailure(JSON.stringify(dayWithoutDimensions), null)).toEqual({
      window: 'day',
      model: null,
      retryDelayMs: 36_000,
    });
  });

  it('reads a project-wide quota as the whole key’s', () => {
    const body = {
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'Quota exceeded.',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [{ quotaId: 'GenerateRequestsPerDayPerProject-FreeTier' }],
          },
        ],
      },
    };
    expect(readQuotaFailure(JSON.stringify(body), 'gemini-3.8-flash')).toEqual({
      window: 'day',
      model: null,
      retryDelayMs: null,
    });
  });

  it.each([
    'not json',
    'null',
    '[]',
    '{"error": "quota"}',
    '{"error": {"details": "x"}}',
    '{"error": {"details": [null, 3, {"@type": 5}]}}',
  ])('reads nothing from %s', (body) => {
    expect(readQuotaFailure(body, 'gemini-3.8-flash')).toEqual({ window: null, model: null, retryDelayMs: null });
  });
});
