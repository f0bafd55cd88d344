import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundleGateway } from '../../src/local/bundle-gateway';
import { serveEdge } from '../../src/local/serve-edge';
import { startFakeGemini } from '../fake-gemini';
import { bundledPackageFiles } from './bundled-package-files';
import { checkBuildOutput } from './check-build-output';
import { Checks } from './checks';
import { copyRepository, linkNodeModules } from './copy-repository';
import { readBuildOutput } from './read-build-output';
import { runVercelBuild, VERCEL_CLI } from './run-vercel-build';
import { smokeTestGateway } from './smoke-test-gateway';

// `npm run test:deploy`: build a throwaway copy of the repository with Vercel's own CLI, check the Build
// Output, then serve the function it wrote (not the source) in the Edge Runtime and drive it with the
// official clients. DEPLOY_TEST_KEEP=1 keeps the temporary directory for inspection.

/** Vercel's Edge Function size limit on the Hobby plan, after gzip: https://vercel.com/docs/functions/limitations */
const HOBBY_EDGE_LIMIT_BYTES = 1024 * 1024;

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const checks = new Checks();
const root = await mkdtemp(join(tmpdir(), 'gemini-balance-lite-deploy-'));
const repo = join(root, 'repo');

try {
  const copied = await timed('copy repository', async () => {
    const count = await copyRepository(REPO, repo);
    await linkNodeModules(REPO, repo);
    return count;
  });
  console.log(`  ${copied} files copied to ${repo}`);

  const build = await timed(`npx ${VERCEL_CLI} build`, () => runVercelBuild(repo));
  const built = await checks.run('vercel build succeeds offline, without an account', () => {
    assert.equal(build.code, 0, `exit code ${build.code}\n${build.log.trim().split('\n').slice(-25).join('\n')}`);
  });

  if (!built) {
    checks.skip(['Build Output checks', 'smoke test of the built function'], 'the build failed');
  } else {
    const output = readBuildOutput(join(repo, '.vercel', 'output'));
    console.log('build output');
    const fn = await checkBuildOutput(output, checks, repo);

    if (!fn) {
      checks.skip(['smoke test of the built function'], 'no single edge function to serve');
    } else {
      console.log('built function in the Edge Runtime');
      // Bundled from a copy outside the repository, so an import that Vercel's file tracing left out of the
      // function cannot be found in the repository's node_modules instead.
      const isolated = join(root, 'function');
      await cp(fn.dir, isolated, { recursive: true });
      const entry = join(isolated, fn.vcConfig.entrypoint as string);

      let code: string | undefined;
      await checks.run(`bundles from its own files (${fn.vcConfig.entrypoint as string})`, async () => {
        code = await bundleGateway({ entry });
      });
      await checks.run('minified and gzipped it fits the Hobby plan (1 MB)', async () => {
        // As `npm run bench` measures it: without the local VM's builtin bindings, gzip level 9.
        const minified = await bundleGateway({ entry, minify: true, forEdgeRuntimeVm: false });
        const size = gzipSync(minified, { level: 9 }).length;
        console.log(`      ${(size / 1000).toFixed(1)} kB gzipped`);
        assert.ok(size < HOBBY_EDGE_LIMIT_BYTES, `${size} bytes`);
      });
      await checks.run('it is made of the same package files as the bundle the benchmark measures', async () => {
        // The packages' export conditions resolve the same way in Vercel's file tracing and in our bundler.
        assert.deepEqual(await bundledPackageFiles(entry), await bundledPackageFiles());
      });

      if (code === undefined) {
        checks.skip(['smoke test of the built function'], 'the function did not bundle');
      } else {
        const fake = await startFakeGemini({ chunkDelayMs: 0 });
        const server = await serveEdge({ code, env: { GEMINI_BASE_URL: fake.origin, LOG_LEVEL: 'warn' } });
        try {
          await timed('smoke test with the official clients', () => smokeTestGateway(server.url, fake, checks));
        } finally {
          await server.close();
          await fake.close();
        }
      }
    }
  }
} catch (error) {
  await checks.run('deploy test ran to the end', () => {
    throw error;
  });
} finally {
  if (process.env.DEPLOY_TEST_KEEP === '1') console.log(`kept ${root}`);
  else await rm(root, { recursive: true, force: true });
}

console.log(checks.summary());
process.exit(checks.ok ? 0 : 1);

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  console.log(label);
  try {
    return await step();
  } finally {
    console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}
