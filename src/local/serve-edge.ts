import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { EdgeRuntime } from 'edge-runtime';

export interface EdgeServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export interface ServeEdgeOptions {
  /** The bundled edge function (see bundle-gateway.ts). */
  code: string;
  /** What `process.env` holds inside the runtime, as on Vercel. */
  env: Record<string, string | undefined>;
  port?: number;
  host?: string;
  /** Receives what the function writes to its console (default: this process's stdout). */
  onLog?: (line: string) => void;
}

/**
 * Serves an edge function from Vercel's open-source Edge Runtime: the same sandbox as production, so a
 * Node-only API fails here too. Unlike edge-runtime's own `runServer`, the request body is streamed in
 * without copying, and a client that disconnects aborts `request.signal` — the way Vercel behaves — so the
 * gateway can abort its upstream call even before the first byte of the answer.
 */
export async function serveEdge(options: ServeEdgeOptions): Promise<EdgeServer> {
  const env = Object.freeze({ ...options.env });
  const runtime = new EdgeRuntime({
    initialCode: options.code,
    extend: (context) => {
      Object.assign(context, { process: { env } });
      const onLog = options.onLog;
      if (onLog) {
        const write = (...args: unknown[]) => onLog(args.map(String).join(' '));
        Object.assign(context, {
          console: { ...context.console, log: write, info: write, warn: write, error: write, debug: write },
        });
      }
      return context;
    },
  });
  const server = createServer((req, res) => {
    handle(runtime, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { message: 'Local server error.', type: 'server_error', param: null, code: null } }),
        );
      } else {
        res.destroy(error instanceof Error ? error : undefined);
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(runtime: EdgeRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const aborter = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) aborter.abort(new Error('client disconnected'));
  };
  res.once('close', onClose);

  const url = requestUrl(req);
  if (url === null) {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: {
          message: 'The request target must be a path (origin-form).',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_path',
        },
      }),
    );
    return;
  }
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const response = await runtime.dispatchFetch(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: 'half',
    signal: aborter.signal,
  } as RequestInit);

  const outHeaders: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    outHeaders[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  res.writeHead(response.status, outHeaders);
  if (typeof res.flushHeaders === 'function') res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
    res.end();
  } catch {
    // The body broke off (upstream cut, client gone): end the connection without a clean close.
    if (!res.destroyed) res.destroy();
    await reader.cancel().catch(() => {});
  }
}

/** A host name or bracketed IPv6 address with an optional port: nothing that could end the authority early. */
const AUTHORITY = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The request's URL: the path exactly as the client sent it, on the origin it named in `Host` when that is a
 * plain host[:port] (the status page shows it back), otherwise on the address the connection came in on. A
 * Host header is the client's to choose: glued in front of the path unchecked, `a/verify#` or an empty Host
 * would move the path (another route) and `a@b` would make the URL unparsable (a 500). Null for a target
 * that is not a path (`OPTIONS *`).
 */
function requestUrl(req: IncomingMessage): string | null {
  const target = pathOf(req.url ?? '');
  if (target === null) return null;
  const host = req.headers.host ?? '';
  if (AUTHORITY.test(host) && URL.canParse(`http://${host}/`)) return `http://${host}${target}`;
  const address = req.socket.localAddress ?? '';
  const local = `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 80}`;
  // A link-local address with a zone (`fe80::1%eth0`) is no URL host.
  return `${URL.canParse(local) ? local : 'http://localhost'}${target}`;
}

/** The origin-form target as it is; of an absolute-form one (which HTTP/1.1 servers must accept), its path. */
function pathOf(target: string): string | null {
  if (target.startsWith('/')) return target;
  if (!/^https?:\/\//i.test(target) || !URL.canParse(target)) return null;
  const url = new URL(target);
  return `${url.pathname}${url.search}`;
}
