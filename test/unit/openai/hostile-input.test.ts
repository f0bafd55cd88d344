import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../../src/gateway';
import { createSchemaBudget } from '../../../src/gemini/create-schema-budget';
import { batchEmbedContentsRequestSchema, generateContentRequestSchema } from '../../fake-gemini/gemini-request-schema';
import { parseProto } from '../../fake-gemini/proto-json';
import { jsonPlaces } from '../support/json-places';
import { gatewayWithStub, jsonReply, type StubCall } from '../support/stub-upstream';

/**
 * Random and adversarial requests on the OpenAI surface, through the whole handler: whatever a client sends,
 * the answer is never a 5xx of ours, always JSON in OpenAI's error shape naming the field at fault, and a
 * request that reaches the upstream is one the Gemini API accepts (checked with the strict fake's own
 * parser). Object.prototype stays clean.
 */

const UPSTREAM = 'https://upstream.test';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

/** A healthy upstream for every call the gateway may make, and a public host serving a PNG for media URLs. */
function healthyUpstream(call: StubCall): Response {
  const url = new URL(call.url);
  if (url.origin !== UPSTREAM) return new Response(PNG, { headers: { 'content-type': 'image/png' } });
  if (url.pathname.endsWith(':batchEmbedContents')) {
    const count = (JSON.parse(call.body) as { requests: unknown[] }).requests.length;
    return jsonReply({ embeddings: Array.from({ length: count }, () => ({ values: [0.25, -0.5, 1] })) });
  }
  const candidate = { content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 };
  const usageMetadata = { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 };
  if (url.pathname.endsWith(':streamGenerateContent')) {
    return new Response(`data: ${JSON.stringify({ candidates: [candidate], usageMetadata })}\r\n\r\n`, {
      headers: { 'content-type': 'text/event-stream' },
    });
  }
  return jsonReply({ candidates: [candidate], usageMetadata });
}

const INT32 = 2 ** 31;
const DATA_FIELDS = [
  'text',
  'inlineData',
  'fileData',
  'functionCall',
  'functionResponse',
  'executableCode',
  'codeExecutionResult',
] as const;

/**
 * Why the Gemini API would refuse this upstream call, or undefined when it would take it: the strict fake's
 * proto-JSON parser (types, enums, base64), the rules of each content, and the int32 range the fake does not check.
 */
function upstreamRejection(call: StubCall): string | undefined {
  const url = new URL(call.url);
  if (url.origin !== UPSTREAM) return undefined;
  const match = /^\/v1beta\/models\/([A-Za-z0-9._-]+):(generateContent|streamGenerateContent|batchEmbedContents)$/.exec(
    url.pathname,
  );
  if (!match) return `unexpected upstream path ${url.pathname}`;
  let body: unknown;
  try {
    body = JSON.parse(call.body);
  } catch {
    return 'body is not JSON';
  }
  if (match[2] === 'batchEmbedContents') {
    const parsed = parseProto(batchEmbedContentsRequestSchema, body);
    if (!parsed.ok) return parsed.error.message;
    const requests = parsed.value.requests ?? [];
    if (requests.length === 0 || requests.length > 100) return `batch of ${requests.length}`;
    return requests.every((r) => r.model === `models/${match[1]}` && (r.content?.parts ?? []).length > 0)
      ? undefined
      : 'bad batch item';
  }
  const parsed = parseProto(generateContentRequestSchema, body);
  if (!parsed.ok) return parsed.error.message;
  const request = parsed.value;
  // On the JSON as sent: the fake's parser, like zod's records, leaves out a `__proto__` key.
  const raw = body as {
    tools?: { functionDeclarations?: { parameters?: unknown }[] }[];
    generationConfig?: { responseSchema?: unknown };
  };
  for (const schema of [
    raw.generationConfig?.responseSchema,
    ...(raw.tools ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((d) => d.parameters)),
  ]) {
    const missing = requiredWithoutProperty(schema, 'schema');
    if (missing) return missing;
  }
  if ((request.contents ?? []).length === 0) return 'no contents';
  if ((request.contents ?? []).some((content) => (content.parts ?? []).length === 0)) return 'a content without parts';
  if (request.systemInstruction && (request.systemInstruction.parts ?? []).length === 0)
    return 'empty systemInstruction';
  // The rules of each content (Gemini's turn-order rules are the conversation's, not checked here).
  for (const content of [
    ...(request.contents ?? []),
    ...(request.systemInstruction ? [request.systemInstruction] : []),
  ]) {
    if (content !== request.systemInstruction && content.role !== 'user' && content.role !== 'model')
      return `role ${String(content.role)}`;
    for (const part of content.parts ?? []) {
      const data = DATA_FIELDS.filter((field) =>
        field === 'text'
          ? part.text !== undefined && (part.text !== '' || part.thoughtSignature !== undefined)
          : part[field] !== undefined,
      );
      if (data.length !== 1) return `a part with ${data.length} data fields: ${JSON.stringify(part).slice(0, 200)}`;
    }
  }
  const config = request.generationConfig ?? {};
  for (const field of ['candidateCount', 'maxOutputTokens', 'topK', 'seed', 'logprobs'] as const) {
    const value = config[field];
    if (value !== undefined && (value < -INT32 || value >= INT32))
      return `generationConfig.${field} ${value} is not an int32`;
  }
  const budget = config.thinkingConfig?.thinkingBudget;
  if (budget !== undefined && (budget < -INT32 || budget >= INT32)) return `thinkingBudget ${budget} is not an int32`;
  return undefined;
}

