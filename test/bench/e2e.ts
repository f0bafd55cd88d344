/**
 * End to end over loopback HTTP: the same client calls the fake upstream directly, through the trivial
 * forwarder and through the gateway (each server in its own process), sequentially for latency, 32 at a time
 * for throughput, and with 2000-chunk streams.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chatRequest, NATIVE_GENERATE_PATH, NATIVE_STREAM_PATH, nativeRequest } from './fixtures';
import type { ServerMessage, ServerReply } from './serve';
import { median, percentile } from './stats';

export interface E2EOptions {
  /** Sequential requests per target for latency. */
  sequential: number;
  /** Seconds of load per target for throughput. */
  loadSeconds: number;
  concurrency: number;
  streamChunks: number;
  streamRuns: number;
}

export interface Latency {
  p50Ms: number;
  p99Ms: number;
}

export interface E2EResult {
  latency: Record<Target, Latency>;
  /** p50/p99 minus direct's, ms. */
  added: Record<Exclude<Target, 'direct'>, Latency>;
  throughput: Record<Target, { rps: number; shareOfDirect: number }>;
  /** Median time to the last byte of one stream, ms. */
  stream: Record<'direct' | 'forwarder' | 'gateway-native' | 'gateway-openai', number>;
  memory: Record<'gateway' | 'forwarder', Memory>;
  /** The Node flags the gateway and the forwarder ran with. */
  serverFlags: string[];
}

export interface Memory {
  idleRss: number;
  /** The process's RSS high-water mark (the kernel's maxrss) at the end. */
  peakRss: number;
  /** The high-water mark after each phase, and the V8 heap then. */
  phases: { phase: string; peakRss: number; rss: number; heapTotal: number; heapUsed: number; external: number }[];
}

type Target = 'direct' | 'forwarder' | 'gateway-native' | 'gateway-openai';

const KEY = 'AIzaBenchKey0000000000000000000000000000';
const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
const RUN_BUNDLED = fileURLToPath(new URL('../../src/local/run-bundled.mjs', import.meta.url));
/** The Node flags of `npm start` (package.json's start script), so the servers measured run as the local server does. */
const START_FLAGS = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));
/** BENCH_EXTRA_FLAGS come after them, so they can also undo one (V8 takes a flag's last value). */
const SERVER_FLAGS = [...START_FLAGS, ...(process.env.BENCH_EXTRA_FLAGS?.split(/\s+/).filter(Boolean) ?? [])];

