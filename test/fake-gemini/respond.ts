/**
 * Writing answers the way Google's front end does: pretty-printed JSON with a trailing newline, its usual
 * headers, and gzip whenever the client accepts it — fetch clients decompress silently, so a gateway that
 * copies `content-encoding` or `content-length` from upstream onto its own (decoded) body is caught.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, createGzip, gzipSync } from 'node:zlib';
import { type GoogleApiError, serializeError } from './errors';

const JSON_TYPE = 'application/json; charset=UTF-8';

const GOOGLE_HEADERS: Record<string, string> = {
  vary: 'Origin, X-Origin, Referer',
  server: 'scaffolding on HTTPServer2',
  'x-xss-protection': '0',
  'x-frame-options': 'SAMEORIGIN',
  'x-content-type-options': 'nosniff',
};

export interface Responder {
  gzip: boolean;
}

function acceptsGzip(req: IncomingMessage, options: Responder): boolean {
  return options.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

/** A whole body at once, with Content-Length. */
export function sendText(
  req: IncomingMessage,
  res: ServerResponse,
  options: Responder,
  status: number,
  contentType: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const compress = acceptsGzip(req, options) && text !== '';
  const body = compress ? gzipSync(text) : Buffer.from(text);
  res.writeHead(status, {
    ...GOOGLE_HEADERS,
    'content-type': contentType,
    ...(compress ? { 'content-encoding': 'gzip' } : {}),
    'content-length': String(body.length),
    ...headers,
  });
  res.end(body);
}

export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  options: Responder,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : `${JSON.stringify(body, null, 2)}\n`;
  sendText(req, res, options, status, JSON_TYPE, text, headers);
}

export function sendError(req: IncomingMessage, res: ServerResponse, options: Responder, error: GoogleApiError): void {
  sendText(req, res, options, error.status, JSON_TYPE, serializeError(error), error.headers);
}

/** Raw bytes exactly as scripted: no gzip, no Google headers. */
export function sendRaw(res: ServerResponse, status: number, contentType: string, text: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export interface BodyStream {
  /** Resolves once the text is flushed to the socket (compressed or not). */
  write(text: string): Promise<void>;
  end(text?: string): Promise<void>;
}

/** A chunked body whose every write reaches the client at once, so progressive delivery can be measured. */
export function openStream(
  req: IncomingMessage,
  res: ServerResponse,
  options: Responder,
  status: number,
  contentType: string,
): BodyStream {
  const compress = acceptsGzip(req, options);
  res.writeHead(status, {
    ...GOOGLE_HEADERS,
    'content-type': contentType,
    ...(compress ? { 'content-encoding': 'gzip' } : {}),
  });
  res.socket?.setNoDelay(true);
  res.on('error', () => undefined);
  if (!compress) {
    return {
      write: (text) => new Promise((resolve) => (res.destroyed ? resolve() : res.write(text, () => resolve()))),
      end: (text) => new Promise((resolve) => (res.destroyed ? resolve() : res.end(text ?? '', () => resolve()))),
    };
  }
  const gzip = createGzip();
  gzip.on('error', () => undefined);
  gzip.pipe(res);
  return {
    write: (text) =>
      new Promise((resolve) => {
        if (res.destroyed) return resolve();
        gzip.write(text);
        gzip.flush(constants.Z_SYNC_FLUSH, () => resolve());
      }),
    end: (text) =>
      new Promise((resolve) => {
        if (res.destroyed) return resolve();
        res.once('finish', () => resolve());
        res.once('close', () => resolve());
        gzip.end(text ?? '');
      }),
  };
}
