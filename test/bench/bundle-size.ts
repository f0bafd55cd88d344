import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bundleGateway, gatewayBuildOptions } from '../../src/local/bundle-gateway';

export interface BundleSize {
  minifiedBytes: number;
  gzippedBytes: number;
  /** Minified bytes each part of the source contributes (esbuild's metafile), largest first. */
  parts: { name: string; minifiedBytes: number; share: number }[];
}

const GROUPS: readonly [string, RegExp][] = [
  ['zod', /node_modules\/zod\//],
  ['src/status-page', /^src\/status-page\//],
  ['src/openai', /^src\/openai\//],
  ['src/gemini', /^src\/gemini\//],
  ['src/native', /^src\/native\//],
  ['src/media', /^src\/media\//],
  ['src (rest)', /^(src|api)\//],
  ['other dependencies', /node_modules\//],
];

/**
 * The deployed edge function: bundleGateway({ minify: true }) as Vercel bundles it (without the builtin
 * bindings for the local Edge Runtime VM), gzipped as Vercel counts it, and what it is made of.
 */
export async function measureBundle(): Promise<BundleSize> {
  const code = await bundleGateway({ minify: true, forEdgeRuntimeVm: false });
  const meta = await build({ ...gatewayBuildOptions({ minify: true, forEdgeRuntimeVm: false }), metafile: true });
  const output = Object.values(meta.metafile.outputs)[0];
  const sums = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const group = GROUPS.find(([, pattern]) => pattern.test(input))?.[0] ?? 'other';
    sums.set(group, (sums.get(group) ?? 0) + bytesInOutput);
  }
  const minifiedBytes = Buffer.byteLength(code);
  return {
    minifiedBytes,
    gzippedBytes: gzipSync(code, { level: 9 }).length,
    parts: [...sums]
      .map(([name, bytes]) => ({ name, minifiedBytes: bytes, share: bytes / minifiedBytes }))
      .sort((a, b) => b.minifiedBytes - a.minifiedBytes),
  };
}
