import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamGenerateBody } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * Issue 12, items 1, 5 and the `__proto__` part of 8–12, through the real server with the default
 * configuration (client keys: an attacker needs only the URL and a made-up key) and the strict fake upstream.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

async function post(body: unknown): Promise<{
  status: number;
  json: { error?: { message: string; type: string; param: string | null; code: string | null } };
}> {
  const response = await fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer made-up-key', 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as never };
}

const hello = [{ role: 'user', content: 'hello' }];

/** One definition with a long description that `uses` properties reference: every use is a copy of it. */
function fanOut(uses: number, descriptionLength: number): Record<string, unknown> {
  return {
    type: 'object',
    $defs: { D: { type: 'string', description: 'x'.repeat(descriptionLength) } },
    properties: Object.fromEntries(Array.from({ length: uses }, (_, i) => [`p${i}`, { $ref: '#/$defs/D' }])),
  };
}
const tool = (name: string, parameters: unknown) => ({ type: 'function', function: { name, parameters } });

describe('a schema whose $refs fan out is refused before its copies are built', () => {
  it('the 88 kB request that became a 48 MB upstream body: a 400 naming the tool, nothing sent upstream', async () => {
    const body = {
      model: 'gpt-4o',
      messages: hello,
      tools: [
        tool('a', { type: 'object' }),
        tool('b', { type: 'object' }),
        tool('c', { type: 'object' }),
        tool('d', fanOut(2_400, 20_000)),
      ],
    };
    expect(JSON.stringify(body).length).toBeLessThan(110_000);
    const { status, json } = await post(body);
    expect(status).toBe(400);
    expect(json.error).toMatchObject({
      type: 'invalid_request_error',
      param: 'tools[3].function.parameters',
      code: 'invalid_schema',
    });
    expect(json.error?.message).toMatch(/more than \d+ characters once converted/);
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('the same through response_format', async () => {
    const { status, json } = await post({
      model: 'gpt-4o',
      messages: hello,
      response_format: { type: 'json_schema', json_schema: { name: 'n', schema: fanOut(2_400, 20_000) } },
    });
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ param: 'response_format.json_schema.schema', code: 'invalid_schema' });
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('many tools that each fit add up across the request, and the one that runs out is named', async () => {
    // Each tool converts to about 400 kB, far under the budget alone; 100 of them would be 40 MB.
    const tools = Array.from({ length: 100 }, (_, t) => tool(`t${t}`, fanOut(40, 10_000)));
    const { status, json } = await post({ model: 'gpt-4o', messages: hello, tools });
    expect(status).toBe(400);
    const failed = Number(/^tools\[(\d+)\]\.function\.parameters$/.exec(json.error?.param ?? '')?.[1]);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(100);
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('eight such requests at once leave the gateway’s memory where it was', async () => {
    // Unbounded, each of these (270 kB) becomes about 500 MB upstream: eight took the server to 10 GB.
    const body = JSON.stringify({ model: 'gpt-4o', messages: hello, tools: [tool('f', fanOut(2_400, 200_000))] });
    await post({ model: 'gpt-4o', messages: hello, tools: [tool('f', fanOut(2_400, 1_000))] }); // warm up; refused too
    const before = process.memoryUsage().rss;
    const results = await Promise.all(Array.from({ length: 8 }, () => post(body)));
    for (const { status, json } of results)
      expect({ status, param: json.error?.param }).toEqual({ status: 400, param: 'tools[0].function.parameters' });
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('a schema that reuses its definitions a normal number of times still goes through', async () => {
    const { status } = await post({ model: 'gpt-4o', messages: hello, tools: [tool('f', fanOut(20, 2_000))] });
    expect(status).toBe(200);
    const sent = stack.fake.requests[0]?.body as UpstreamGenerateBody;
    const parameters = (
      sent.tools?.[0] as { functionDeclarations: { parameters: { properties: Record<string, unknown> } }[] } | undefined
    )?.functionDeclarations[0]?.parameters;
    expect(Object.keys(parameters?.properties ?? {})).toHaveLength(20);
  });
});

describe('JSON nested thousands of levels deep is a 4xx naming the field, never a 500', () => {
  const DEPTH = 50_000;
  const deepArray = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
  const deepObject = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
  const history = (args: string, result: string) => [
    ...hello,
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: result },
  ];
  const chatWith = (extra: string) => `{"model":"gpt-4o","messages":[{"role":"user","content":"x"}],${extra}}`;

  it.each([
    [
      'tool call arguments',
      JSON.stringify({ model: 'gpt-4o', messages: history(deepObject, 'ok') }),
      'messages[1].tool_calls[0].function.arguments',
    ],
    [
      'a schema default',
      chatWith(
        `"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"array","default":${deepArray}}}}}}]`,
      ),
      'tools[0].function.parameters',
    ],
    [
      'a schema enum',
      chatWith(
        `"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"enum":["x",${deepArray}]}}}}}]`,
      ),
      'tools[0].function.parameters',
    ],
    [
      'a response_format const',
      chatWith(
        `"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object","properties":{"a":{"const":${deepObject}}}}}}`,
      ),
      'response_format.json_schema.schema',
    ],
    ['a value an enum refuses', chatWith(`"reasoning_effort":${deepArray}`), 'reasoning_effort'],
    ['a role', `{"model":"gpt-4o","messages":[{"role":${deepObject},"content":"x"}]}`, 'messages[0].role'],
  ])('%s', async (_name, body, param) => {
    const { status, json } = await post(body);
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('a tool result that deep goes to the model as its text', async () => {
    const { status } = await post({ model: 'gpt-4o', messages: history('{}', deepObject) });
    expect(status).toBe(200);
    const sent = stack.fake.requests[0]?.body as UpstreamGenerateBody;
    expect(sent.contents[2]?.parts[0]).toEqual({ functionResponse: { name: 'f', response: { result: deepObject } } });
  });
});

it('a schema property named __proto__ reaches Gemini in properties as well as in required', async () => {
  const parameters =
    '{"type":"object","properties":{"__proto__":{"type":"string"},"b":{"type":"string"}},"required":["__proto__","b"]}';
  const { status } = await post(
    `{"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":${parameters}}}]}`,
  );
  expect(status).toBe(200);
  const raw = stack.fake.requests[0]?.rawBody ?? '';
  expect(raw).toContain(
    '"functionDeclarations":[{"name":"f","parameters":{"type":"object","properties":{"__proto__":{"type":"string"},"b":{"type":"string"}},"required":["__proto__","b"]',
  );
});
