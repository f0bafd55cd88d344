/**
 * The handler's own cost, with the network taken out: a stubbed `fetch` answers canned Gemini bytes at
 * once, so what is timed is the gateway's work per request (and per streamed chunk) and, side by side, the
 * same for the trivial forwarder. Free of Node APIs: it runs in Node and, bundled, inside the Edge Runtime VM.
 */
import { parseMessagesRequest } from '../../src/anthropic/parse-messages-request';
import { resolveClaudeModel } from '../../src/anthropic/resolve-claude-model';
import { toGeminiRequest as toGeminiFromMessages } from '../../src/anthropic/to-gemini-request';
import { createGateway } from '../../src/gateway';
import { assertModelName } from '../../src/gemini/assert-model-name';
import { createSseDecoder } from '../../src/gemini/decode-sse-stream';
import type { GeminiGenerateContentRequest } from '../../src/gemini/gemini-types';
import { resolveModel } from '../../src/gemini/resolve-model';
import { type ContentMemo, createContentMemo } from '../../src/http/content-memo';
import { parseWithSchema } from '../../src/http/parse-with-schema';
import { chatRequestSchema } from '../../src/openai/chat/chat-request-schema';
import { fromGeminiChunks } from '../../src/openai/chat/from-gemini-chunks';
import { parseChatRequest } from '../../src/openai/chat/parse-chat-request';
import { toGeminiRequest } from '../../src/openai/chat/to-gemini-request';
import { parseResponsesRequest } from '../../src/responses/parse-responses-request';
import { toGeminiRequest as toGeminiFromResponses } from '../../src/responses/to-gemini-request';
import { generateContentRequest } from '../../src/upstream/generate-content-request';
import { asChatRequest, surfaceOf } from './as-chat-request';
import {
  chatRequest,
  generateReplyBytes,
  NATIVE_GENERATE_PATH,
  NATIVE_STREAM_PATH,
  nativeRequest,
  streamReplyBytes,
} from './fixtures';
import { median } from './stats';
import { createTrivialForwarder } from './trivial-forwarder';

/** Microsecond clocks of the host: CPU time of the process, and wall time. */
export interface Clock {
  cpu(): number;
  wall(): number;
}

export interface InProcessOptions {
  clock: Clock;
  rounds: number;
  /** Scales iteration counts (1 = full run; less for a quick look). */
  scale: number;
  /** Streamed chunks per stream reply. */
  chunks: number;
  logLevel?: string;
  /** Only these scenarios (default: all). */
  only?: readonly string[];
  /** Real clients' recorded requests (test/agents/fixtures/*-first-request.json, read by run.ts), timed like the rest. */
  recorded?: readonly RecordedRequest[];
}

/**
 * A request a real client sent, as test/agents records it: its path, headers and body. Its credential is
 * replaced by the bench's key; a `stream: true` body is timed per streamed chunk, like (b).
 */
export interface RecordedRequest {
  /** The scenario's name: the fixture's, e.g. `claude-code` for claude-code-first-request.json. */
  name: string;
  method: string;
  /** Path and query, e.g. `/v1/messages?beta=true`. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface Side {
  cpuUs: number;
  wallUs: number;
}

export interface Measurement {
  /** One of the four fixed scenarios, or a recorded request's name. */
  scenario: 'chat' | 'chat-stream' | 'native' | 'native-stream' | (string & {});
  /** What one unit is: a whole request, or one streamed chunk (the request's cost divided by the chunk count). */
  unit: 'request' | 'chunk';
  gateway: Side;
  floor: Side;
  /** Median over rounds of (gateway − floor), CPU µs per unit. */
  addedCpuUs: number;
  /** Median over rounds of gateway / floor, CPU (each round's pair ran back to back). */
  ratio: number;
}

/** A recorded request that was not timed, and why. */
export interface Skipped {
  scenario: string;
  unit: Measurement['unit'];
  skipped: string;
}

