import { build } from 'esbuild';
import { gatewayBuildOptions } from '../../src/local/bundle-gateway';

/**
 * The package files (`package/path`, wherever its node_modules is) that the deployed bundle is made from,
 * read from esbuild's metafile: from the source by default, or from `entry` (the function `vercel build` wrote).
 */
export async function bundledPackageFiles(entry?: string): Promise<string[]> {
  const options = { minify: true, forEdgeRuntimeVm: false, ...(entry ? { entry } : {}) };
  const result = await build({ ...gatewayBuildOptions(options), metafile: true });
  const marker = 'node_modules/';
  return Object.keys(result.metafile.inputs)
    .filter((input) => input.includes(marker))
    .map((input) => input.slice(input.lastIndexOf(marker) + marker.length))
    .sort();
}
