import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateContentRequestSchema } from '../../fake-gemini/gemini-request-schema';
import { parseProto } from '../../fake-gemini/proto-json';
import { jsonPlaces } from '../support/json-places';
import { gatewayWithStub, jsonReply, type StubCall } from '../support/stub-upstream';
import { claudeCodeRequest } from './helpers';

/**
 * Random and adversarial requests on the Anthropic surface, through the whole handler: whatever a client
 * sends, the answer is never a 5xx of ours, a refusal is Anthropic's error shape and reaches no upstream, and
 * a request that reaches the upstream is one the Gemini API accepts (the strict fake's own parser, plus the
 * part and int32 rules it checks after parsing). Object.prototype stays clean.
 */

const UPSTREAM = 'https://upstream.test';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const INT32 = 2 ** 31;
const DATA_FIELDS = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse'] as const;

function healthyUpstream(call: StubCall): Response {
  const url = new URL(call.url);
  if (url.origin !== UPSTREAM) return new Response(PNG, { headers: { 'content-type': 'image/png' } });
  if (url.pathname.endsWith(':countTokens')) return jsonReply({ totalTokens: 3 });
  const candidate = { content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 };
  const usageMetadata = { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 };
  if (url.pathname.endsWith(':streamGenerateContent')) {
    return new Response(`data: ${JSON.stringify({ candidates: [candidate], usageMetadata })}\r\n\r\n`, {
      headers: { 'content-type': 'text/event-stream' },
    });
  }
  return jsonReply({ candidates: [candidate], usageMetadata });
}

/** Why the Gemini API would refuse this upstream call, or undefined when it would take it. */
function upstreamRejection(call: StubCall): string | undefined {
  const url = new URL(call.url);
  if (url.origin !== UPSTREAM) return undefined;
  const match = /^\/v1beta\/models\/([A-Za-z0-9._-]+):(generateContent|streamGenerateContent|countTokens)$/.exec(
    url.pathname,
  );
  if (!match) return `unexpected upstream path ${url.pathname}`;
  const body = JSON.parse(call.body) as Record<string, unknown>;
  const generate = match[2] === 'countTokens' ? (body.generateContentRequest as Record<string, unknown>) : body;
  if (match[2] === 'countTokens') {
    if (generate?.model !== `models/${match[1]}`) return 'countTokens without its model';
    delete generate.model;
  }
  const parsed = parseProto(generateContentRequestSchema, generate);
  if (!parsed.ok) return parsed.error.message;
  const request = parsed.value;
  if ((request.contents ?? []).length === 0) return 'no contents';
  for (const content of [
    ...(request.contents ?? []),
    ...(request.systemInstruction ? [request.systemInstruction] : []),
  ]) {
    if ((content.parts ?? []).length === 0) return 'a content without parts';
    if (content !== request.systemInstruction && content.role !== 'user' && content.role !== 'model')
      return `role ${String(content.role)}`;
    for (const part of content.parts ?? []) {
      const data = DATA_FIELDS.filter((field) =>
        field === 'text' ? part.text !== undefined && part.text !== '' : part[field] !== undefined,
      );
      if (data.length !== 1) return `a part with ${data.length} data fields: ${JSON.stringify(part).slice(0, 200)}`;
    }
  }
  const config = request.generationConfig ?? {};
  for (const value of [config.maxOutputTokens, config.topK, config.thinkingConfig?.thinkingBudget]) {
    if (value !== undefined && (value < -INT32 || value >= INT32)) return `${value} is not an int32`;
  }
  if ((config.stopSequences ?? []).length > 5) return 'more than 5 stop sequences';
  const names = (request.tools ?? []).flatMap((tool) =>
    (tool.functionDeclarations ?? []).map((declaration) => declaration.name ?? ''),
  );
  if (names.some((name) => !/^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/.test(name)))
    return `a function name Gemini refuses: ${names.join(', ')}`;
  if (new Set(names).size !== names.length) return 'duplicate function declarations';
  return undefined;
}

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
    2 ** 53 + 2,
    '',
    ' ',
    '\u0000',
    '\ud800',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);
const polluter = fc.constantFrom(
  ...['{"__proto__":{"polluted":"yes"}}', '{"constructor":{"prototype":{"polluted":"yes"}}}'].map(
    (t) => JSON.parse(t) as unknown,
  ),
);
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 1, arbitrary: polluter },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileScalar, { maxKeys: 3 }) },
);