/** A request's own steps, each timed alone (CPU µs per request, median of rounds). */
export interface RequestSteps {
  parse: number;
  validate: number;
  convert: number;
  serialise: number;
  total: number;
}

/** The chat surface's own steps, each timed alone (CPU µs, median of rounds). */
export interface Steps {
  /** Per request: the client's JSON text → validated → Gemini body → its JSON text. */
  request: RequestSteps;
  /**
   * The same per recorded request (not streamed), through its own surface and, as asChatRequest, through
   * the chat surface: what the two surfaces' request sides cost on one conversation.
   */
  recorded: { scenario: string; surface: RequestSteps; asChat: RequestSteps }[];
  /** Per streamed chunk: bytes → SSE event data → JSON → chat.completion.chunk text → bytes. */
  chunk: { decode: number; parse: number; convert: number; encode: number; total: number };
}

const UPSTREAM = 'https://upstream.bench';
const ORIGIN = 'https://gateway.bench';
const KEY = 'AIzaBenchKey0000000000000000000000000000';
const encoder = new TextEncoder();

/** A fetch that answers instantly: generateContent with its JSON, streamGenerateContent with one chunk per pull. */
function stubFetch(chunks: number): typeof fetch {
  const reply = generateReplyBytes();
  const events = streamReplyBytes(chunks);
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    await consume(init?.body);
    if (!url.includes(':streamGenerateContent')) {
      return new Response(reply, { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' } });
    }
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (next < events.length) controller.enqueue(events[next++] as Uint8Array);
        else controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }) as typeof fetch;
}

/** What a real fetch does with the body before sending: a string is encoded, a stream read. */
async function consume(body: BodyInit | null | undefined): Promise<void> {
  if (typeof body === 'string') encoder.encode(body);
  else if (body instanceof ReadableStream) await drain(body);
}

