import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version';
import { startFakeGemini } from '../fake-gemini';

/** The README's own command, as a user runs it: `npm start` in a child process. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  // npm runs a shell runs node: end the whole process group, not only npm.
  for (const child of children.splice(0)) {
    if (!child.pid || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // The group ended on its own in the meantime.
    }
  }
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

function npmStart(env: Record<string, string>) {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe('npm start', () => {
  it('serves the gateway on 127.0.0.1:$PORT from the Edge Runtime', async () => {
    const fake = await startFakeGemini();
    try {
      const port = await freePort();
      const started = npmStart({ PORT: String(port), GEMINI_BASE_URL: fake.origin, LOG_LEVEL: 'error' });
      await expect
        .poll(started.output, { timeout: 30_000, interval: 100 })
        .toContain(`listening on http://127.0.0.1:${port}`);
      const status = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { name: string; version: string };
      expect(status).toMatchObject({ name: 'gemini-balance-lite', version: VERSION });
      const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer k1,k2', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'from npm start' }] }),
      });
      const completion = (await response.json()) as { choices: { message: { content: string } }[] };
      expect(completion.choices[0]?.message.content).toBe('Echo: from npm start');
    } finally {
      await fake.close();
    }
  }, 40_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops on %s, server process included',
    async (signal) => {
      const port = await freePort();
      const started = npmStart({ PORT: String(port), LOG_LEVEL: 'error' });
      await expect
        .poll(started.output, { timeout: 30_000, interval: 100 })
        .toContain(`listening on http://127.0.0.1:${port}`);
      const pid = started.child.pid as number;
      // As Ctrl-C does: the signal goes to the whole foreground group.
      process.kill(-pid, signal);
      await once(started.child, 'exit');
      const groupAlive = () => {
        try {
          process.kill(-pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      await expect.poll(groupAlive, { timeout: 5_000, interval: 50 }).toBe(false);
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    },
    40_000,
  );

  it.each([
    [{ KEY_ROTATION_WINDOW_MS: 'soon' }, 'KEY_ROTATION_WINDOW_MS'],
    [{ GEMINI_API_KEYS: 'k1' }, 'ACCESS_TOKENS'],
    [{ PORT: 'http' }, 'PORT'],
  ])(
    'refuses to start with an invalid configuration, naming the variable (%o)',
    async (env, name) => {
      const started = npmStart({ PORT: '0', ...env });
      const [code] = (await once(started.child, 'exit')) as [number];
      expect(code).not.toBe(0);
      expect(started.output()).toContain(name);
      expect(started.output()).not.toContain('    at ');
    },
    40_000,
  );
});
