import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onlyGenerateBody, type UpstreamGenerateBody } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * Codex CLI 0.171.0's real requests, recorded from `codex exec` pointed at a capture server (keys replaced):
 * its first request (≈ 40 kB, nine tools with a namespace and web_search) and the turn after it ran a shell
 * command (the reasoning item carrying a signature, the call and its output) must convert into bodies the
 * strict fake Gemini accepts, without the agent installed.
 */
interface Recorded {
  headers: Record<string, string>;
  body: {
    model: string;
    tools: { type: string; name?: string; tools?: { name: string }[] }[];
    input: Record<string, unknown>[];
  };
}
const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../agents/fixtures/${name}`, import.meta.url), 'utf8')) as Recorded;
const fixture = load('codex-first-request.json');
const toolTurn = load('codex-tool-turn-request.json');
/** With one of OpenAI's own model names (gpt-6.2-sol) Codex sends its tools as an `additional_tools` input item. */
const ownModel = load('codex-own-model-request.json');

function send(recorded: Recorded, body: unknown = recorded.body): Promise<Response> {
  const {
    authorization: _key,
    host: _host,
    'content-length': _length,
    'accept-encoding': _encoding,
    ...headers
  } = recorded.headers;
  return fetch(`${stack.url}/v1/responses`, {
    method: 'POST',
    headers: { ...headers, authorization: 'Bearer k1' },
    body: JSON.stringify(body),
  });
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({}, { chunkDelayMs: 0 });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

describe("Codex's first request", () => {
  it('streams a completed response and sends Gemini every function, namespaced ones as namespace.name', async () => {
    const response = await send(fixture);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const types = [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');

    const body: UpstreamGenerateBody = onlyGenerateBody(stack.fake.requests);
    const expected = fixture.body.tools.flatMap((tool) =>
      tool.type === 'function'
        ? [tool.name]
        : tool.type === 'namespace'
          ? (tool.tools ?? []).map((inner) => `${tool.name}.${inner.name}`)
          : [],
    );
    const declared = (body.tools ?? [])
      .flatMap((tool) => (tool as { functionDeclarations?: { name: string }[] }).functionDeclarations ?? [])
      .map((d) => d.name);
    expect(declared).toEqual(expected);
    expect(declared).toContain('multi_agent_v1.spawn_agent');
    // web_search is dropped: beside functions Gemini would need server-side tool invocations (to-gemini-tools.ts).
    expect(body.tools).toHaveLength(1);
    expect(body.systemInstruction?.parts[0]?.text).toContain('You are a coding agent running in the Codex CLI');
    expect(body.generationConfig).toEqual({ thinkingConfig: { includeThoughts: true } });
  });

  it('the turn after a shell command: the signature in the reasoning item reaches Gemini on the call, the output as its response', async () => {
    // The recorded signature was issued by another fake; this one accepts only its own.
    const signature = stack.fake.issueThoughtSignature();
    const input = toolTurn.body.input.map((item) =>
      item.type === 'reasoning' ? { ...item, encrypted_content: `gemini-thought-signature:v1:${signature}` } : item,
    );
    const response = await send(toolTurn, { ...toolTurn.body, input });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(text).toContain('event: response.completed');
    const contents = onlyGenerateBody(stack.fake.requests).contents;
    expect(contents.slice(-2)).toEqual([
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'exec_command', args: { cmd: 'echo hi-there' } }, thoughtSignature: signature },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              name: 'exec_command',
              response: { result: expect.stringContaining('Output:\nhi-there') },
            },
          },
        ],
      },
    ]);
  });

  it("with one of OpenAI's model names Codex sends tools as an additional_tools item: they are declared too", async () => {
    const response = await send(ownModel);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const body = onlyGenerateBody(stack.fake.requests);
    const declared = (body.tools ?? [])
      .flatMap((tool) => (tool as { functionDeclarations?: { name: string }[] }).functionDeclarations ?? [])
      .map((d) => d.name);
    expect(declared).toEqual(expect.arrayContaining(['functions.exec', 'functions.wait', 'collaboration.spawn_agent']));
    expect(body.contents.every((content) => content.role === 'user')).toBe(true);
  });
});
