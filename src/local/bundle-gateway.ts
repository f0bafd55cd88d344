import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../../api/index.ts', import.meta.url));

/**
 * The edge function as one script, bundled the way Vercel bundles it (esbuild, browser platform, no Node
 * built-ins), ending in a fetch listener so Vercel's Edge Runtime can evaluate it.
 */
export async function bundleGateway(options: { minify?: boolean; entry?: string } = {}): Promise<string> {
  const result = await build({
    // `entry` lets the deploy test bundle the function `vercel build` wrote instead of the source.
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
  });
  const code = result.outputFiles[0]?.text ?? '';
  return `${code}\naddEventListener('fetch', (event) => event.respondWith(__gateway.default(event.request)));\n`;
}
