/**
 * Runs a TypeScript entry on plain Node, without a loader at run time (tsx's loader thread alone costs
 * ~33 MiB of RSS):
 *   node [node flags] src/local/run-bundled.mjs <entry.ts> [args…]
 * bundles the entry with esbuild (Node platform, ESM, packages left in node_modules) into
 * node_modules/.cache/gemini-balance-lite/ and imports it in this process. It is rebuilt at every start (a
 * few tens of ms), so it always runs the current sources.
 *
 * `npm start` runs src/local/cli.ts this way, with three flags that bound its memory (package.json; the
 * benchmark reads them from there). Under load the gateway keeps 20–30 MiB alive, but by default V8 lets the old
 * generation grow to up to 4× what survived the last full GC before collecting it again and the young one to
 * 2 × 16 MiB: the benchmark's load took it to ~190 MiB of RSS. `--heap-growing-percent=50` makes that growth
 * 1.5×, `--max-semi-space-size=8` halves the young generation, and `--v8-pool-size=1` keeps one V8 worker
 * thread instead of four (~5 MiB of malloc arenas and stacks): ~125 MiB, for ~7 % more CPU under sustained
 * load, spent in the garbage collector (docs/performance.md). None of them limits how large the heap may get.
 */

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = resolve(ROOT, 'node_modules/.cache/gemini-balance-lite');

const [entryArg, ...args] = process.argv.slice(2);
if (entryArg === undefined) {
  console.error('usage: node src/local/run-bundled.mjs <entry.ts> [args…]');
  process.exit(2);
}
const entry = resolve(entryArg);

/** Each module keeps its own source file's `import.meta.url`, as under tsx: the sources find files beside them. */
const keepImportMetaUrl = {
  name: 'keep-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)),
      loader: 'ts',
    }));
  },
};

const result = await build({
  entryPoints: [entry],
  bundle: true,
  write: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  plugins: [keepImportMetaUrl],
});
const out = resolve(CACHE, `${relative(ROOT, entry).replace(/[\\/]/g, '-').replace(/\.ts$/, '')}.mjs`);
await mkdir(CACHE, { recursive: true });
// Written aside and renamed, so two starts at once never import a half-written file.
await writeFile(`${out}.${process.pid}`, result.outputFiles[0]?.contents ?? '');
await rename(`${out}.${process.pid}`, out);

process.argv = [process.argv[0] ?? 'node', entry, ...args];
await import(pathToFileURL(out).href);
