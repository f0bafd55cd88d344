import type { OpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_MAP } from '../../src/gemini/resolve-model';
import { MODELS } from '../fake-gemini';
import { openaiClient } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * `/v1/models` asks Gemini for pages of 1000, which Google (and the fake by default) never fills, so a
 * gateway that read only the first page would pass every other test. Here the fake answers at most 10
 * models a page, as if the catalogue outgrew Google's cap: the list must still be complete.
 */
const PAGE = 10;
let stack: Stack;
let client: OpenAI;
beforeAll(async () => {
  stack = await startStack({ MODEL_MAP: 'my-alias=gemini-3.1-pro-preview' }, { maxPageSize: PAGE });
  client = openaiClient(stack.url, 'k1');
});
afterAll(() => stack.close());

describe('/v1/models against an upstream that pages', () => {
  it('returns every upstream model from all pages, then the aliases', async () => {
    expect(MODELS.length).toBeGreaterThan(2 * PAGE);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual([...MODELS.map((m) => m.id), ...Object.keys(DEFAULT_MODEL_MAP), 'my-alias']);

    const pages = stack.fake.requests.filter((r) => r.path === '/v1beta/models');
    expect(pages).toHaveLength(Math.ceil(MODELS.length / PAGE));
    expect(pages.map((r) => r.query.has('pageToken'))).toEqual(pages.map((_, i) => i > 0));
  });
});
