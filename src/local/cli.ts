import { stop as stopEsbuild } from 'esbuild';
import { ConfigError } from '../config';
import { parsePort, startGateway } from './start';

// `npm start`: the gateway on http://127.0.0.1:$PORT (default 3000), inside Vercel's Edge Runtime.
try {
  const port = parsePort(process.env.PORT, 3000);
  const server = await startGateway({ env: process.env, port, host: process.env.HOST ?? '127.0.0.1' });
  // The gateway is bundled: esbuild's service process (~40 MiB) has nothing left to do.
  await stopEsbuild();
  console.error(`gemini-balance-lite listening on ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