/** Where a schema's `required` names a property its `properties` lack: Gemini answers "property is not defined". */
function requiredWithoutProperty(schema: unknown, path: string): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const node = schema as {
    properties?: Record<string, unknown>;
    required?: unknown;
    items?: unknown;
    anyOf?: unknown[];
  };
  const properties = node.properties ?? {};
  if (Array.isArray(node.required)) {
    for (const name of node.required)
      if (!Object.hasOwn(properties, name as string))
        return `${path}.required names '${String(name)}', which its properties lack`;
  }
  const children: [unknown, string][] = [
    ...Object.entries(properties).map(([name, child]): [unknown, string] => [child, `${path}.properties.${name}`]),
    [node.items, `${path}.items`],
  ];
  for (const [i, child] of (node.anyOf ?? []).entries()) children.push([child, `${path}.anyOf[${i}]`]);
  for (const [child, at] of children) {
    const missing = requiredWithoutProperty(child, at);
    if (missing) return missing;
  }
  return undefined;
}

interface Outcome {
  status: number;
  body: unknown;
  text: string;
  contentType: string;
}

async function send(
  handler: (request: Request) => Promise<Response>,
  path: string,
  body: string | Uint8Array<ArrayBuffer>,
): Promise<Outcome> {
  const response = await handler(
    new Request(`https://gw.test${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer k1,k2', 'content-type': 'application/json' },
      body,
    }),
  );
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  let parsed: unknown;
  if (!contentType.startsWith('text/event-stream')) parsed = JSON.parse(text);
  return { status: response.status, body: parsed, text, contentType };
}

/** The checks every answer must pass, whatever was sent. */
function checkOutcome(outcome: Outcome, sent: unknown, newCalls: readonly StubCall[]): void {
  expect(outcome.status, outcome.text).toBeLessThan(500);
  const upstreamCalls = newCalls.filter((call) => call.url.startsWith(UPSTREAM));
  for (const call of newCalls)
    expect(upstreamRejection(call), `${call.url}\n${call.body.slice(0, 2000)}`).toBeUndefined();
  if (outcome.status === 200) {
    expect(upstreamCalls.length).toBeGreaterThan(0);
    if (outcome.contentType.startsWith('text/event-stream'))
      expect(outcome.text.endsWith('data: [DONE]\n\n')).toBe(true);
    return;
  }
  expect(outcome.status, outcome.text).toBeGreaterThanOrEqual(400);
  expect(upstreamCalls, 'a refused request reached the upstream').toHaveLength(0);
  const error = (outcome.body as { error?: Record<string, unknown> }).error;
  expect(Object.keys(outcome.body as object)).toEqual(['error']);
  expect(Object.keys(error ?? {}).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(error?.message).toEqual(expect.stringMatching(/\S/));
  expect(error?.type).toBe('invalid_request_error');
  const isObject = typeof sent === 'object' && sent !== null && !Array.isArray(sent);
  if (outcome.status === 400 && isObject) {
    // The field at fault is named: one the client sent, or a required one it left out.
    const param = error?.param;
    expect(param, outcome.text).toEqual(expect.stringMatching(/^[^.[]+/));
    const root = (param as string).split(/[.[]/)[0] as string;
    if (!Object.hasOwn(sent as object, root))
      expect(error?.message as string, outcome.text).toMatch(/^Missing required parameter/);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Arbitraries. A body is either plausible — right shapes, with the subtle mistakes a schema check may let
// through (bad base64, odd ids, absurd numbers, broken JSON Schemas) — or such a body with one or two
// hostile mutations anywhere (a wrong type, a deleted field, an unknown field, a pollution key). Bodies
// hostile everywhere at once would nearly all fail the first check and test nothing else.

const polluters = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"role":"system","content":"x","polluted":"yes"}}',
].map((text) => JSON.parse(text) as Record<string, unknown>);

const hostileScalar = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1.5,
    1e308,
    -1e308,
    5e-324,
    2 ** 53 + 2,
    -(2 ** 53) - 2,
    2 ** 31,
    '',
    ' ',
    '\u0000',
    '\ud800',
    '__proto__',
    'constructor',
    'toString',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.constantFrom(...polluters) },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileScalar, { maxKeys: 3 }) },
);

const goodBase64 = fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes) => btoa(String.fromCharCode(...bytes)));
const badBase64 = fc.constantFrom(
  'A',
  'AAAAA',
  'AB=C',
  '!!!!',
  'abc%',
  '====',
  'A===',
  ' A A',
  '\u00e9\u00e9\u00e9\u00e9',
  'QQ==QQ==',
  'QQ=',
);
const base64 = fc.oneof({ weight: 3, arbitrary: goodBase64 }, { weight: 1, arbitrary: badBase64 });
const mediaUrl = fc.oneof(
  { weight: 3, arbitrary: base64.map((data) => `data:image/png;base64,${data}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'data:',
      'data:,',
      'data:image/png;base64',
      'data:;base64,AAAA',
      'data:image/png,%zz',
      'data:text/plain,hello%20world',
      'https://127.0.0.1/x.png',
      'https://localhost/a.png',
      'https://[::ffff:127.0.0.1]/a.png',
      'https://169.254.169.254/latest/meta-data/',
      'http://example.com/a.png',
      'ftp://example.com/a.png',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://example.com/cat.png',
      'https://',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
);

const text = fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom('', ' ', '\u0000', '\ud800x', 'Ω≈ç√'));
const userPart = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('text'), text }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('image_url'),
      image_url: fc.oneof(
        mediaUrl,
        fc.record({ url: mediaUrl, detail: fc.constantFrom('low', 'high', 'auto') }, { requiredKeys: ['url'] }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('input_audio'),
      input_audio: fc.record({ data: base64, format: fc.constantFrom('wav', 'mp3', 'flac') }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('file'),
      file: fc.record(
        {
          file_data: fc.oneof(base64, mediaUrl),
          file_id: fc.constant('file-abc'),
          filename: fc.constantFrom('a.pdf', 'b.png', 'noext', ''),
        },
        { requiredKeys: [] },
      ),
    }),
  },
);

