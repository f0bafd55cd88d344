import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The coding agents the gateway is proven with ship native binaries (hundreds of MB together), so they are
 * not devDependencies: each test that drives one installs the pinned version here on first use, into a
 * git-ignored cache outside the project's dependency tree, and reuses it afterwards.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const AGENT_CACHE = join(ROOT, '.cache', 'agents');

export interface AgentPackage {
  /** npm package name, e.g. `@anthropic-ai/claude-code`. */
  name: string;
  /** Exact version: the tests pin what they prove. */
  version: string;
  /** The command the package installs under node_modules/.bin. */
  bin: string;
}

const run = promisify(execFile);

/** Path of the agent's executable, installing the package first if this cache does not have it yet. */
export async function installAgent(pkg: AgentPackage): Promise<string> {
  const prefix = join(AGENT_CACHE, `${pkg.name.replace('/', '+')}@${pkg.version}`);
  const binPath = join(prefix, 'node_modules', '.bin', pkg.bin);
  if (existsSync(binPath)) return binPath;

  mkdirSync(AGENT_CACHE, { recursive: true });
  const staging = `${prefix}.installing-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  process.stderr.write(
    `[agents] installing ${pkg.name}@${pkg.version} into ${AGENT_CACHE} (first run only; needs the npm registry)…\n`,
  );
  const startedAt = Date.now();
  await run(
    'npm',
    [
      'install',
      '--prefix',
      staging,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `${pkg.name}@${pkg.version}`,
    ],
    {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 10 * 60_000,
    },
  );
  // Another test file may have finished the same install meanwhile: keep the first, drop ours.
  if (existsSync(binPath)) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, prefix);
  process.stderr.write(
    `[agents] ${pkg.name}@${pkg.version} installed in ${Math.round((Date.now() - startedAt) / 1000)} s\n`,
  );
  return binPath;
}
