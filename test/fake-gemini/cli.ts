/**
 * Standalone fake upstream for the demo and manual poking:
 *   tsx test/fake-gemini/cli.ts [--port 8787] [--chunk-delay 150] [--log]
 * The port comes from --port, else FAKE_GEMINI_PORT, else 8787. Prints one line with the origin; stops on
 * SIGINT/SIGTERM.
 */
import { pathToFileURL } from 'node:url';
import { startFakeGemini } from './server';
import type { FakeGemini, StartOptions } from './types';

const DEFAULT_PORT = 8787;

function flag(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index !== -1) return argv[index + 1];
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function integer(text: string | undefined, what: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`fake gemini: ${what} must be a non-negative integer, got "${text}"`);
  return value;
}

export function cliOptions(argv: readonly string[], env: NodeJS.ProcessEnv): StartOptions {
  return {
    host: '127.0.0.1',
    port: integer(flag(argv, '--port'), '--port') ?? integer(env.FAKE_GEMINI_PORT, 'FAKE_GEMINI_PORT') ?? DEFAULT_PORT,
    chunkDelayMs: integer(flag(argv, '--chunk-delay'), '--chunk-delay') ?? 0,
    log: argv.includes('--log'),
  };
}

/** Starts the fake as the CLI does and prints its origin; the caller owns shutdown. */
export async function runFakeGeminiCli(
  argv: readonly string[] = process.argv.slice(2),
  env = process.env,
): Promise<FakeGemini> {
  const fake = await startFakeGemini(cliOptions(argv, env));
  console.log(`fake-gemini listening on ${fake.origin}`);
  return fake;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fake = await runFakeGeminiCli();
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
