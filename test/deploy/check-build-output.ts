import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../../api/index';
import type { Checks } from './checks';
import type { BuildOutput } from './read-build-output';
import { resolveRoute } from './resolve-route';

/** Every path a client of the gateway uses; each must reach the one function, none a static file or 404. */
export const PUBLIC_PATHS = [
  '/',
  '/v1/chat/completions',
  '/v1/models',
  '/v1/models/gpt-4o',
  '/v1/embeddings',
  '/chat/completions',
  '/models',
  '/embeddings',
  '/v1beta/models/gemini-3.8-flash:generateContent',
  '/v1/models/gemini-3.8-flash:streamGenerateContent',
  '/verify',
] as const;

/** Asserts on `.vercel/output`; returns the edge function when there is exactly one. */
export async function checkBuildOutput(output: BuildOutput, checks: Checks, repoDir: string) {
  const packageJson = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  await checks.run('config.json is Build Output API v3 with routes', () => {
    assert.equal(output.config.version, 3);
    assert.ok(Array.isArray(output.config.routes) && output.config.routes.length > 0, 'config.json has no routes');
  });

  const single = await checks.run('exactly one function, api/index.func', () => {
    assert.deepEqual(
      output.functions.map((fn) => fn.name),
      ['api/index'],
    );
  });
  const fn = single ? output.functions[0] : undefined;
  if (!fn) {
    checks.skip(['.vc-config.json and the public paths'], 'there is not exactly one function');
    return undefined;
  }

  await checks.run('.vc-config.json: runtime "edge" and an entrypoint that exists', () => {
    assert.equal(fn.vcConfig.runtime, 'edge');
    assert.equal(typeof fn.vcConfig.entrypoint, 'string');
    assert.ok(
      existsSync(join(fn.dir, fn.vcConfig.entrypoint as string)),
      `entrypoint ${String(fn.vcConfig.entrypoint)} is not in the function`,
    );
  });

  await checks.run('.vc-config.json: the regions api/index.ts pins, without Hong Kong (hkg1)', () => {
    assert.deepEqual(fn.vcConfig.regions, config.regions);
    assert.ok(
      !config.regions.includes('hkg1'),
      'hkg1 is listed: Gemini answers "User location is not supported" there',
    );
  });

  for (const path of PUBLIC_PATHS) {
    await checks.run(`${path} → ${fn.name}`, () => {
      for (const method of ['GET', 'POST']) {
        assert.deepEqual(
          resolveRoute(output.config.routes ?? [], path, output.fs, method),
          { kind: 'function', name: fn.name },
          `${method} ${path}`,
        );
      }
    });
  }

  await checks.run('no repository file is reachable as a static file', () => {
    // With no public/ directory, Vercel's "Other" preset uploads the repository root as static files. The
    // project's routes send every path to the function before the filesystem is looked at, so none of
    // them can be fetched, and no path that names a file bypasses the gateway.
    const reachable = output.staticFiles.filter((file) => {
      const resolved = resolveRoute(output.config.routes ?? [], `/${file}`, output.fs, 'GET');
      return !(resolved.kind === 'function' && resolved.name === fn.name);
    });
    assert.deepEqual(
      reachable.slice(0, 5),
      [],
      `${reachable.length} static files bypass the gateway, e.g. /${reachable[0]}`,
    );
  });

  await checks.run('function holds only runtime dependencies (no vercel, openai, @google/genai…)', () => {
    // Theirs too: @upstash/redis brings uncrypto.
    const allowed = runtimeClosure(Object.keys(packageJson.dependencies ?? {}), join(repoDir, 'package-lock.json'));
    const packages = new Set(fn.files.map(packageOf).filter((name): name is string => name !== undefined));
    const extra = [...packages].filter((name) => !allowed.has(name));
    assert.deepEqual(extra, [], `packages outside "dependencies": ${extra.join(', ')}`);
  });

  return fn;
}

/** The runtime dependencies and, from package-lock.json, everything they depend on in turn. */
function runtimeClosure(direct: readonly string[], lockFile: string): Set<string> {
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {
    packages?: Record<string, { dependencies?: Record<string, string> }>;
  };
  const found = new Set<string>();
  const pending = [...direct];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (found.has(name)) continue;
    found.add(name);
    pending.push(...Object.keys(lock.packages?.[`node_modules/${name}`]?.dependencies ?? {}));
  }
  return found;
}

function packageOf(file: string): string | undefined {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match?.[1];
}
