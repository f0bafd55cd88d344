import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EdgeRuntime } from 'edge-runtime';
import { bundleScript } from './bundle-script';
import type { Clock, InProcessOptions, Measurement, Skipped, Steps } from './in-process';

type Bench = {
  runInProcess(options: InProcessOptions): Promise<(Measurement | Skipped)[]>;
  measureSteps(options: InProcessOptions): Steps;
};

export interface InProcessResult {
  measurements: (Measurement | Skipped)[];
  steps: Steps;
}

/** Process CPU time (user + system, all threads: GC included) and wall time, in µs. */
export const hostClock: Clock = {
  cpu: () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  },
  wall: () => performance.now() * 1000,
};

/** In Node: the bundled bench imported as a module, running on Node's own fetch classes and web streams. */
export async function runInNode(options: Omit<InProcessOptions, 'clock'>): Promise<InProcessResult> {
  const dir = await mkdtemp(join(tmpdir(), 'gbl-bench-'));
  try {
    const file = join(dir, 'bench.mjs');
    await writeFile(file, await bundleScript('bench-entry.ts', 'esm'));
    await import(pathToFileURL(file).href);
    const bench = (globalThis as { __bench?: Bench }).__bench as Bench;
    const measurements = await bench.runInProcess({ ...options, clock: hostClock });
    return { measurements, steps: bench.measureSteps({ ...options, clock: hostClock }) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Inside Vercel's Edge Runtime VM, as `npm start` and the unit tests run the gateway: its own Request,
 * Response and fetch, no code generation (so zod takes its slower interpreted path), Node's web streams.
 */
export async function runInEdgeVm(options: Omit<InProcessOptions, 'clock'>): Promise<InProcessResult> {
  const runtime = new EdgeRuntime({
    initialCode: await bundleScript('bench-entry.ts', 'iife'),
    extend: (context) => Object.assign(context, { __hostClock: hostClock }),
  });
  const args = `{ ...${JSON.stringify(options)}, clock: __hostClock }`;
  const measurements = await runtime.evaluate<Promise<(Measurement | Skipped)[]>>(`__bench.runInProcess(${args})`);
  const steps = runtime.evaluate<Steps>(`__bench.measureSteps(${args})`);
  // Plain objects of this realm, not the VM's.
  return JSON.parse(JSON.stringify({ measurements, steps })) as InProcessResult;
}
