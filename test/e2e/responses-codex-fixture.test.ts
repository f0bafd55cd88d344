import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onlyGenerateBody, type UpstreamGenerateBody } from './support/openai-client';
import { startStack, type Stack } from './support/stack';

/**
 * Codex CLI 0.171.0's real first request (test/agents/fixtures/codex-first-request.json, recorded from
 * `codex exec` pointed at a capture server; ≈ 40 kB, nine tools with a namespace and web_search) must
 * convert into a body the strict fake Gemini accepts, without the agent installed.
 */
const fixture = JSON.parse(readFileSync(new URL('../agents/fixtures/codex-first-request.json', import.meta.url), 'utf8')) as {
  headers: Record<string, string>;
  body: { model: string; tools: { type: string; name?: string; tools?: { name: string }[] }[] };
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({}, { chunkDelayMs: 0 });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

describe("Codex's first request", () => {
  it('streams a completed response and sends Gemini every function, namespaced ones as namespace.name', async () => {
    const { authorization: _key, host: _host, 'content-length': _length, 'accept-encoding': _encoding, ...headers } = fixture.headers;
    const response = await fetch(`${stack.url}/v1/responses`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer k1' },
      body: JSON.stringify(fixture.body),
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');

    const body: UpstreamGenerateBody = onlyGenerateBody(stack.fake.requests);
    const expected = fixture.body.tools.flatMap((tool) =>
      tool.type === 'function' ? [tool.name] : tool.type === 'namespace' ? (tool.tools ?? []).map((inner) => `${tool.name}.${inner.name}`) : [],
    );
    const declared = (body.tools ?? []).flatMap((tool) => (tool as { functionDeclarations?: { name: string }[] }).functionDeclarations ?? []).map((d) => d.name);
    expect(declared).toEqual(expected);
    expect(declared).toContain('multi_agent_v1.spawn_agent');
    // Codex's default web search is the cached one (external_web_access: false), which Gemini cannot offer.
    expect(body.tools).toHaveLength(1);
    expect(body.systemInstruction?.parts[0]?.text).toContain('You are a coding agent running in the Codex CLI');
    expect(body.generationConfig).toEqual({ thinkingConfig: { includeThoughts: true } });
  });
});
