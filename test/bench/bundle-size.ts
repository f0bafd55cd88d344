import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bundleGateway, gatewayBuildOptions } from '../../src/local/bundle-gateway';
import { attributeOutputChars } from './attribute-output-chars';

export interface BundleSize {
  minifiedBytes: number;
  gzippedBytes: number;
  /** Each part of the source, largest gzipped cost first. */
  parts: {
    name: string;
    /** Minified bytes it contributes (from the bundle's source map). */
    minifiedBytes: number;
    share: number;
    /** What it adds to the gzipped bundle: gzip of the whole minus gzip of the bundle without its bytes. */
    gzippedBytes: number;
  }[];
}

const GROUPS: readonly [string, RegExp][] = [
  ['@upstash/redis', /node_modules\/(@upstash\/redis|uncrypto)\//],
  ['zod', /node_modules\/zod\//],
  ['other dependencies', /node_modules\//],
  ['src/status-page', /(^|\/)src\/status-page\//],
  ['src/openai', /(^|\/)src\/openai\//],
  ['src/responses', /(^|\/)src\/responses\//],
  ['src/anthropic', /(^|\/)src\/anthropic\//],
  ['src/gemini', /(^|\/)src\/gemini\//],
  ['src/upstream', /(^|\/)src\/upstream\//],
  ['src/keys', /(^|\/)src\/keys\//],
  ['src/media', /(^|\/)src\/media\//],
  ['src/native', /(^|\/)src\/native\//],
  ['src (rest)', /(^|\/)(src|api)\//],
];

const gzip = (code: string) => gzipSync(code, { level: 9 }).length;

/**
 * The deployed edge function: bundleGateway({ minify: true }) as Vercel bundles it (without the builtin
 * bindings for the local Edge Runtime VM), gzipped as Vercel counts it, and what each part of it costs.
 */
export async function measureBundle(): Promise<BundleSize> {
  const options = { minify: true, forEdgeRuntimeVm: false };
  const code = await bundleGateway(options);
  // The same build with a source map, to tell which source each output character came from.
  const mapped = await build({ ...gatewayBuildOptions(options), sourcemap: 'external', outfile: 'gateway.js' });
  const js = mapped.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
  const map = JSON.parse(mapped.outputFiles.find((file) => file.path.endsWith('.map'))?.text ?? '{}') as {
    sources: string[];
    mappings: string;
  };
  const text = js.replace(/\n\/\/# sourceMappingURL=.*\n$/, '\n');
  const owners = attributeOutputChars(text, map.mappings);
  const groupOf = map.sources.map((source) => GROUPS.findIndex(([, pattern]) => pattern.test(source)));
  const whole = gzip(text);
  const minifiedBytes = Buffer.byteLength(code);
  const parts = GROUPS.map(([name], group) => {
    let rest = '';
    let mine = 0;
    let from = 0;
    for (let i = 0; i <= text.length; i++) {
      const owner = owners[i] ?? -1;
      const isMine = i < text.length && owner >= 0 && groupOf[owner] === group;
      if (isMine) mine++;
      if (isMine || i === text.length) {
        rest += text.slice(from, i);
        from = i + 1;
      }
    }
    return {
      name,
      minifiedBytes: mine,
      share: mine / minifiedBytes,
      gzippedBytes: mine === 0 ? 0 : whole - gzip(rest),
    };
  });
  return {
    minifiedBytes,
    gzippedBytes: gzip(code),
    parts: parts.filter((part) => part.minifiedBytes > 0).sort((a, b) => b.gzippedBytes - a.gzippedBytes),
  };
}