async function drain(body: ReadableStream<Uint8Array> | null): Promise<number> {
  if (!body) return 0;
  const reader = body.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

interface Scenario {
  name: Measurement['scenario'];
  unit: Measurement['unit'];
  iterations: number;
  request: () => Request;
  /** The floor's request: the same bytes, to the upstream path the gateway would call. */
  floorRequest: () => Request;
  /** Throws unless the answer is the success the scenario means to time. */
  check: (status: number, text: string) => void;
  checkFloor: (status: number, text: string) => void;
  /** Scenarios with the same key (a recorded request's variant and its chat twin) are timed in interleaved rounds. */
  pair?: string;
}

function scenarios(options: InProcessOptions): Scenario[] {
  const chatBody = JSON.stringify(chatRequest(false));
  const chatStreamBody = JSON.stringify(chatRequest(true));
  const nativeBody = JSON.stringify(nativeRequest());
  const openai = (body: string) => () =>
    new Request(`${ORIGIN}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body,
    });
  const native =
    (path: string, body = nativeBody) =>
    () =>
      new Request(`${ORIGIN}${path}`, {
        method: 'POST',
        headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
        body,
      });
  const streamPath = `${NATIVE_STREAM_PATH}?alt=sse`;
  const iterations = (n: number) => Math.max(3, Math.round(n * options.scale));
  const expect = (condition: boolean, what: string) => {
    if (!condition) throw new Error(`bench: unexpected answer: ${what}`);
  };
  const events = (text: string) => text.split('data: ').length - 1;
  const whole = (status: number, text: string) =>
    expect(status === 200 && text.includes('"candidates"'), `floor ${status} ${text.slice(0, 200)}`);
  const streamed = (status: number, text: string) =>
    expect(status === 200 && events(text) === options.chunks, `floor stream ${status} ${events(text)} events`);
  return [
    {
      name: 'chat',
      unit: 'request',
      iterations: iterations(100),
      request: openai(chatBody),
      floorRequest: native(NATIVE_GENERATE_PATH, chatBody),
      checkFloor: whole,
      check: (status, text) =>
        expect(
          status === 200 && (text.includes('"chat.completion"') || text.includes('"candidates"')),
          `chat ${status} ${text.slice(0, 200)}`,
        ),
    },
    {
      name: 'chat-stream',
      unit: 'chunk',
      iterations: iterations(10),
      request: openai(chatStreamBody),
      floorRequest: native(streamPath, chatStreamBody),
      checkFloor: streamed,
      check: (status, text) =>
        expect(
          status === 200 && events(text) >= options.chunks,
          `chat stream ${status} ${events(text)} events ${text.slice(-200)}`,
        ),
    },
    {
      name: 'native',
      unit: 'request',
      iterations: iterations(100),
      request: native(NATIVE_GENERATE_PATH),
      floorRequest: native(NATIVE_GENERATE_PATH),
      checkFloor: whole,
      check: (status, text) =>
        expect(status === 200 && text.includes('"candidates"'), `native ${status} ${text.slice(0, 200)}`),
    },
    {
      name: 'native-stream',
      unit: 'chunk',
      iterations: iterations(10),
      request: native(streamPath),
      floorRequest: native(streamPath),
      checkFloor: streamed,
      check: (status, text) =>
        expect(status === 200 && events(text) === options.chunks, `native stream ${status} ${events(text)} events`),
    },
    ...(options.recorded ?? []).flatMap((recorded) => recordedScenarios(recorded, options, native, streamed, whole)),
  ];
}

/**
 * A recorded request as four scenarios: as recorded and with the other `stream` value (the surface's
 * whole request, and its stream per chunk), and the same conversation sent to the OpenAI chat surface both
 * ways (asChatRequest), for a comparison on a request of the same size and content. A request of a path
 * the bench cannot pair is timed as it is, alone.
 */
function recordedScenarios(
  recorded: RecordedRequest,
  options: InProcessOptions,
  native: (path: string, body?: string) => () => Request,
  streamed: (status: number, text: string) => void,
  whole: (status: number, text: string) => void,
): Scenario[] {
  const iterations = (n: number) => Math.max(3, Math.round(n * options.scale));
  const parsed = JSON.parse(recorded.body) as Record<string, unknown>;
  const surface = surfaceOf(recorded.url);
  const variants: { name: string; url: string; headers: Record<string, string>; body: string; stream: boolean }[] = [];
  const bodyWith = (stream: boolean) =>
    parsed.stream === stream ? recorded.body : JSON.stringify({ ...parsed, stream });
  const headers = withBenchKey(recorded.headers);
  if (!surface)
    variants.push({
      name: recorded.name,
      url: recorded.url,
      headers,
      body: recorded.body,
      stream: parsed.stream === true,
    });
  else {
    // The same client headers (user agent, SDK headers …): building a Request copies them and the gateway
    // reads them, so the twin carries them too. Not Anthropic's key and version headers, which pick its
    // surface's key and error shape.
    const { 'x-api-key': _key, 'anthropic-version': _version, ...chatHeaders } = headers;
    for (const stream of [false, true]) {
      const suffix = stream ? '-stream' : '';
      variants.push({ name: `${recorded.name}${suffix}`, url: recorded.url, headers, body: bodyWith(stream), stream });
      variants.push({
        name: `${recorded.name}-as-chat${suffix}`,
        url: '/v1/chat/completions',
        headers: chatHeaders,
        body: JSON.stringify(asChatRequest(surface, { ...parsed, stream })),
        stream,
      });
    }
  }
  const expect = (condition: boolean, what: string) => {
    if (!condition) throw new Error(`bench: unexpected answer: ${what}`);
  };
  return variants.map(
    (variant): Scenario => ({
      name: variant.name,
      unit: variant.stream ? 'chunk' : 'request',
      iterations: iterations(variant.stream ? 10 : 100),
      request: () =>
        new Request(`${ORIGIN}${variant.url}`, {
          method: recorded.method,
          headers: variant.headers,
          body: variant.body,
        }),
      // The floor forwards the same bytes to the Gemini call the surface makes.
      floorRequest: variant.stream
        ? native(`${NATIVE_STREAM_PATH}?alt=sse`, variant.body)
        : native(NATIVE_GENERATE_PATH, variant.body),
      checkFloor: variant.stream ? streamed : whole,
      ...(surface !== undefined ? { pair: `${recorded.name}${variant.stream ? '-stream' : ''}` } : {}),
      check: (status, text) =>
        expect(
          status === 200 && (variant.stream ? text.split('data: ').length > 1 : text.startsWith('{')),
          `${variant.name} ${status} ${text.slice(0, 200)}`,
        ),
    }),
  );
}

/** The recorded headers without the client's credential and connection headers, with the bench's key. */
function withBenchKey(recorded: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded)) {
    if (
      !['authorization', 'x-api-key', 'host', 'content-length', 'accept-encoding', 'connection'].includes(
        name.toLowerCase(),
      )
    )
      headers[name] = value;
  }
  headers.authorization = `Bearer ${KEY}`;
  if (Object.keys(recorded).some((name) => name.toLowerCase() === 'x-api-key')) headers['x-api-key'] = KEY;
  return headers;
}

/**
 * Each scenario's measurement. A recorded request whose surface this tree does not have yet (its first
 * answer is not the 200 it means to time) is left out with `skipped`, not timed as an error path.
 */
export async function runInProcess(options: InProcessOptions): Promise<(Measurement | Skipped)[]> {
  const fetchStub = stubFetch(options.chunks);
  const env: Record<string, string> = { GEMINI_BASE_URL: UPSTREAM };
  if (options.logLevel) env.LOG_LEVEL = options.logLevel;
  const gateway = createGateway({ env, deps: { fetch: fetchStub, logSink: () => {} } });
  const floor = createTrivialForwarder(UPSTREAM, fetchStub);
  const { clock } = options;

  const once = async (side: 'gateway' | 'floor', scenario: Scenario) => {
    const response = side === 'gateway' ? await gateway(scenario.request()) : await floor(scenario.floorRequest());
    (side === 'gateway' ? scenario.check : scenario.checkFloor)(response.status, await response.text());
  };
  const batch = async (side: 'gateway' | 'floor', scenario: Scenario): Promise<Side> => {
    const handler = side === 'gateway' ? gateway : floor;
    const request = side === 'gateway' ? scenario.request : scenario.floorRequest;
    const cpu = clock.cpu();
    const wall = clock.wall();
    for (let i = 0; i < scenario.iterations; i++) {
      const response = await handler(request());
      await drain(response.body);
    }
    const per = scenario.iterations * (scenario.unit === 'chunk' ? options.chunks : 1);
    return { cpuUs: (clock.cpu() - cpu) / per, wallUs: (clock.wall() - wall) / per };
  };

  const results: (Measurement | Skipped)[] = [];
  const recorded = new Set((options.recorded ?? []).map((r) => r.name));
  const selected = scenarios(options).filter((s) => !options.only || options.only.includes(s.name));
  // A recorded request and its chat twin share most of the gateway's code: timed one after the other, the
  // second would run on code the first had warmed up (V8 takes thousands of requests to settle), so a pair's
  // rounds are interleaved.
  const groups: Scenario[][] = [];
  for (const scenario of selected) {
    const last = groups[groups.length - 1];
    if (scenario.pair !== undefined && last?.[0]?.pair === scenario.pair) last.push(scenario);
    else groups.push([scenario]);
  }
  for (const group of groups) {
    const live: Scenario[] = [];
    for (const scenario of group) {
      try {
        await once('gateway', scenario);
      } catch (error) {
        if (!recorded.has(scenario.name)) throw error;
        results.push({
          scenario: scenario.name,
          unit: scenario.unit,
          skipped: error instanceof Error ? error.message : String(error),
        });
        continue;
      }
      await once('floor', scenario);
      live.push(scenario);
    }
    // Warm-up: let the JIT settle on both before anything counts.
    for (const scenario of live) {
      await batch('gateway', scenario);
      await batch('floor', scenario);
    }
    const sides = live.map(() => ({
      gateway: [] as Side[],
      floor: [] as Side[],
      added: [] as number[],
      ratios: [] as number[],
    }));
    for (let round = 0; round < options.rounds; round++) {
      // Alternate the order so drift (GC, thermal, neighbours) does not favour one side or one scenario.
      const first = round % 2 === 0;
      for (const k of first ? live.keys() : [...live.keys()].reverse()) {
        const scenario = live[k] as Scenario;
        const side = sides[k] as (typeof sides)[number];
        const a = await batch(first ? 'gateway' : 'floor', scenario);
        const b = await batch(first ? 'floor' : 'gateway', scenario);
        const [g, f] = first ? [a, b] : [b, a];
        side.gateway.push(g);
        side.floor.push(f);
        side.added.push(g.cpuUs - f.cpuUs);
        side.ratios.push(g.cpuUs / f.cpuUs);
      }
    }
    live.forEach((scenario, k) => {
      const side = sides[k] as (typeof sides)[number];
      results.push({
        scenario: scenario.name,
        unit: scenario.unit,
        gateway: { cpuUs: median(side.gateway.map((s) => s.cpuUs)), wallUs: median(side.gateway.map((s) => s.wallUs)) },
        floor: { cpuUs: median(side.floor.map((s) => s.cpuUs)), wallUs: median(side.floor.map((s) => s.wallUs)) },
        addedCpuUs: median(side.added),
        ratio: median(side.ratios),
      });
    });
  }
  return results;
}

/** Times `run` (which does `units` units of work) over rounds; CPU µs per unit, median. */
function time(clock: Clock, rounds: number, units: number, run: () => void): number {
  run();
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = clock.cpu();
    run();
    samples.push((clock.cpu() - start) / units);
  }
  return median(samples);
}

export function measureSteps(options: InProcessOptions): Steps {
  const { clock, rounds } = options;
  const repeat = (n: number, work: () => void) => () => {
    for (let i = 0; i < n; i++) work();
  };
  const n = Math.max(5, Math.round(200 * options.scale));
  const text = JSON.stringify(chatRequest(false));
  const parsed: unknown = JSON.parse(text);
  const chat = parseWithSchema(chatRequestSchema, parsed);
  const model = resolveModel(chat.model, new Map());
  // The gateway's memo, as a repeated tool list meets it: converted once, serialised once (recall-gemini-tools).
  const memo = createContentMemo();
  const body = toGeminiRequest(chat, { model, media: new Map(), memo });
  const parse = time(
    clock,
    rounds,
    n,
    repeat(n, () => JSON.parse(text)),
  );
  const validate = time(
    clock,
    rounds,
    n,
    repeat(n, () => parseChatRequest(parsed)),
  );
  const convert = time(
    clock,
    rounds,
    n,
    repeat(n, () => toGeminiRequest(chat, { model, media: new Map(), memo })),
  );
  const serialise = time(
    clock,
    rounds,
    n,
    repeat(n, () => generateContentRequest(model, body, false, memo).body),
  );

  const bytes = streamReplyBytes(options.chunks);
  const events: string[] = [];
  const split = () => {
    events.length = 0;
    const decoder = new TextDecoder();
    const push = createSseDecoder((data) => events.push(data));
    for (const chunk of bytes) push(decoder.decode(chunk, { stream: true }));
  };
  split();
  const values = events.map((data) => JSON.parse(data) as unknown);
  const outputs: string[] = [];
  const meta = {
    id: 'chatcmpl-bench',
    created: 1_700_000_000,
    model: 'gemini-3.8-flash',
    newToolCallId: () => 'call',
    logprobs: false,
  };
  const convertAll = () => {
    outputs.length = 0;
    const converter = fromGeminiChunks(meta, true);
    for (const value of values) {
      let out = '';
      converter.push(value, (json) => {
        out += `data: ${json}\n\n`;
      });
      outputs.push(out);
    }
  };
  convertAll();
  const m = Math.max(3, Math.round(20 * options.scale));
  const units = m * bytes.length;
  const chunkDecode = time(clock, rounds, units, repeat(m, split));
  const chunkParse = time(
    clock,
    rounds,
    units,
    repeat(m, () => {
      for (const data of events) JSON.parse(data);
    }),
  );
  const chunkConvert = time(clock, rounds, units, repeat(m, convertAll));
  const chunkEncode = time(
    clock,
    rounds,
    units,
    repeat(m, () => {
      for (const out of outputs) encoder.encode(out);
    }),
  );
  return {
    request: { parse, validate, convert, serialise, total: parse + validate + convert + serialise },
    recorded: (options.recorded ?? []).flatMap((recorded) => {
      const surface = surfaceOf(recorded.url);
      if (!surface) return [];
      const json = { ...(JSON.parse(recorded.body) as Record<string, unknown>), stream: false };
      const own = JSON.stringify(json);
      const twin = JSON.stringify(asChatRequest(surface, json));
      const timeOwn = () =>
        surface === 'anthropic'
          ? timeRequestSteps(clock, rounds, n, own, messagesSteps)
          : timeRequestSteps(clock, rounds, n, own, responsesSteps);
      const timeTwin = () => timeRequestSteps(clock, rounds, n, twin, chatSteps);
      // Both surfaces share the Gemini-side code (tool schemas, the JSON writer): whichever ran first would
      // leave it warmed up for the other, so both run once untimed before either is timed.
      timeOwn();
      timeTwin();
      return [{ scenario: recorded.name, surface: timeOwn(), asChat: timeTwin() }];
    }),
    chunk: {
      decode: chunkDecode,
      parse: chunkParse,
      convert: chunkConvert,
      encode: chunkEncode,
      total: chunkDecode + chunkParse + chunkConvert + chunkEncode,
    },
  };
}

/** A surface's request side in two steps: validate the parsed JSON, convert it to the Gemini body. */
interface SurfaceSteps<T> {
  validate(json: unknown): T;
  convert(request: T, memo: ContentMemo): GeminiGenerateContentRequest;
}

const chatSteps: SurfaceSteps<ReturnType<typeof parseChatRequest>> = {
  validate: parseChatRequest,
  convert: (request, memo) =>
    toGeminiRequest(request, {
      model: assertModelName(resolveModel(request.model, new Map())),
      media: new Map(),
      memo,
    }),
};
const messagesSteps: SurfaceSteps<ReturnType<typeof parseMessagesRequest>> = {
  validate: parseMessagesRequest,
  convert: (request, memo) =>
    toGeminiFromMessages(request, { model: resolveClaudeModel(request.model, new Map()), media: new Map(), memo }),
};
const responsesSteps: SurfaceSteps<ReturnType<typeof parseResponsesRequest>> = {
  validate: parseResponsesRequest,
  convert: (request, memo) =>
    toGeminiFromResponses(request, {
      model: assertModelName(resolveModel(request.model, new Map())),
      media: new Map(),
      memo,
    }).body,
};

/** The JSON text of a request → validated → Gemini body → its JSON text, each step timed alone. */
function timeRequestSteps<T>(
  clock: Clock,
  rounds: number,
  n: number,
  text: string,
  steps: SurfaceSteps<T>,
): RequestSteps {
  const repeat = (work: () => void) => () => {
    for (let i = 0; i < n; i++) work();
  };
  const json: unknown = JSON.parse(text);
  const request = steps.validate(json);
  const memo = createContentMemo();
  const body = steps.convert(request, memo);
  const parse = time(
    clock,
    rounds,
    n,
    repeat(() => JSON.parse(text)),
  );
  const validate = time(
    clock,
    rounds,
    n,
    repeat(() => steps.validate(json)),
  );
  const convert = time(
    clock,
    rounds,
    n,
    repeat(() => steps.convert(request, memo)),
  );
  const serialise = time(
    clock,
    rounds,
    n,
    repeat(() => generateContentRequest('gemini', body, false, memo).body),
  );
  return { parse, validate, convert, serialise, total: parse + validate + convert + serialise };
}
