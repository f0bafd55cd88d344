import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { EDGE_RUNTIME_BUILD_OPTIONS } from '../../src/local/bundle-gateway';

/**
 * A bench script bundled the way bundleGateway bundles the gateway (browser platform, es2022, no Node
 * built-ins); for the Edge Runtime VM (`iife`) with the same builtin bindings as `npm start`.
 */
export async function bundleScript(
  entry: 'bench-entry.ts' | 'forwarder-entry.ts',
  format: 'iife' | 'esm',
): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./${entry}`, import.meta.url))],
    bundle: true,
    write: false,
    format,
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'silent',
    ...(format === 'iife' ? EDGE_RUNTIME_BUILD_OPTIONS : {}),
  });
  return result.outputFiles[0]?.text ?? '';
}