/** Ids shared between assistant tool calls and tool results, so that results often match; some carry signatures. */
const toolCallId = fc.constantFrom(
  'call_1',
  'call_2',
  'call_sig__c2lnbmF0dXJl',
  'call_x__a',
  'call_y__!!',
  'call_z__',
  'toolu_01',
);
const functionName = fc.constantFrom('get_weather', 'f', 'g', 'bad name', 'x'.repeat(65), 'a/b', '__proto__');
const toolCall = fc.record(
  {
    id: toolCallId,
    type: fc.constant('function'),
    function: fc.record({
      name: functionName,
      arguments: fc.constantFrom(
        '{}',
        '{"city":"Oslo"}',
        '[]',
        'null',
        '42',
        'nope',
        '',
        '{"__proto__":{"polluted":"yes"}}',
      ),
    }),
    extra_content: fc.record({ google: fc.record({ thought_signature: base64 }) }),
  },
  { requiredKeys: ['id', 'type', 'function'] },
);
const textContent = fc.oneof(text, fc.array(fc.record({ type: fc.constant('text'), text }), { maxLength: 2 }));
const message = fc.oneof(
  fc.record({ role: fc.constantFrom('system', 'developer'), content: textContent }),
  {
    weight: 4,
    arbitrary: fc.record(
      {
        role: fc.constant('user'),
        content: fc.oneof(text, fc.array(userPart, { maxLength: 3 })),
        name: fc.string({ maxLength: 4 }),
      },
      { requiredKeys: ['role', 'content'] },
    ),
  },
  fc.record(
    {
      role: fc.constant('assistant'),
      content: fc.oneof(text, fc.constant(null)),
      tool_calls: fc.array(toolCall, { maxLength: 2 }),
      refusal: text,
      reasoning_content: text,
    },
    { requiredKeys: ['role'] },
  ),
  fc.record({ role: fc.constant('tool'), tool_call_id: toolCallId, content: textContent }),
);

const jsonSchema: fc.Arbitrary<unknown> = fc.letrec<{ schema: unknown }>((tie) => ({
  // Bounded depth: past it, the first (non-recursive) branch is taken.
  schema: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'schema' },
    fc.constantFrom({ type: 'string' }, { type: 'integer' }, {}, true, { $ref: '#' }),
    fc.record(
      {
        type: fc.constantFrom(
          'object',
          'string',
          'number',
          'integer',
          'boolean',
          'array',
          'null',
          'bogus',
          'constructor',
          'toString',
          '__proto__',
          ['string', 'null'],
          ['string', 'number'],
        ),
        properties: fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'constructor', ''), tie('schema'), {
          maxKeys: 2,
        }),
        items: tie('schema'),
        required: fc.array(fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor'), { maxLength: 2 }),
        enum: fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null)), { maxLength: 3 }),
        const: hostileScalar,
        $ref: fc.constantFrom(
          '#',
          '#/$defs/A',
          '#/definitions/B',
          '#/$defs/missing',
          'https://evil.example/schema.json',
          '#/properties/a',
        ),
        $defs: fc.dictionary(fc.constantFrom('A', 'B'), tie('schema'), { maxKeys: 2 }),
        anyOf: fc.array(tie('schema'), { maxLength: 2 }),
        oneOf: fc.array(tie('schema'), { maxLength: 2 }),
        allOf: fc.array(tie('schema'), { maxLength: 2 }),
        additionalProperties: fc.boolean(),
        format: fc.constantFrom('date-time', 'email', 'int32', 'enum', 'uuid'),
        minimum: fc.double({ noNaN: true, noDefaultInfinity: true }),
        description: fc.string({ maxLength: 8 }),
      },
      { requiredKeys: [] },
    ),
  ),
})).schema;

const tool = fc.record({
  type: fc.constant('function'),
  function: fc.record(
    { name: functionName, description: fc.string({ maxLength: 8 }), parameters: jsonSchema, strict: fc.boolean() },
    { requiredKeys: ['name'] },
  ),
});

/** Mostly in range; sometimes past Gemini's int32 or OpenAI's bounds. */
const int = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER) },
  );
