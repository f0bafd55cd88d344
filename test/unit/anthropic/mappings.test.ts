import { describe, expect, it } from 'vitest';
import { mapStopReason } from '../../../src/anthropic/map-stop-reason';
import { resolveClaudeModel } from '../../../src/anthropic/resolve-claude-model';
import { anthropicErrorBody, toAnthropicError } from '../../../src/anthropic/to-anthropic-error';
import { toGeminiThinking } from '../../../src/anthropic/to-gemini-thinking';
import { GatewayError } from '../../../src/errors';

describe('resolveClaudeModel', () => {
  const overrides = new Map([
    ['claude-opus-4-8', 'gemini-3.1-pro-preview'],
    ['fast', 'gemini-flash-lite-latest'],
  ]);
  it.each([
    ['claude-opus-5-5', 'gemini-pro-latest'],
    ['claude-opus-4-8', 'gemini-3.1-pro-preview'],
    ['claude-sonnet-4-6', 'gemini-flash-latest'],
    ['claude-3-5-sonnet-20241022', 'gemini-flash-latest'],
    ['claude-haiku-4-5-20251001', 'gemini-flash-lite-latest'],
    ['claude-fable-5-2', 'gemini-flash-latest'],
    ['fast', 'gemini-flash-lite-latest'],
    ['gemini-3-flash-preview', 'gemini-3-flash-preview'],
    ['models/gemini-pro-latest', 'gemini-pro-latest'],
  ])('%s → %s', (requested, model) => {
    expect(resolveClaudeModel(requested, overrides)).toBe(model);
  });

  it('answers a name that is neither Claude’s nor Gemini’s as Anthropic does: 404 "model: …"', () => {
    expect(() => resolveClaudeModel('gpt-4o', new Map())).toThrow(
      expect.objectContaining({ status: 404, message: 'model: gpt-4o' }),
    );
    expect(() => resolveClaudeModel('gemini-../x', new Map())).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('mapStopReason', () => {
  it.each([
    ['STOP', false, 'end_turn'],
    ['STOP', true, 'tool_use'],
    ['MAX_TOKENS', true, 'max_tokens'],
    ['SAFETY', false, 'refusal'],
    ['PROHIBITED_CONTENT', false, 'refusal'],
    ['RECITATION', false, 'refusal'],
    ['MALFORMED_FUNCTION_CALL', false, 'end_turn'],
    ['SOMETHING_NEW', false, 'end_turn'],
    ['IMAGE_PROHIBITED_CONTENT', false, 'refusal'],
    ['UNEXPECTED_TOOL_CALL', false, 'end_turn'],
    ['constructor', false, 'end_turn'],
    [undefined, false, 'end_turn'],
  ])('%s (tool use: %s) → %s', (finishReason, hasToolUse, stopReason) => {
    expect(mapStopReason(finishReason, hasToolUse)).toBe(stopReason);
  });
});

describe('toGeminiThinking', () => {
  it.each([
    ['gemini-flash-latest', undefined, undefined, undefined],
    ['gemini-flash-latest', undefined, 'max', { thinkingLevel: 'high' }],
    ['gemini-flash-latest', { type: 'adaptive' }, undefined, { includeThoughts: true }],
    ['gemini-flash-latest', { type: 'adaptive', display: 'omitted' }, undefined, undefined],
    ['gemini-flash-latest', { type: 'adaptive', display: 'omitted' }, 'xhigh', { thinkingLevel: 'high' }],
    ['gemini-flash-latest', { type: 'between_tools' }, undefined, { includeThoughts: true }],
    [
      'gemini-flash-latest',
      { type: 'enabled', budget_tokens: 1024 },
      undefined,
      { thinkingLevel: 'low', includeThoughts: true },
    ],
    [
      'gemini-flash-latest',
      { type: 'enabled', budget_tokens: 1024 },
      'high',
      { thinkingLevel: 'high', includeThoughts: true },
    ],
    [
      'gemini-2.5-flash',
      { type: 'enabled', budget_tokens: 3000 },
      undefined,
      { thinkingBudget: 3000, includeThoughts: true },
    ],
    ['gemini-2.5-flash', { type: 'disabled' }, undefined, { thinkingBudget: 0 }],
    ['gemini-2.0-flash', { type: 'adaptive' }, 'high', undefined],
  ] as const)('%s, thinking %j, effort %s → %j', (model, thinking, effort, expected) => {
    expect(toGeminiThinking(model, thinking, effort)).toEqual(expected);
  });
});

describe('toAnthropicError', () => {
  it.each([
    [new GatewayError(400, 'bad'), 400, 'invalid_request_error'],
    [new GatewayError(400, 'API key not valid.', { code: 'invalid_api_key' }), 401, 'authentication_error'],
    [new GatewayError(401, 'No key', { code: 'missing_api_key' }), 401, 'authentication_error'],
    [new GatewayError(403, 'denied'), 403, 'permission_error'],
    [new GatewayError(404, 'model: x'), 404, 'not_found_error'],
    [new GatewayError(405, 'use POST'), 405, 'invalid_request_error'],
    [new GatewayError(413, 'too big'), 413, 'request_too_large'],
    [new GatewayError(429, 'quota'), 429, 'rate_limit_error'],
    [new GatewayError(500, 'oops'), 500, 'api_error'],
    [new GatewayError(502, 'broken'), 502, 'api_error'],
    [new GatewayError(503, 'overloaded'), 529, 'overloaded_error'],
    [new GatewayError(504, 'slow'), 504, 'timeout_error'],
  ])('%s → %i %s', async (error, status, type) => {
    const response = toAnthropicError(error);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ type: 'error', error: { type, message: error.message } });
    expect(anthropicErrorBody(error).error.type).toBe(type);
  });

  it('turns Gemini’s RetryInfo into retry-after seconds, rounded up', () => {
    const body = JSON.stringify({
      error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '34.2s' }] },
    });
    const error = new GatewayError(429, 'quota', { upstream: { status: 429, body, contentType: 'application/json' } });
    expect(toAnthropicError(error).headers.get('retry-after')).toBe('35');
    expect(toAnthropicError(new GatewayError(429, 'quota')).headers.get('retry-after')).toBeNull();
  });
});
