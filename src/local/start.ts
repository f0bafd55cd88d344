import { ConfigError, loadConfig } from '../config';
import { bundleGateway } from './bundle-gateway';
import { type EdgeServer, serveEdge } from './serve-edge';

export interface StartOptions {
  env: Record<string, string | undefined>;
  port?: number;
  host?: string;
  onLog?: (line: string) => void;
}

/**
 * Starts the gateway locally: validates the configuration (an invalid variable stops the start with its
 * name), bundles `api/index.ts` and serves it from the Edge Runtime.
 */
export async function startGateway(options: StartOptions): Promise<EdgeServer> {
  loadConfig(options.env);
  const code = await bundleGateway();
  return serveEdge({
    code,
    env: options.env,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    onLog: options.onLog,
  });
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`Invalid configuration — PORT: must be a whole number from 0 to 65535`);
  return port;
}