const chatFields = {
  model: fc.constantFrom(
    'gpt-4o',
    'gemini-3.8-flash',
    'gemini-3.1-pro-preview',
    'gemini-2.0-flash',
    'gemma-3-27b-it',
    'models/gemini-3.1-pro-preview',
    'claude-x',
    'gemini-3.8-flash/../x',
    'a:b',
    '..',
  ),
  messages: fc.array(message, { minLength: 1, maxLength: 5 }),
  temperature: fc.double({ min: 0, max: 2, noNaN: true }),
  top_p: fc.double({ min: 0, max: 1, noNaN: true }),
  top_k: int(100),
  n: int(4),
  stop: fc.oneof(fc.string({ maxLength: 4 }), fc.array(fc.string({ maxLength: 4 }), { maxLength: 6 })),
  max_tokens: int(4096),
  max_completion_tokens: int(4096),
  presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
  frequency_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
  seed: fc.oneof(fc.integer(), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 40)),
  logprobs: fc.boolean(),
  top_logprobs: fc.integer({ min: 0, max: 20 }),
  stream: fc.boolean(),
  stream_options: fc.record({ include_usage: fc.boolean() }),
  response_format: fc.oneof(
    fc.constant({ type: 'text' }),
    fc.constant({ type: 'json_object' }),
    fc.record({
      type: fc.constant('json_schema'),
      json_schema: fc.record({ name: fc.string({ maxLength: 6 }), schema: jsonSchema }, { requiredKeys: ['name'] }),
    }),
  ),
  tools: fc.array(tool, { maxLength: 2 }),
  tool_choice: fc.oneof(
    fc.constantFrom('auto', 'none', 'required'),
    fc.record({ type: fc.constant('function'), function: fc.record({ name: functionName }) }),
  ),
  reasoning_effort: fc.constantFrom('none', 'minimal', 'low', 'medium', 'high'),
  google: fc.record(
    {
      thinking_config: fc.record(
        {
          thinking_budget: fc.oneof(fc.integer({ min: -1, max: 40_000 }), fc.constant(2 ** 31)),
          thinking_level: fc.constantFrom('low', 'high'),
          include_thoughts: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      cached_content: fc.constantFrom('cachedContents/abc'),
      safety_settings: fc.constant([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]),
    },
    { requiredKeys: [] },
  ),
  web_search_options: fc.constant({}),
  modalities: fc.constantFrom(['text'], ['text', 'audio']),
  user: fc.string({ maxLength: 6 }),
  metadata: fc.constant({ a: 'b' }),
};

const embeddingsFields = {
  model: fc.constantFrom(
    'text-embedding-3-small',
    'text-embedding-ada-002',
    'gemini-embedding-001',
    'text-embedding-004',
    'x/../y',
    '',
  ),
  input: fc.oneof(
    { weight: 3, arbitrary: text },
    { weight: 3, arbitrary: fc.array(text, { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.array(fc.integer(), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(fc.array(fc.integer(), { maxLength: 3 }), { maxLength: 2 }) },
    { weight: 1, arbitrary: fc.constantFrom(2_049, 150).map((n) => Array.from({ length: n }, (_, i) => `t${i}`)) },
  ),
  dimensions: int(4_000),
  encoding_format: fc.constantFrom('float', 'base64', 'hex'),
  user: fc.string({ maxLength: 6 }),
};

/**
 * The required fields and at most four optional ones: a body with every field at once nearly always breaks
 * some rule between fields (top_logprobs without logprobs …) and never reaches the checks after the schema.
 */
function plausible<F extends Record<string, fc.Arbitrary<unknown>>>(
  fields: F,
  required: readonly (keyof F & string)[],
): fc.Arbitrary<Record<string, unknown>> {
  const optional = Object.keys(fields).filter((key) => !required.includes(key));
  return fc
    .tuple(fc.record(fields), fc.subarray(optional, { maxLength: Math.min(4, optional.length) }))
    .map(([all, chosen]) => {
      const body: Record<string, unknown> = {};
      for (const key of Object.keys(fields))
        if (required.includes(key) || chosen.includes(key)) body[key] = (all as Record<string, unknown>)[key];
      return body;
    });
}
const plausibleChat = plausible(chatFields, ['model', 'messages']);
const plausibleEmbeddings = plausible(embeddingsFields, ['model', 'input']);

type Mutation = 'replace' | 'delete' | 'add-unknown' | 'add-polluter';

/** The body with one change at the `seed`-th place in it (a copy; pollution keys as own properties). */
function mutate(body: unknown, seed: number, value: unknown, mutation: Mutation): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const places = jsonPlaces(copy);
  const place = places[seed % Math.max(places.length, 1)];
  if (!place) return value;
  const [parent, key] = place;
  const target = (Array.isArray(parent) ? parent[key as number] : parent[key as string]) as unknown;
  switch (mutation) {
    case 'replace':
      if (Array.isArray(parent)) parent[key as number] = value;
      else parent[key as string] = value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 'add-unknown':
    case 'add-polluter': {
      const into =
        typeof target === 'object' && target !== null && !Array.isArray(target)
          ? (target as Record<string, unknown>)
          : copy;
      const name =
        mutation === 'add-unknown' ? 'x_unknown' : (['__proto__', 'constructor', 'prototype'][seed % 3] as string);
      Object.defineProperty(into, name, {
        value: mutation === 'add-unknown' ? value : polluters[seed % polluters.length],
        enumerable: true,
        writable: true,
        configurable: true,
      });
      break;
    }
  }
  return copy;
}

const withMutations = (plausible: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 2, arbitrary: plausible },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          plausible,
          fc.array(
            fc.tuple(
              fc.nat(),
              hostile,
              fc.constantFrom<Mutation>('replace', 'replace', 'delete', 'add-unknown', 'add-polluter'),
            ),
            { minLength: 1, maxLength: 2 },
          ),
        )
        .map(([body, mutations]) =>
          mutations.reduce((current, [seed, value, mutation]) => mutate(current, seed, value, mutation), body),
        ),
    },
    { weight: 1, arbitrary: hostile },
  );
const chatBody = withMutations(plausibleChat);
const embeddingsBody = withMutations(plausibleEmbeddings);

