/**
 * One server of the end-to-end benchmark, in its own process so its CPU and memory are its own:
 *   serve.ts fake                  the fake Gemini upstream (gzip off: the forwarders pass bytes as they come)
 *   serve.ts gateway <upstream>    the gateway as `npm start` serves it (startGateway), pointed at the fake
 *   serve.ts forwarder <upstream>  the trivial forwarder, bundled and served from the Edge Runtime the same way
 * e2e.ts runs it as `npm start` runs src/local/cli.ts: bundled by src/local/run-bundled.mjs, on plain Node.
 * Talks to the parent over IPC: sends `{ url }` once listening; answers `{ type: 'memory' }` with its RSS
 * now and at its peak, and `{ type: 'script', chunks }` (fake only) by queueing a stream of that many chunks.
 */
import { stop as stopEsbuild } from 'esbuild';
import { serveEdge } from '../../src/local/serve-edge';
import { startGateway } from '../../src/local/start';
import { bundleScript } from './bundle-script';
import { streamReplyChunks } from './fixtures';

export type ServerMessage = { type: 'memory' } | { type: 'script'; chunks: number };
export type ServerReply =
  | { type: 'ready'; url: string }
  | { type: 'memory'; rss: number; peakRss: number; heapTotal: number; heapUsed: number; external: number }
  | { type: 'scripted' };

const [kind, upstream = ''] = process.argv.slice(2);
const send = (message: ServerReply) => process.send?.(message);

let url: string;
let script: ((chunks: number) => void) | undefined;
if (kind === 'fake') {
  // Imported here: the fake's module-level data (its PNG) is no part of the other servers' memory.
  const { startFakeGemini } = await import('../fake-gemini');
  const fake = await startFakeGemini({ gzip: false });
  url = fake.origin;
  script = (chunks) => fake.script({ chunks: streamReplyChunks(chunks), delayMs: 0 });
} else if (kind === 'gateway') {
  url = (await startGateway({ env: { GEMINI_BASE_URL: upstream } })).url;
} else if (kind === 'forwarder') {
  url = (await serveEdge({ code: await bundleScript('forwarder-entry.ts', 'iife'), env: { UPSTREAM: upstream } })).url;
} else {
  throw new Error(`serve.ts: unknown server kind ${kind}`);
}
// As src/local/cli.ts does once the bundle is built.
await stopEsbuild();

process.on('message', (message: ServerMessage) => {
  if (message.type === 'memory') {
    // resourceUsage().maxRSS is the kernel's high-water mark of this process, in KiB.
    const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
    send({ type: 'memory', rss, peakRss: process.resourceUsage().maxRSS * 1024, heapTotal, heapUsed, external });
  } else if (message.type === 'script' && script) {
    script(message.chunks);
    send({ type: 'scripted' });
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', url });
