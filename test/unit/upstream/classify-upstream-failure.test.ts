import { describe, expect, it } from 'vitest';
import { classifyUpstreamFailure, parseRetryDelay } from '../../../src/upstream/classify-upstream-failure';

const googleError = (code: number, status: string, message: string, details: unknown[] = []) =>
  JSON.stringify({ error: { code, message, status, details } });

const INVALID_KEY = googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
  { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
]);
const QUOTA = googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
  { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [] },
  { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '34.4s' },
]);

describe('classifyUpstreamFailure', () => {
  it.each([
    [429, QUOTA, { kind: 'rate-limited', retryDelayMs: 34_400, window: null, model: null }],
    [429, 'Too many requests', { kind: 'rate-limited', retryDelayMs: null, window: null, model: null }],
    [400, INVALID_KEY, { kind: 'rejected' }],
    [401, googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'), { kind: 'rejected' }],
    [403, googleError(403, 'PERMISSION_DENIED', 'Your API key was reported as leaked.'), { kind: 'rejected' }],
    [500, googleError(500, 'INTERNAL', 'An internal error has occurred.'), { kind: 'transient' }],
    [502, '<html>Bad Gateway</html>', { kind: 'transient' }],
    [503, googleError(503, 'UNAVAILABLE', 'The model is overloaded.'), { kind: 'transient' }],
    [504, googleError(504, 'DEADLINE_EXCEEDED', 'Deadline exceeded.'), { kind: 'transient' }],
  ])('status %i fails over', (status, body, failure) => {
    expect(classifyUpstreamFailure(status, body)).toEqual({ failover: true, failure });
  });

  it.each([
    [
      400,
      googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unknown name "foo": Cannot find field.'),
    ],
    [400, googleError(400, 'INVALID_ARGUMENT', 'Please use a valid role: user, model.')],
    [404, googleError(404, 'NOT_FOUND', 'models/nope is not found for API version v1beta.')],
    // Every key of a deployment shares its location: another key would get the same answer.
    [400, googleError(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.')],
    [405, ''],
    [409, ''],
    [413, ''],
    [422, ''],
    [501, ''],
  ])('status %i is the client’s own and is answered at once', (status, body) => {
    expect(classifyUpstreamFailure(status, body)).toEqual({ failover: false });
  });
});

describe('parseRetryDelay', () => {
  it.each([
    [QUOTA, 34_400],
    [
      googleError(429, 'RESOURCE_EXHAUSTED', 'q', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' },
      ]),
      7_000,
    ],
    [
      googleError(429, 'RESOURCE_EXHAUSTED', 'q', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: 'soon' },
      ]),
      null,
    ],
    [googleError(429, 'RESOURCE_EXHAUSTED', 'q'), null],
    ['not json', null],
    ['null', null],
  ])('%s → %s', (body, expected) => {
    expect(parseRetryDelay(body)).toBe(expected);
  });
});