/** Bodies as raw bytes: broken JSON, invalid UTF-8, deep nesting, absurd numbers, pollution keys. */
const validChat = '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}';
const rawBody = fc.oneof(
  fc.nat({ max: validChat.length - 1 }).map((cut) => validChat.slice(0, cut)),
  fc
    .uint8Array({ minLength: 1, maxLength: 32 })
    .map(
      (bytes) =>
        new Uint8Array([
          ...new TextEncoder().encode('{"model":"gpt-4o","messages":[{"role":"user","content":"'),
          0xff,
          0xfe,
          ...bytes,
          0x22,
          0x7d,
          0x5d,
          0x7d,
        ]),
    ),
  fc.constantFrom('', '[]', 'null', '"x"', '1', 'true', '{}', '{"model":"gpt-4o"}', `\ufeff${validChat}`),
  fc
    .nat({ max: 6_000 })
    .map(
      (depth) => `{"model":"gpt-4o","messages":[{"role":"user","content":${'['.repeat(depth)}${']'.repeat(depth)}}]}`,
    ),
  fc
    .nat({ max: 6_000 })
    .map(
      (depth) =>
        `{"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"metadata":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
    ),
  fc
    .integer({ min: 1, max: 4_000 })
    .map(
      (depth) =>
        `{"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":${'{"type":"object","properties":{"a":'.repeat(depth)}{"type":"string"}${'}}'.repeat(depth)}}}]}`,
    ),
  fc
    .integer({ min: 1, max: 4_000 })
    .map(
      (depth) =>
        `{"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":${'{"type":"array","items":'.repeat(depth)}{"type":"string"}${'}'.repeat(depth)}}}}`,
    ),
  fc
    .constantFrom('1e999', '-1e999', '1e-999', '9007199254740993', '1E+400', '-0')
    .chain((number) =>
      fc
        .constantFrom('temperature', 'n', 'seed', 'max_tokens', 'top_p', 'top_k', 'top_logprobs')
        .map((field) => validChat.replace(/}$/, `,"${field}":${number}}`)),
    ),
  fc.constantFrom(
    '{"__proto__":{"model":"gpt-4o"},"model":"gpt-4o","messages":[{"role":"user","content":"x"}]}',
    '{"model":"gpt-4o","messages":[{"role":"user","content":"x","__proto__":{"role":"system"}}]}',
    '{"model":"gpt-4o","messages":[{"__proto__":{"role":"user","content":"x"}}]}',
    '{"model":"gpt-4o","constructor":{"prototype":{"polluted":"yes"}},"messages":[{"role":"user","content":"x"}]}',
    '{"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"google":{"__proto__":{"polluted":"yes"}}}',
    '{"model":"gpt-4o","messages":{"length":1,"0":{"role":"user","content":"x"}}}',
    `{"model":"gpt-4o","messages":[{"role":"user","content":"${'x'.repeat(1_000_000)}"}]}`,
    `{"model":"gpt-4o","messages":[${Array.from({ length: 2_000 }, () => '{"role":"user","content":"x"}').join(',')}]}`,
  ),
);

// Issue 12, generated: $ref fan-out (items 1), deep nesting anywhere a client's JSON goes (5), property names
// that are also Object.prototype's (10).

/** Definitions in `levels` layers, each referencing the one below `width` times: output grows as width^levels. */
const fanOutSchema = fc
  .record({
    levels: fc.integer({ min: 1, max: 3 }),
    width: fc.integer({ min: 1, max: 30 }),
    description: fc.nat({ max: 3_000 }),
    viaDefinitions: fc.boolean(),
  })
  .map(({ levels, width, description, viaDefinitions }) => {
    const where = viaDefinitions ? 'definitions' : '$defs';
    const defs: Record<string, unknown> = { L0: { type: 'string', description: 'd'.repeat(description) } };
    for (let i = 1; i <= levels; i++) {
      const properties = Object.fromEntries(
        Array.from({ length: width }, (_, k) => [`p${k}`, { $ref: `#/${where}/L${i - 1}` }]),
      );
      defs[`L${i}`] = { type: 'object', description: 'd'.repeat(description), properties };
    }
    return { $ref: `#/${where}/L${levels}`, [where]: defs };
  });
const amplifyingBody = fc
  .record({
    schemas: fc.array(fanOutSchema, { minLength: 1, maxLength: 8 }),
    format: fc.option(fanOutSchema, { nil: undefined }),
  })
  .map(({ schemas, format }) => ({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'x' }],
    tools: schemas.map((parameters, t) => ({ type: 'function', function: { name: `f${t}`, parameters } })),
    ...(format ? { response_format: { type: 'json_schema', json_schema: { name: 'n', schema: format } } } : {}),
  }));

/** A JSON text nested `depth` levels, as arrays or objects. */
const deepJson = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 0, max: 130 }), fc.integer({ min: 1_000, max: 20_000 })),
    kind: fc.constantFrom('array', 'object'),
  })
  .map(({ depth, kind }) =>
    kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );
const ask = '{"role":"user","content":"x"}';
const chatWith = (fields: string, messages = ask) =>
  `{"model":"gpt-4o","messages":[${messages}]${fields ? `,${fields}` : ''}}`;
const inSchema = (schema: string) =>
  chatWith(
    `"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":${schema}}}}}]`,
  );
const roundTrip = (args: string, result: string) =>
  `${ask},{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":${args}}}]},{"role":"tool","tool_call_id":"c","content":${result}}`;
/** Every place a client's JSON value goes, with the deep value put in. */
const deepPlaces: ((deep: string) => string)[] = [
  (deep) => chatWith('', roundTrip(JSON.stringify(deep), '"ok"')),
  (deep) => chatWith('', roundTrip('"{}"', JSON.stringify(deep))),
  (deep) => inSchema(`{"type":"array","default":${deep}}`),
  (deep) => inSchema(`{"enum":["x",${deep}]}`),
  (deep) => inSchema(`{"const":${deep}}`),
  (deep) =>
    chatWith(
      `"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object","properties":{"a":{"type":"string","default":${deep}}}}}}`,
    ),
  (deep) => chatWith(`"reasoning_effort":${deep}`),
  (deep) => chatWith(`"tool_choice":${deep}`),
  (deep) => chatWith(`"stop":${deep}`),
  (deep) => chatWith(`"metadata":{"a":${deep}}`),
  (deep) => chatWith(`"web_search_options":{"a":${deep}}`),
  (deep) => chatWith(`"response_format":{"type":${deep}}`),
  (deep) => chatWith('', `{"role":${deep},"content":"x"}`),
  (deep) => chatWith('', `{"role":"user","content":${deep}}`),
  (deep) => chatWith('', `{"role":"user","content":[{"type":"text","text":${deep}}]}`),
  (deep) => `{"model":"text-embedding-3-small","input":${deep}}`,
  (deep) => `{"model":"text-embedding-3-small","input":"x","encoding_format":${deep}}`,
];
const deepBody = fc
  .tuple(fc.nat({ max: deepPlaces.length - 1 }), deepJson)
  .map(([place, deep]) => (deepPlaces[place] as (deep: string) => string)(deep));

