import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { RespClient } from './resp-client';

export interface RedisServer {
  port: number;
  /** Stops the server at once (SIGKILL): what a crashed or unreachable Redis looks like to its clients. */
  kill(): Promise<void>;
}

/** Whether Debian's `redis-server` is installed (`.ci/run` installs it; locally it may be absent). */
export const HAS_REDIS = spawnSync('redis-server', ['--version']).status === 0;

/** A throwaway `redis-server` on a free loopback port, in memory only (no RDB, no AOF). */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntilReady(port, child);
  return {
    port,
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function waitUntilReady(port: number, child: ChildProcess): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    try {
      const client = await RespClient.connect(port);
      const pong = await client.command(['PING']);
      client.close();
      if (pong === 'PONG') return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
