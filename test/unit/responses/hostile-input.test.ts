import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateContentRequestSchema } from '../../fake-gemini/gemini-request-schema';
import { parseProto } from '../../fake-gemini/proto-json';
import { gatewayWithStub, jsonReply, type StubCall } from '../support/stub-upstream';

/**
 * Random, adversarial and mutated-Codex requests on `POST /v1/responses`, through the whole handler: whatever a
 * client sends, the answer is never a 5xx of ours; a refusal is OpenAI's error shape naming the field and
 * reaches no upstream; a request that reaches the upstream is one the Gemini API accepts (the strict fake's
 * own proto parser, one data field per part, user/model turns, every function call turn answered by a turn
 * of as many function responses). Object.prototype stays clean.
 */

const UPSTREAM = 'https://upstream.test';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

function healthyUpstream(call: StubCall): Response {
  if (!call.url.startsWith(UPSTREAM)) return new Response(PNG, { headers: { 'content-type': 'image/png' } });
  const candidate = { content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 };
  const usageMetadata = { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 };
  if (call.url.includes(':streamGenerateContent')) {
    return new Response(`data: ${JSON.stringify({ candidates: [candidate], usageMetadata })}\r\n\r\n`, {
      headers: { 'content-type': 'text/event-stream' },
    });
  }
  return jsonReply({ candidates: [candidate], usageMetadata });
}

const DATA_FIELDS = [
  'text',
  'inlineData',
  'fileData',
  'functionCall',
  'functionResponse',
  'executableCode',
  'codeExecutionResult',
] as const;

/** Why the Gemini API would refuse this upstream call, or undefined when it would take it. */
function upstreamRejection(call: StubCall): string | undefined {
  if (!call.url.startsWith(UPSTREAM)) return undefined;
  const match = /^\/v1beta\/models\/([A-Za-z0-9._-]+):(generateContent|streamGenerateContent)$/.exec(
    new URL(call.url).pathname,
  );
  if (!match) return `unexpected upstream path ${call.url}`;
  const parsed = parseProto(generateContentRequestSchema, JSON.parse(call.body));
  if (!parsed.ok) return parsed.error.message;
  const contents = parsed.value.contents ?? [];
  if (contents.length === 0) return 'no contents';
  for (const [i, content] of contents.entries()) {
    if (content.role !== 'user' && content.role !== 'model') return `role ${String(content.role)}`;
    const parts = content.parts ?? [];
    if (parts.length === 0) return `contents[${i}] has no parts`;
    for (const part of parts) {
      const data = DATA_FIELDS.filter((field) =>
        field === 'text' ? part.text !== undefined && part.text !== '' : part[field] !== undefined,
      );
      if (data.length !== 1) return `a part with ${data.length} data fields: ${JSON.stringify(part).slice(0, 200)}`;
    }
    // Gemini: "the number of function response parts is equal to the number of function call parts of the function call turn".
    const calls = parts.filter((part) => part.functionCall !== undefined).length;
    if (calls > 0) {
      const answers = (contents[i + 1]?.parts ?? []).filter((part) => part.functionResponse !== undefined).length;
      if (contents[i + 1]?.role !== 'user' || answers !== calls)
        return `contents[${i}]: ${calls} calls answered by ${answers} responses`;
    }
    const responses = parts.filter((part) => part.functionResponse !== undefined).length;
    if (
      responses > 0 &&
      (contents[i - 1]?.parts ?? []).filter((part) => part.functionCall !== undefined).length !== responses
    )
      return `contents[${i}]: responses without calls`;
  }
  const system = parsed.value.systemInstruction;
  if (system && (system.parts ?? []).length === 0) return 'empty systemInstruction';
  return undefined;
}

interface Outcome {
  status: number;
  text: string;
  contentType: string;
}

async function send(handler: (request: Request) => Promise<Response>, body: string): Promise<Outcome> {
  const response = await handler(
    new Request('https://gw.test/v1/responses', {
      method: 'POST',
      headers: { authorization: 'Bearer k1,k2', 'content-type': 'application/json' },
      body,
    }),
  );
  return {
    status: response.status,
    text: await response.text(),
    contentType: response.headers.get('content-type') ?? '',
  };
}