/** Object schemas whose property names include Object.prototype's, with `required` naming any of them. */
const prototypeName = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a', 'b');
const prototypeSchema: fc.Arbitrary<string> = fc.letrec<{ schema: string }>((tie) => ({
  schema: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'proto' },
    fc.constant('{"type":"string"}'),
    fc
      .tuple(
        fc.uniqueArray(fc.tuple(prototypeName, tie('schema')), {
          selector: ([name]) => name,
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(prototypeName, { maxLength: 3 }),
      )
      // As text: a JSON object literal is the only way a client sends an own `__proto__` key.
      .map(
        ([properties, required]) =>
          `{"type":"object","properties":{${properties.map(([name, schema]) => `"${name}":${schema}`).join(',')}},"required":${JSON.stringify(required)}}`,
      ),
  ),
})).schema;

function assertPrototypesClean(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.keys(Array.prototype)).toEqual([]);
}

describe('OpenAI surface under hostile input', () => {
  it('chat completions: never 5xx, errors in OpenAI’s shape naming the field, nothing Gemini would refuse goes upstream', {
    timeout: 60_000,
  }, async () => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    await fc.assert(
      fc.asyncProperty(chatBody, async (body) => {
        const before = calls.length;
        const outcome = await send(handler, '/v1/chat/completions', JSON.stringify(body));
        checkOutcome(outcome, body, calls.slice(before));
      }),
      { numRuns: 1_500 },
    );
    assertPrototypesClean();
  });

  it('embeddings: the same guarantees', { timeout: 60_000 }, async () => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    await fc.assert(
      fc.asyncProperty(embeddingsBody, async (body) => {
        const before = calls.length;
        const outcome = await send(handler, '/v1/embeddings', JSON.stringify(body));
        checkOutcome(outcome, body, calls.slice(before));
      }),
      { numRuns: 600 },
    );
    assertPrototypesClean();
  });

  it('raw bodies: broken JSON, invalid UTF-8, deep nesting, absurd numbers and pollution keys', {
    timeout: 60_000,
  }, async () => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    await fc.assert(
      fc.asyncProperty(
        rawBody,
        fc.constantFrom('/v1/chat/completions', '/chat/completions', '/v1/embeddings'),
        async (raw, path) => {
          const before = calls.length;
          const outcome = await send(handler, path, raw);
          let sent: unknown;
          try {
            sent = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: true }).decode(raw));
          } catch {
            sent = undefined;
          }
          checkOutcome(outcome, sent, calls.slice(before));
        },
      ),
      { numRuns: 300 },
    );
    assertPrototypesClean();
  });

  it('$ref fan-out in tools and response_format: a 400 naming the schema, or an upstream body within the request’s budget', {
    timeout: 60_000,
  }, async () => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    await fc.assert(
      fc.asyncProperty(amplifyingBody, async (body) => {
        const before = calls.length;
        const text = JSON.stringify(body);
        const outcome = await send(handler, '/v1/chat/completions', text);
        checkOutcome(outcome, body, calls.slice(before));
        if (outcome.status === 200) {
          const upstream = calls[calls.length - 1]?.body ?? '';
          expect(upstream.length).toBeLessThanOrEqual(text.length + createSchemaBudget(text.length, 4_500_000).limit);
        } else {
          expect((outcome.body as { error: { param: string } }).error.param).toMatch(
            /^(tools\[\d+\]\.function\.parameters|response_format\.json_schema\.schema)$/,
          );
        }
      }),
      { numRuns: 80 },
    );
  });

  it('JSON nested at any depth wherever a client’s value goes: never 5xx, a 400 names the field', {
    timeout: 60_000,
  }, async () => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    await fc.assert(
      fc.asyncProperty(deepBody, async (raw) => {
        const before = calls.length;
        const path = raw.includes('text-embedding') ? '/v1/embeddings' : '/v1/chat/completions';
        const outcome = await send(handler, path, raw);
        checkOutcome(outcome, JSON.parse(raw), calls.slice(before));
      }),
      { numRuns: 300 },
    );
  });

  it('schema properties named like Object.prototype’s reach the upstream with every name, and required agrees', {
    timeout: 60_000,
  }, async () => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    await fc.assert(
      fc.asyncProperty(prototypeSchema, fc.boolean(), async (schema, asFormat) => {
        const before = calls.length;
        const raw = asFormat
          ? chatWith(`"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":${schema}}}`)
          : chatWith(`"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]`);
        const outcome = await send(handler, '/v1/chat/completions', raw);
        const sent = JSON.parse(raw) as Record<string, unknown>;
        checkOutcome(outcome, sent, calls.slice(before));
        expect(outcome.status).toBe(200);
        const upstream = JSON.parse(calls[calls.length - 1]?.body ?? '{}') as {
          tools?: { functionDeclarations: { parameters?: unknown }[] }[];
          generationConfig?: { responseSchema?: unknown };
        };
        const converted = asFormat
          ? upstream.generationConfig?.responseSchema
          : upstream.tools?.[0]?.functionDeclarations[0]?.parameters;
        // Every property name sent is there, at every level (the names are the schema's own keys, not Gemini keywords).
        const names = (node: unknown): string[] => {
          if (typeof node !== 'object' || node === null) return [];
          const properties = (node as { properties?: Record<string, unknown> }).properties ?? {};
          return Object.entries(properties).flatMap(([name, child]) => [
            name,
            ...names(child).map((inner) => `${name}/${inner}`),
          ]);
        };
        expect(names(converted).sort()).toEqual(names(JSON.parse(schema)).sort());
      }),
      { numRuns: 300 },
    );
    assertPrototypesClean();
  });

  it('stays up: a valid request after all that is answered normally', async () => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    const outcome = await send(handler, '/v1/chat/completions', validChat);
    expect(outcome.status).toBe(200);
    expect(outcome.body).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'ok' } }] });
    expect(calls).toHaveLength(1);
  });
});