const text = fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom('', ' ', '\u0000', 'Ω≈ç√'));
const base64 = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes) => btoa(String.fromCharCode(...bytes))),
  },
  { weight: 1, arbitrary: fc.constantFrom('A', 'AB=C', '!!!!', '', '====', 'QQ==QQ==') },
);
const url = fc.constantFrom(
  'https://example.com/cat.png',
  'https://127.0.0.1/x.png',
  'http://example.com/a.png',
  'javascript:alert(1)',
  'https://',
);
const source = fc.oneof(
  fc.record({
    type: fc.constant('base64'),
    media_type: fc.constantFrom('image/png', 'application/pdf', ''),
    data: base64,
  }),
  fc.record({ type: fc.constant('url'), url }),
  fc.record({ type: fc.constant('text'), media_type: fc.constant('text/plain'), data: text }),
  fc.record({ type: fc.constant('file'), file_id: fc.constant('file_1') }),
);
const toolUseId = fc.constantFrom('toolu_1', 'toolu_2', 'call_a__c2lnbmF0dXJl', 'call_b__!!', 'call_c__');
const toolName = fc.constantFrom('Read', 'Bash', 'f', 'bad name', 'x'.repeat(65), '1abc', '__proto__');
const mediaBlock = fc.oneof(
  fc.record({ type: fc.constant('image'), source }),
  fc.record({ type: fc.constant('document'), source, title: text }, { requiredKeys: ['type', 'source'] }),
);
const block = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      { type: fc.constant('text'), text, cache_control: fc.constant({ type: 'ephemeral' }) },
      { requiredKeys: ['type', 'text'] },
    ),
  },
  { weight: 2, arbitrary: mediaBlock },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('tool_use'),
      id: toolUseId,
      name: toolName,
      input: fc.constantFrom({}, { file_path: '/a' }, { __proto__: null }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        type: fc.constant('tool_result'),
        tool_use_id: toolUseId,
        content: fc.oneof(
          text,
          fc.array(fc.oneof(fc.record({ type: fc.constant('text'), text }), mediaBlock), { maxLength: 2 }),
        ),
        is_error: fc.boolean(),
      },
      { requiredKeys: ['type', 'tool_use_id'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('thinking'),
      thinking: text,
      signature: fc.oneof(base64, fc.constant('')),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('redacted_thinking'), data: text }) },
);
const message = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ role: fc.constant('user'), content: fc.oneof(text, fc.array(block, { maxLength: 3 })) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      role: fc.constant('assistant'),
      content: fc.oneof(text, fc.array(block, { maxLength: 3 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ role: fc.constant('system'), content: text }) },
);
const schema = fc.constantFrom(
  {
    type: 'object',
    properties: { file_path: { type: 'string' } },
    required: ['file_path'],
    additionalProperties: false,
    $schema: 'https://json-schema.org/draft/2020-12/schema',
  },
  { type: 'object', properties: {} },
  {
    type: 'object',
    properties: { n: { type: 'integer', exclusiveMinimum: 0, maximum: 9007199254740991 } },
    required: ['n', 'missing'],
  },
  { $ref: '#/$defs/A', $defs: { A: { type: 'object', properties: { a: { $ref: '#/$defs/A' } } } } },
  { type: ['string', 'null'] },
);
const tool = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      { name: toolName, description: text, input_schema: schema, defer_loading: fc.boolean() },
      { requiredKeys: ['name', 'input_schema'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constantFrom('web_search_20250305', 'web_fetch_20250910', 'bash_20250124', 'custom', 'weird'),
      name: toolName,
    }),
  },
);
const int = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 31, 2 ** 40) },
  );
const fields = {
  model: fc.constantFrom(
    'claude-opus-4-8',
    'claude-sonnet-4-6',
    'claude-haiku-4-5',
    'gemini-3.8-flash',
    'gemini-2.0-flash',
    'gpt-4o',
    'gemini-x/../y',
    'a:b',
  ),
  max_tokens: int(200_000),
  messages: fc.array(message, { minLength: 1, maxLength: 4 }),
  system: fc.oneof(text, fc.array(fc.record({ type: fc.constant('text'), text }), { maxLength: 2 })),
  stream: fc.boolean(),
  temperature: fc.double({ min: 0, max: 1, noNaN: true }),
  top_p: fc.double({ min: 0, max: 1, noNaN: true }),
  top_k: int(100),
  stop_sequences: fc.array(fc.string({ maxLength: 4 }), { maxLength: 7 }),
  tools: fc.array(tool, { maxLength: 3 }),
  tool_choice: fc.oneof(
    fc.record({ type: fc.constantFrom('auto', 'any', 'none') }),
    fc.record({ type: fc.constant('tool'), name: toolName }),
  ),
  thinking: fc.oneof(
    fc.record(
      { type: fc.constant('enabled'), budget_tokens: int(50_000), display: fc.constantFrom('summarized', 'omitted') },
      { requiredKeys: ['type', 'budget_tokens'] },
    ),
    fc.record({ type: fc.constantFrom('adaptive', 'disabled', 'between_tools') }),
  ),
  output_config: fc.record(
    {
      effort: fc.constantFrom('low', 'medium', 'high', 'xhigh', 'max', 'ultra'),
      format: fc.record({ type: fc.constant('json_schema'), schema }),
    },
    { requiredKeys: [] },
  ),
  metadata: fc.constant({ user_id: 'u' }),
  context_management: fc.constant({ edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] }),
};

