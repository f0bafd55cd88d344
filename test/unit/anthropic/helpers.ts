import { readFileSync } from 'node:fs';
import type { MessageMeta } from '../../../src/anthropic/anthropic-types';

/** Gemini-side fixtures are shared with the OpenAI surface's tests: the same upstream answers, read by both. */
export function geminiFixture(name: string): string {
  return readFileSync(new URL(`../openai/fixtures/${name}`, import.meta.url), 'utf8');
}

/** Claude Code's real requests, as captured in test/agents/fixtures. */
export function claudeCodeRequest(name: 'claude-code-first-request' | 'claude-code-tool-result-request'): {
  headers: Record<string, string>;
  body: unknown;
} {
  return JSON.parse(readFileSync(new URL(`../../agents/fixtures/${name}.json`, import.meta.url), 'utf8')) as {
    headers: Record<string, string>;
    body: unknown;
  };
}

/** Meta with predictable tool_use ids: call_t1, call_t2 … */
export function testMeta(): MessageMeta {
  let ids = 0;
  return { id: 'msg_test', model: 'claude-sonnet-4-6', newId: () => `t${++ids}` };
}
