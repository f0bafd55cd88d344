import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RespClient, RespError, type RespValue } from './resp-client';

export interface UpstashBridge {
  /** What UPSTASH_REDIS_REST_URL would hold. */
  url: string;
  token: string;
  /** Commands received, in order (`["HGETALL", "gbl:cd:k-…"]`), for tests that look at what was stored. */
  commands: string[][];
  close(): Promise<void>;
}

/**
 * Upstash's REST API in front of a real `redis-server`, so that the product code talks to Redis through
 * the real `@upstash/redis` client: `POST /` with one command as a JSON array, `POST /pipeline` with an
 * array of them, `POST /multi-exec` for a transaction; `Authorization: Bearer <token>`; with
 * `Upstash-Encoding: base64`, string results base64-encoded except "OK" (https://upstash.com/docs/redis/features/restapi).
 * When Redis is gone, answers 503 with an error body, like an unreachable database behind a working API.
 */
export async function startUpstashBridge(redisPort: number, token = 'bridge-token'): Promise<UpstashBridge> {
  let client: RespClient | null = null;
  const commands: string[][] = [];
  const redis = async (): Promise<RespClient> => {
    if (!client?.isOpen) client = await RespClient.connect(redisPort);
    return client;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      send(res, 503, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: 'Unauthorized' });
    if (req.method !== 'POST') return send(res, 405, { error: 'Method not allowed' });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    const base64 = req.headers['upstash-encoding'] === 'base64';
    const path = new URL(req.url ?? '/', 'http://bridge').pathname.replace(/\/$/, '');
    const connection = await redis();
    const run = async (command: unknown): Promise<{ result?: unknown; error?: string }> => {
      if (!Array.isArray(command) || command.length === 0) return { error: 'ERR command must be a non-empty array' };
      const args = command.map(String);
      commands.push(args);
      return reply(await connection.command(args), base64);
    };
    if (path === '' || path === '/') {
      const answer = await run(body);
      return send(res, answer.error ? 400 : 200, answer);
    }
    if (path === '/pipeline' || path === '/multi-exec') {
      if (!Array.isArray(body)) return send(res, 400, { error: 'ERR body must be an array of commands' });
      if (path === '/multi-exec') await connection.command(['MULTI']);
      const answers = await Promise.all(body.map(run));
      if (path === '/multi-exec') await connection.command(['EXEC']);
      return send(res, 200, answers);
    }
    return send(res, 404, { error: `ERR unknown path ${path}` });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        client?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(value: RespValue, base64: boolean): { result?: unknown; error?: string } {
  if (value instanceof RespError) return { error: value.message };
  return { result: encode(value, base64) };
}

function encode(value: RespValue, base64: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => encode(item, base64));
  if (value instanceof RespError) return value.message;
  if (typeof value === 'string' && base64 && value !== 'OK') return Buffer.from(value, 'utf8').toString('base64');
  return value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
