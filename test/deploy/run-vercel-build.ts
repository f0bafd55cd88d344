import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Pinned: newer majors do not install on Node 20 everywhere, and the Build Output must not drift under us. */
export const VERCEL_CLI = 'vercel@58.10.0';

/**
 * What `vercel pull` writes for a new project made by the Deploy button ("Other" framework, no commands
 * overridden). With `settings` present the CLI builds without an account or network; the ids are
 * placeholders it never sends anywhere.
 */
export const PROJECT_JSON = {
  projectId: 'prj_deploytest000000000000000000',
  orgId: 'team_deploytest00000000000000000',
  projectName: 'gemini-balance-lite',
  settings: {
    createdAt: 0,
    framework: null,
    devCommand: null,
    installCommand: null,
    buildCommand: null,
    outputDirectory: null,
    rootDirectory: null,
    directoryListing: false,
    nodeVersion: '24.x',
  },
};

export interface BuildResult {
  code: number;
  /** stdout and stderr interleaved, for the report when the build fails. */
  log: string;
}

/** Runs `vercel build` in `dir` (a throwaway copy) and writes `.vercel/output` there. */
export async function runVercelBuild(dir: string): Promise<BuildResult> {
  await mkdir(join(dir, '.vercel'), { recursive: true });
  await writeFile(join(dir, '.vercel', 'project.json'), `${JSON.stringify(PROJECT_JSON, null, 2)}\n`);
  const globalConfig = join(dir, '.vercel', 'global-config');
  await mkdir(globalConfig, { recursive: true });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VERCEL_TELEMETRY_DISABLED: '1',
    NO_UPDATE_NOTIFIER: '1',
    // node_modules is already in place (linked from the repository): without this the build runs `npm
    // install` in the copy, which needs the network and takes ~20 s.
    VERCEL_INSTALL_COMPLETED: '1',
    FORCE_COLOR: '0',
  };
  // A developer's own Vercel login or linked project must not turn this into a build against their account.
  for (const name of ['VERCEL_TOKEN', 'VERCEL_ORG_ID', 'VERCEL_PROJECT_ID', 'VERCEL']) delete env[name];

  const args = ['--yes', '--prefer-offline', VERCEL_CLI, 'build', '--global-config', globalConfig];
  return new Promise((resolve, reject) => {
    const child = spawn('npx', args, {
      cwd: dir,
      env,
      shell: process.platform === 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, log }));
  });
}