/** The required fields and a few optional ones (every field at once nearly always breaks one rule early). */
const plausible = fc
  .tuple(
    fc.record(fields),
    fc.subarray(
      Object.keys(fields).filter((key) => !['model', 'max_tokens', 'messages'].includes(key)),
      { maxLength: 4 },
    ),
  )
  .map(([all, chosen]) => {
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all))
      if (['model', 'max_tokens', 'messages'].includes(key) || chosen.includes(key)) body[key] = value;
    return body;
  });

/** The body with one value somewhere replaced, deleted, or a key added (pollution keys as own properties). */
function mutate(
  body: Record<string, unknown>,
  seed: number,
  value: unknown,
  mutation: 'replace' | 'delete' | 'add',
): unknown {
  const copy = structuredClone(body);
  const places = jsonPlaces(copy);
  const place = places[seed % Math.max(places.length, 1)];
  if (!place) return value;
  const [parent, key] = place;
  if (mutation === 'replace') (parent as Record<string | number, unknown>)[key] = value;
  else if (mutation === 'delete')
    Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key as string];
  else {
    const target = (parent as Record<string | number, unknown>)[key];
    const into =
      typeof target === 'object' && target !== null && !Array.isArray(target)
        ? (target as Record<string, unknown>)
        : copy;
    Object.defineProperty(into, ['__proto__', 'constructor', 'x_unknown'][seed % 3] as string, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

const body = fc.oneof(
  { weight: 2, arbitrary: plausible },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        plausible,
        fc.nat(),
        hostile,
        fc.constantFrom<'replace' | 'delete' | 'add'>('replace', 'replace', 'delete', 'add'),
      )
      .map(([plain, seed, value, mutation]) => mutate(plain, seed, value, mutation)),
  },
  { weight: 1, arbitrary: hostile },
);

async function check(path: string, sent: unknown): Promise<void> {
  const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
  const response = await handler(
    new Request(`https://gw.test${path}`, {
      method: 'POST',
      headers: { 'x-api-key': 'k1,k2', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify(sent),
    }),
  );
  const responseText = await response.text();
  expect(response.status, responseText).toBeLessThan(500);
  for (const call of calls) expect(upstreamRejection(call), `${call.url}\n${call.body.slice(0, 2000)}`).toBeUndefined();
  const upstreamCalls = calls.filter((call) => call.url.startsWith(UPSTREAM));
  if (response.status === 200) {
    expect(upstreamCalls.length).toBeGreaterThan(0);
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream'))
      expect(responseText.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  } else {
    expect(upstreamCalls, 'a refused request reached the upstream').toHaveLength(0);
    const error = JSON.parse(responseText) as { type?: unknown; error?: Record<string, unknown> };
    expect(Object.keys(error)).toEqual(['type', 'error']);
    expect(error.type).toBe('error');
    expect(Object.keys(error.error ?? {})).toEqual(['type', 'message']);
    expect(error.error?.message).toEqual(expect.stringMatching(/\S/));
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('hostile input on /v1/messages', () => {
  it('never answers 5xx, refuses in Anthropic’s shape before any upstream call, and sends Gemini only what it accepts', async () => {
    await fc.assert(
      fc.asyncProperty(body, (sent) => check('/v1/messages', sent)),
      { numRuns: 400 },
    );
  });

  it('the same for count_tokens', async () => {
    await fc.assert(
      fc.asyncProperty(body, (sent) => check('/v1/messages/count_tokens', sent)),
      { numRuns: 150 },
    );
  });

  it('Claude Code’s real request with one value changed anywhere', async () => {
    const real = claudeCodeRequest('claude-code-tool-result-request').body as Record<string, unknown>;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        hostile,
        fc.constantFrom<'replace' | 'delete' | 'add'>('replace', 'delete', 'add'),
        (seed, value, mutation) => check('/v1/messages', mutate(real, seed, value, mutation)),
      ),
      { numRuns: 150 },
    );
  });
});