function checkOutcome(outcome: Outcome, sent: unknown, newCalls: readonly StubCall[]): void {
  expect(outcome.status, outcome.text).toBeLessThan(500);
  const upstreamCalls = newCalls.filter((call) => call.url.startsWith(UPSTREAM));
  for (const call of newCalls)
    expect(upstreamRejection(call), `${call.url}\n${call.body.slice(0, 3000)}`).toBeUndefined();
  if (outcome.status === 200) {
    expect(upstreamCalls.length).toBe(1);
    if (outcome.contentType.startsWith('text/event-stream'))
      expect(outcome.text).toMatch(/event: response\.completed\ndata: .*\n\n$/);
    else expect(JSON.parse(outcome.text)).toMatchObject({ object: 'response', status: 'completed' });
    return;
  }
  expect(upstreamCalls, 'a refused request reached the upstream').toHaveLength(0);
  const body = JSON.parse(outcome.text) as { error?: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error ?? {}).sort()).toEqual(['code', 'message', 'param', 'type']);
  if (outcome.status === 400 && typeof sent === 'object' && sent !== null && !Array.isArray(sent)) {
    const param = body.error?.param;
    expect(param, outcome.text).toEqual(expect.stringMatching(/^[^.[]+/));
    const root = (param as string).split(/[.[]/)[0] as string;
    if (!Object.hasOwn(sent, root))
      expect(body.error?.message as string, outcome.text).toMatch(/^Missing required parameter/);
  }
}

// Arbitraries: plausible bodies with the subtle mistakes a schema lets through, sometimes with a hostile value
// anywhere. Call ids and tool names come from small pools, so calls, outputs and tools often match.

const hostileScalar = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    2 ** 31,
    '',
    ' ',
    '\u0000',
    '\ud800',
    '__proto__',
    'constructor',
    'toString',
  ),
  fc.string({ maxLength: 10 }),
  fc.integer(),
);
const polluter = fc.constantFrom(
  ...['{"__proto__":{"polluted":"yes"}}', '{"constructor":{"prototype":{"polluted":"yes"}}}'].map(
    (t) => JSON.parse(t) as unknown,
  ),
);
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  polluter,
  fc.array(hostileScalar, { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 6 }), hostileScalar, { maxKeys: 2 }),
);

const goodBase64 = fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => btoa(String.fromCharCode(...bytes)));
const base64 = fc.oneof({ weight: 3, arbitrary: goodBase64 }, fc.constantFrom('A', 'AB=C', '!!!!', '====', 'QQ=', ''));
const mediaUrl = fc.oneof(
  { weight: 3, arbitrary: base64.map((data) => `data:image/png;base64,${data}`) },
  fc.constantFrom(
    'data:',
    'data:image/png;base64',
    'https://127.0.0.1/x.png',
    'https://example.com/cat.png',
    'http://example.com/a.png',
    'file:///etc/passwd',
    '',
  ),
);
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', '\u0000', '\ud800x'));
const part = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constantFrom('input_text', 'output_text'), text }) },
  fc.record({ type: fc.constant('refusal'), refusal: text }),
  fc.record(
    { type: fc.constant('input_image'), image_url: mediaUrl, detail: fc.constantFrom('auto', 'low') },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constant('input_file'),
      file_data: fc.oneof(base64, mediaUrl),
      filename: fc.constantFrom('a.pdf', 'noext', ''),
      file_id: fc.constant('file-1'),
    },
    { requiredKeys: ['type'] },
  ),
);
const callId = fc.constantFrom('call_1', 'call_2', 'call_3', '');
const toolName = fc.constantFrom('exec_command', 'apply_patch', 'spawn', 'bad name', 'x'.repeat(65), '__proto__');
const encrypted = fc.oneof(
  goodBase64.map((signature) => `gemini-thought-signature:v1:${signature}`),
  fc.constantFrom('gemini-thought-signature:v1:!!', 'gAAAAB-openai', '', null),
);
const output = fc.oneof(text, fc.array(part, { maxLength: 2 }));
const item = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        type: fc.constant('message'),
        role: fc.constantFrom('user', 'assistant', 'system', 'developer'),
        content: fc.oneof(text, fc.array(part, { maxLength: 3 })),
      },
      { requiredKeys: ['role', 'content'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constant('function_call'),
        call_id: callId,
        name: toolName,
        namespace: fc.constantFrom('agents', null),
        arguments: fc.constantFrom('{}', '{"cmd":"ls"}', '[]', 'nope', '', '{"__proto__":{"polluted":"yes"}}'),
      },
      { requiredKeys: ['type', 'call_id', 'name', 'arguments'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constantFrom('function_call_output', 'custom_tool_call_output'),
      call_id: callId,
      output,
    }),
  },
  fc.record({ type: fc.constant('custom_tool_call'), call_id: callId, name: toolName, input: text }),
  fc.record(
    { type: fc.constant('reasoning'), summary: fc.constant([]), encrypted_content: encrypted },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constantFrom('item_reference', 'web_search_call', 'compaction'), id: fc.constant('x_1') }),
);
/** A well-formed round of tool use: reasoning, parallel calls (ids may repeat), their outputs in any order. */
const round = fc
  .tuple(
    fc.array(fc.constantFrom('call_1', 'call_2', 'call_3'), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
    encrypted,
    fc.constantFrom('exec_command', 'spawn', 'apply_patch'),
  )
  .map(([ids, reversed, encrypted_content, name]) => [
    { type: 'reasoning', summary: [], encrypted_content },
    ...ids.map((id) => ({ type: 'function_call', call_id: id, name, arguments: '{"cmd":"ls"}' })),
    ...(reversed ? [...ids].reverse() : ids).map((id) => ({
      type: 'function_call_output',
      call_id: id,
      output: `out ${id}`,
    })),
  ]);
const conversation = fc
  .array(fc.oneof({ weight: 3, arbitrary: item.map((entry) => [entry]) }, round), { maxLength: 5 })
  .map((groups) => groups.flat());
const schema = fc.oneof(
  fc.constant({ type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] }),
  fc.constant({ type: 'object', properties: {} }),
  fc.constant({ type: 'object', properties: { a: { $ref: '#/$defs/a' } }, $defs: { a: { type: ['string', 'null'] } } }),
  fc.constant({ type: 'object', required: ['missing'] }),
  hostile,
);
const tool = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      { type: fc.constant('function'), name: toolName, description: text, parameters: schema, strict: fc.boolean() },
      { requiredKeys: ['type', 'name'] },
    ),
  },
  fc.record(
    {
      type: fc.constant('custom'),
      name: toolName,
      format: fc.constantFrom(
        { type: 'text' },
        { type: 'grammar', syntax: 'lark', definition: 'start: "x"' },
        { type: 'grammar', syntax: 'ebnf', definition: '' },
      ),
    },
    { requiredKeys: ['type', 'name'] },
  ),
  fc.record({
    type: fc.constant('namespace'),
    name: fc.constantFrom('agents', 'a'.repeat(60)),
    tools: fc.array(fc.record({ type: fc.constant('function'), name: toolName }), { maxLength: 2 }),
  }),
  fc.record(
    { type: fc.constantFrom('web_search', 'web_search_preview'), external_web_access: fc.boolean() },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constantFrom('file_search', 'mcp', 'unknown_tool') }),
);
const plausible = fc.record(
  {
    model: fc.constantFrom('gemini-flash-latest', 'gpt-5-codex', 'gemini-2.5-flash-lite', '../x', ''),
    input: fc.oneof(text, fc.array(item, { maxLength: 7 }), conversation),
    instructions: text,
    stream: fc.boolean(),
    tools: fc.array(tool, { maxLength: 4 }),
    tool_choice: fc.oneof(
      fc.constantFrom('auto', 'none', 'required'),
      fc.record({ type: fc.constantFrom('function', 'custom'), name: toolName }),
      fc.constant({ type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'spawn' }] }),
    ),
    reasoning: fc.record(
      {
        effort: fc.constantFrom('none', 'minimal', 'low', 'xhigh', 'max'),
        summary: fc.constantFrom('auto', 'none', 'detailed'),
      },
      { requiredKeys: [] },
    ),
    text: fc.record(
      {
        format: fc.oneof(
          fc.constant({ type: 'json_object' }),
          fc.record({ type: fc.constant('json_schema'), name: fc.constant('x'), schema }),
        ),
        verbosity: fc.constant('low'),
      },
      { requiredKeys: [] },
    ),
    include: fc.constant(['reasoning.encrypted_content']),
    max_output_tokens: fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(0, 2 ** 31)),
    temperature: fc.double({ min: -1, max: 3, noNaN: true }),
    store: fc.boolean(),
    previous_response_id: fc.constant('resp_1'),
    prompt_cache_key: text,
  },
  { requiredKeys: ['model', 'input'] },
);

