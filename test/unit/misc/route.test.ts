import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../../src/route';

describe('matchRoute: the Anthropic surface', () => {
  it.each([
    ['POST', '/v1/messages', false, { kind: 'anthropic-messages' }],
    ['POST', '/v1/messages/', false, { kind: 'anthropic-messages' }],
    ['POST', '/v1/messages/count_tokens', false, { kind: 'anthropic-count-tokens' }],
    ['GET', '/v1/models', true, { kind: 'anthropic-models', id: undefined }],
    ['GET', '/v1/models/claude-opus-4-8', true, { kind: 'anthropic-models', id: 'claude-opus-4-8' }],
    ['GET', '/v1/models', false, { kind: 'openai-models', id: undefined }],
    ['POST', '/v1/messages/batches', false, { kind: 'not-found', surface: 'anthropic' }],
  ])('%s %s (anthropic-version: %s) → %o', (method, path, anthropic, route) => {
    expect(matchRoute(method, path, false, anthropic)).toEqual(route);
  });
});