class Server {
  private waiting: ((reply: ServerReply) => void)[] = [];
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (reply: ServerReply) => this.waiting.shift()?.(reply));
  }

  static start(kind: string, upstream = ''): Promise<Server> {
    // Bundled and run on plain Node with `npm start`'s flags, as `npm start` runs the gateway; the fake
    // upstream is not measured and runs without them.
    const flags = kind === 'fake' ? [] : SERVER_FLAGS;
    const child = fork(RUN_BUNDLED, [SERVE, kind, upstream], {
      execArgv: flags,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`bench: ${kind} server exited with ${code}`)));
      child.once('message', (reply: ServerReply) => {
        if (reply.type === 'ready') resolve(new Server(child, reply.url));
      });
    });
  }

  ask(message: ServerMessage): Promise<ServerReply> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send(message);
    });
  }

  stop(): void {
    this.child.removeAllListeners('exit');
    this.child.kill();
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

interface Sent {
  status: number;
  body: Buffer;
  ms: number;
}

function send(url: string, path: string, headers: Record<string, string>, body: Buffer): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = httpRequest(
      `${url}${path}`,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Call {
  url: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  check: (sent: Sent) => boolean;
}

async function call(target: Call): Promise<Sent> {
  const sent = await send(target.url, target.path, target.headers, target.body);
  if (!target.check(sent))
    throw new Error(
      `bench: unexpected answer from ${target.url}${target.path}: ${sent.status} ${sent.body.toString().slice(0, 300)}`,
    );
  return sent;
}

export async function runE2E(options: E2EOptions, log: (line: string) => void): Promise<E2EResult> {
  const fake = await Server.start('fake');
  const gateway = await Server.start('gateway', fake.url);
  const forwarder = await Server.start('forwarder', fake.url);
  try {
    const memory: E2EResult['memory'] = {
      gateway: { idleRss: 0, peakRss: 0, phases: [] },
      forwarder: { idleRss: 0, peakRss: 0, phases: [] },
    };
    const sample = async (phase: string) => {
      for (const [name, server] of [
        ['gateway', gateway],
        ['forwarder', forwarder],
      ] as const) {
        const reply = await server.ask({ type: 'memory' });
        if (reply.type !== 'memory') continue;
        if (phase === 'idle') memory[name].idleRss = reply.rss;
        memory[name].peakRss = reply.peakRss;
        memory[name].phases.push({
          phase,
          peakRss: reply.peakRss,
          rss: reply.rss,
          heapTotal: reply.heapTotal,
          heapUsed: reply.heapUsed,
          external: reply.external,
        });
      }
    };
    await sample('idle');

    const nativeBody = Buffer.from(JSON.stringify(nativeRequest()));
    const chatBody = Buffer.from(JSON.stringify(chatRequest(false)));
    const json = { 'content-type': 'application/json' };
    const ok = (sent: Sent) => sent.status === 200;
    const native = (url: string): Call => ({
      url,
      path: NATIVE_GENERATE_PATH,
      headers: { ...json, 'x-goog-api-key': KEY },
      body: nativeBody,
      check: ok,
    });
    const targets: Record<Target, Call> = {
      direct: native(fake.url),
      forwarder: native(forwarder.url),
      'gateway-native': native(gateway.url),
      'gateway-openai': {
        url: gateway.url,
        path: '/v1/chat/completions',
        headers: { ...json, authorization: `Bearer ${KEY}` },
        body: chatBody,
        check: ok,
      },
    };
    const names = Object.keys(targets) as Target[];

    log('e2e: sequential latency');
    const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Target, number[]>;
    for (const name of names) for (let i = 0; i < 50; i++) await call(targets[name]);
    // Interleaved in rounds, so a slow moment of the machine does not land on one target only.
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      for (const name of names) {
        for (let i = 0; i < Math.ceil(options.sequential / rounds); i++)
          samples[name].push((await call(targets[name])).ms);
      }
    }
    const latency = Object.fromEntries(
      names.map((name) => [name, { p50Ms: percentile(samples[name], 50), p99Ms: percentile(samples[name], 99) }]),
    ) as Record<Target, Latency>;
    const added = Object.fromEntries(
      names
        .filter((name) => name !== 'direct')
        .map((name) => [
          name,
          { p50Ms: latency[name].p50Ms - latency.direct.p50Ms, p99Ms: latency[name].p99Ms - latency.direct.p99Ms },
        ]),
    ) as E2EResult['added'];
    await sample('latency');

    log(`e2e: throughput, ${options.concurrency} concurrent clients`);
    const rps = {} as Record<Target, number>;
    for (const name of names) {
      let done = 0;
      const until = Date.now() + options.loadSeconds * 1000;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (Date.now() < until) {
            await call(targets[name]);
            done++;
          }
        }),
      );
      rps[name] = done / (Number(process.hrtime.bigint() - started) / 1e9);
    }
    await sample('throughput');
    const throughput = Object.fromEntries(
      names.map((name) => [name, { rps: rps[name], shareOfDirect: rps[name] / rps.direct }]),
    ) as E2EResult['throughput'];

    log(`e2e: ${options.streamChunks}-chunk streams`);
    const events = (body: Buffer) => body.toString().split('data: ').length - 1;
    const nativeStream = (url: string): Call => ({
      url,
      path: `${NATIVE_STREAM_PATH}?alt=sse`,
      headers: { ...json, 'x-goog-api-key': KEY },
      body: nativeBody,
      check: (sent) => sent.status === 200 && events(sent.body) === options.streamChunks,
    });
    const streams = {
      direct: nativeStream(fake.url),
      forwarder: nativeStream(forwarder.url),
      'gateway-native': nativeStream(gateway.url),
      'gateway-openai': {
        url: gateway.url,
        path: '/v1/chat/completions',
        headers: { ...json, authorization: `Bearer ${KEY}` },
        body: Buffer.from(JSON.stringify(chatRequest(true))),
        check: (sent: Sent) =>
          sent.status === 200 &&
          events(sent.body) >= options.streamChunks &&
          sent.body.toString().endsWith('data: [DONE]\n\n'),
      },
    };
    const streamTimes = Object.fromEntries(Object.keys(streams).map((name) => [name, [] as number[]])) as Record<
      keyof typeof streams,
      number[]
    >;
    // Round robin over the targets, so a slow moment of the machine does not land on one target only.
    for (let run = 0; run < options.streamRuns + 1; run++) {
      for (const [name, target] of Object.entries(streams) as [keyof typeof streams, Call][]) {
        await fake.ask({ type: 'script', chunks: options.streamChunks });
        const sent = await call(target);
        // The first round warms up.
        if (run > 0) streamTimes[name].push(sent.ms);
      }
    }
    const streamMs = Object.fromEntries(
      Object.entries(streamTimes).map(([name, times]) => [name, median(times)]),
    ) as E2EResult['stream'];
    await sample('streams');
    return { latency, added, throughput, stream: streamMs, memory, serverFlags: SERVER_FLAGS };
  } finally {
    agent.destroy();
    for (const server of [gateway, forwarder, fake]) server.stop();
  }
}