describe('generated special-purpose addresses, and clients that leave', () => {
  /** [prefix groups, prefix length]: IANA special-purpose IPv6 blocks, and ranges outside global unicast. */
  const BLOCKED_IPV6: readonly (readonly [readonly number[], number])[] = [
    [[0, 0, 0, 0, 0xffff, 0], 96], // IPv4-translated
    [[0, 0, 0, 0, 0, 0], 96], // IPv4-compatible, ::, ::1
    [[0x64, 0xff9b, 1], 48], // local-use IPv4/IPv6 translation
    [[0x100, 0, 0, 0], 64], // discard-only
    [[0x2001, 0], 23], // IETF protocol assignments, Teredo
    [[0x2001, 0xdb8], 32], // documentation
    [[0x3fff], 20], // documentation
    [[0xfc00], 7], // unique local
    [[0xfe80], 10], // link-local
    [[0xff00], 8], // multicast
    [[0x4000], 2], // outside 2000::/3
  ];
  const withPrefix = (prefix: readonly number[], bits: number, random: readonly number[]) =>
    random.map((value, i) => {
      const keep = Math.max(0, Math.min(16, bits - i * 16));
      const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
      return ((prefix[i] ?? 0) & mask) | (value & ~mask & 0xffff);
    });
  const groups = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });
  const spell = (address: number[], upper: boolean) => {
    const text = address.map((g) => g.toString(16)).join(':');
    return upper ? text.toUpperCase() : text;
  };
  const blockedIpv6 = fc
    .tuple(fc.constantFrom(...BLOCKED_IPV6), groups, fc.boolean())
    .map(([[prefix, bits], random, upper]) => spell(withPrefix(prefix, bits, random), upper));
  // IPv4-mapped, NAT64 and 6to4 addresses carrying a private IPv4 address.
  const privateV4 = fc.constantFrom(
    [127, 0, 0, 1],
    [10, 1, 2, 3],
    [169, 254, 169, 254],
    [192, 168, 0, 1],
    [100, 64, 0, 1],
    [0, 0, 0, 0],
  );
  const carryingPrivate = fc
    .tuple(privateV4, fc.constantFrom('::ffff:', '64:ff9b::', '2002:'))
    .map(([[a = 0, b = 0, c = 0, d = 0], prefix]) =>
      prefix === '2002:'
        ? `2002:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}::1`
        : `${prefix}${a}.${b}.${c}.${d}`,
    );
  const publicIpv6 = groups
    .map((random) => withPrefix([0x2000], 3, random))
    .filter(
      ([g0 = 0, g1 = 0]) =>
        g0 !== 0x2002 && !(g0 === 0x2001 && (g1 < 0x200 || g1 === 0xdb8)) && !(g0 === 0x3fff && g1 < 0x1000),
    )
    .map((address) => spell(address, false));
  const chatWithImage = (host: string) =>
    JSON.stringify({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `https://[${host}]/a.png` } }] }],
    });

  it('media URLs: any address in a special-purpose IPv6 block is refused before any fetch; global unicast is fetched', async () => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    await fc.assert(
      fc.asyncProperty(fc.oneof(blockedIpv6, carryingPrivate), async (host) => {
        const before = calls.length;
        const outcome = await send(handler, '/v1/chat/completions', chatWithImage(host));
        expect(outcome.status, `${host}: ${outcome.text}`).toBe(400);
        expect(outcome.body).toMatchObject({
          error: { param: 'messages[0].content[0].image_url.url', message: expect.stringContaining('not public') },
        });
        expect(calls.length).toBe(before);
      }),
      { numRuns: 400 },
    );
    await fc.assert(
      fc.asyncProperty(publicIpv6, async (host) => {
        const before = calls.length;
        const outcome = await send(handler, '/v1/chat/completions', chatWithImage(host));
        expect(outcome.status, `${host}: ${outcome.text}`).toBe(200);
        expect(
          calls.slice(before).some((call) => new URL(call.url).hostname === new URL(`https://[${host}]/`).hostname),
        ).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('a client that leaves a stream at any point is never logged as an upstream failure; an upstream that breaks always is', async () => {
    const encoder = new TextEncoder();
    const event = (text: string) =>
      encoder.encode(
        `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0 }] })}\r\n\r\n`,
      );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('client leaves', 'upstream breaks'),
        async (chunks, who) => {
          const logs: string[] = [];
          let breakUpstream = () => {};
          // The upstream streams `chunks` events, then holds the stream open: a real fetch errors its body when
          // its signal aborts, and so does this one.
          const fetchStub: typeof fetch = async (_input, init) => {
            let sent = 0;
            const body = new ReadableStream<Uint8Array>({
              start(controller) {
                const fail = (reason: unknown) => {
                  try {
                    controller.error(reason);
                  } catch {
                    // already closed
                  }
                };
                init?.signal?.addEventListener('abort', () => fail(init.signal?.reason), { once: true });
                breakUpstream = () => fail(new TypeError('terminated'));
              },
              pull(controller) {
                if (sent < chunks) controller.enqueue(event(`part ${sent++} `));
                else return new Promise<void>(() => {});
              },
            });
            return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
          };
          const handler = createGateway({
            env: { GEMINI_BASE_URL: UPSTREAM, LOG_LEVEL: 'info' },
            deps: {
              fetch: fetchStub,
              now: () => 1_700_000_000_000,
              newId: () => 'id',
              logSink: (line) => logs.push(line),
            },
          });
          const client = new AbortController();
          const response = await handler(
            new Request('https://gw.test/v1/chat/completions', {
              method: 'POST',
              headers: { authorization: 'Bearer k1', 'content-type': 'application/json' },
              body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] }),
              signal: client.signal,
            }),
          );
          const reader = response.body!.getReader();
          expect((await reader.read()).done).toBe(false);
          if (who === 'client leaves') {
            client.abort();
            // As a server does: the response is cancelled after the abort has gone round, not at once.
            await new Promise((resolve) => setTimeout(resolve, 0));
            await reader.cancel().catch(() => {});
          } else {
            breakUpstream();
            while (!(await reader.read()).done);
          }
          await new Promise((resolve) => setTimeout(resolve, 0));
          const warnings = logs
            .map((line) => JSON.parse(line) as { level: string; event: string })
            .filter((record) => record.level !== 'info');
          if (who === 'client leaves') expect(warnings).toEqual([]);
          else expect(warnings).toMatchObject([{ level: 'warn', event: 'openai stream ended with an error' }]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('adversarial cases, one by one', () => {
  it.each([
    [
      'a data URL with a base64 length no decoder accepts',
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAAA' } },
      'messages[0].content[0].image_url.url',
    ],
    [
      'a data URL with one base64 character',
      { type: 'image_url', image_url: { url: 'data:image/png;base64,A' } },
      'messages[0].content[0].image_url.url',
    ],
    [
      'input_audio data that is not base64',
      { type: 'input_audio', input_audio: { data: '!!!not base64!!!', format: 'wav' } },
      'messages[0].content[0].input_audio.data',
    ],
    [
      'file_data that is not base64',
      { type: 'file', file: { file_data: '%%%%', filename: 'a.pdf' } },
      'messages[0].content[0].file.file_data',
    ],
  ])('%s is a 400 naming the part, not an upstream call', async (_name, part, param) => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: [part] }] };
    const outcome = await send(handler, '/v1/chat/completions', JSON.stringify(body));
    expect(outcome.status, outcome.text).toBe(400);
    expect(outcome.body).toMatchObject({ error: { param, type: 'invalid_request_error' } });
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['a tool call id whose signature part is not base64', 'call_x__a', undefined],
    ['a tool call id with an empty signature part', 'call_z__', undefined],
    ['an extra_content signature that is not base64', 'call_1', '===='],
  ])('%s never sends an invalid thoughtSignature upstream', async (_name, id, signature) => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    const extra = signature === undefined ? {} : { extra_content: { google: { thought_signature: signature } } };
    const body = {
      model: 'gemini-3.1-pro-preview',
      messages: [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id, type: 'function', function: { name: 'f', arguments: '{}' } }, ...[]].map((call) => ({
            ...call,
            ...extra,
          })),
        },
        { role: 'tool', tool_call_id: id, content: 'ok' },
      ],
    };
    const outcome = await send(handler, '/v1/chat/completions', JSON.stringify(body));
    expect(outcome.status).toBeLessThan(500);
    for (const call of calls) expect(upstreamRejection(call), call.body).toBeUndefined();
  });

  it.each([
    ['max_tokens', 2 ** 31],
    ['max_completion_tokens', 2 ** 40],
    ['top_k', 2 ** 31],
    ['seed', 2 ** 31],
    ['n', 2 ** 31],
  ])('%s %d beyond Gemini’s int32 is a 400 naming it, not an upstream call', async (field, value) => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    const outcome = await send(handler, '/v1/chat/completions', validChat.replace(/}$/, `,"${field}":${value}}`));
    expect(outcome.status, outcome.text).toBe(400);
    expect(outcome.body).toMatchObject({ error: { param: field } });
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['/v1/embeddings', { model: 'text-embedding-3-small' }, 'input'],
    ['/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user' }] }, 'messages[0].content'],
    [
      '/v1/chat/completions',
      { model: 'gpt-4o', messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id',
    ],
  ])('%s without a required field says it is missing: %j', async (path, body, param) => {
    const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
    const outcome = await send(handler, path, JSON.stringify(body));
    expect(outcome.status).toBe(400);
    expect(outcome.body).toEqual({
      error: {
        message: `Missing required parameter: '${param}'.`,
        type: 'invalid_request_error',
        param,
        code: 'missing_required_parameter',
      },
    });
    expect(calls).toHaveLength(0);
  });

  it.each(['bad name', 'x'.repeat(65), 'a/b'])(
    'the function name %j that OpenAI and Gemini refuse is a 400 naming it',
    async (name) => {
      const { handler, calls } = gatewayWithStub({ fallback: healthyUpstream });
      const body = {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ type: 'function', function: { name } }],
      };
      const outcome = await send(handler, '/v1/chat/completions', JSON.stringify(body));
      expect(outcome.status, outcome.text).toBe(400);
      expect(outcome.body).toMatchObject({ error: { param: 'tools[0].function.name' } });
      expect(calls).toHaveLength(0);
    },
  );
});
