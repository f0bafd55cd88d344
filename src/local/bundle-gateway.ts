import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import * as builtins from './edge-runtime-builtins';

const ENTRY = fileURLToPath(new URL('../../api/index.ts', import.meta.url));
const BUILTINS = fileURLToPath(new URL('./edge-runtime-builtins.ts', import.meta.url));

/**
 * For the Edge Runtime VM: each `Global.member` of edge-runtime-builtins.ts, read from the binding made once
 * at load instead of a global lookup at every call (see that file for why this is worth it).
 */
export const EDGE_RUNTIME_BUILD_OPTIONS = {
  inject: [BUILTINS],
  define: Object.fromEntries(Object.keys(builtins).map((name) => [name.slice(2).replace('_', '.'), name])),
};

/**
 * The edge function as one script, bundled the way Vercel bundles it (esbuild, browser platform, no Node
 * built-ins), ending in a fetch listener so Vercel's Edge Runtime can evaluate it. `forEdgeRuntimeVm` (the
 * default) binds hot builtins for edge-runtime's VM; the size of what Vercel deploys is measured without it.
 */
export interface BundleOptions {
  minify?: boolean;
  /** Lets the deploy test bundle the function `vercel build` wrote instead of the source. */
  entry?: string;
  forEdgeRuntimeVm?: boolean;
}

/** esbuild's options for the gateway bundle (the benchmark adds a metafile to see what it is made of). */
export function gatewayBuildOptions(options: BundleOptions = {}): BuildOptions & { write: false } {
  return {
    entryPoints: [options.entry ?? ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__gateway',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? false,
    legalComments: 'none',
    logLevel: 'silent',
    ...(options.forEdgeRuntimeVm === false ? {} : EDGE_RUNTIME_BUILD_OPTIONS),
  };
}

export async function bundleGateway(options: BundleOptions = {}): Promise<string> {
  const result = await build(gatewayBuildOptions(options));
  const code = result.outputFiles[0]?.text ?? '';
  // The Edge Runtime's FetchEvent has waitUntil, like Vercel's RequestContext.
  return `${code}\naddEventListener('fetch', (event) => event.respondWith(__gateway.default(event.request, event)));\n`;
}