/** A value with one hostile change at a random place: a replaced value, a deleted key or an unknown key. */
function mutate(value: unknown, choices: readonly number[], replacement: unknown): unknown {
  const [choice = 0, ...rest] = choices;
  if (Array.isArray(value) && value.length > 0) {
    const at = choice % value.length;
    return value.map((entry, i) =>
      i === at ? (rest.length === 0 ? replacement : mutate(entry, rest, replacement)) : entry,
    );
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 0) return replacement;
    const key = keys[choice % keys.length] as string;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (rest.length > 0) copy[key] = mutate(copy[key], rest, replacement);
    else if (choice % 3 === 0) delete copy[key];
    else if (choice % 3 === 1) copy[`unknown_${key}`] = replacement;
    else copy[key] = replacement;
    return copy;
  }
  return replacement;
}

const codexFixture = (
  JSON.parse(readFileSync(new URL('../../agents/fixtures/codex-tool-turn-request.json', import.meta.url), 'utf8')) as {
    body: unknown;
  }
).body;

describe('POST /v1/responses with hostile input', () => {
  it('random and mutated requests: never a 5xx, refusals name the field, and the upstream gets only what Gemini accepts', {
    timeout: 120_000,
  }, async () => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    const bodies = fc.oneof(
      { weight: 3, arbitrary: plausible },
      {
        weight: 2,
        arbitrary: fc
          .tuple(plausible, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), hostile)
          .map(([body, path, value]) => mutate(body, path, value)),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), hostile)
          .map(([path, value]) => mutate(codexFixture, path, value)),
      },
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const before = calls.length;
        const outcome = await send(handler, JSON.stringify(body));
        checkOutcome(outcome, body, calls.slice(before));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      }),
      { numRuns: 400 },
    );
    // The property means something only if a fair share of the bodies got through to the upstream (about 13 %).
    expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
  });

  it('the recorded Codex turn itself goes through', async () => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    const outcome = await send(handler, JSON.stringify(codexFixture));
    expect(outcome.status, outcome.text).toBe(200);
    checkOutcome(outcome, codexFixture, calls);
  });
});
