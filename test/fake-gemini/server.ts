/**
 * The fake generativelanguage.googleapis.com: a node:http server that records every request, checks keys,
 * validates bodies as strictly as the real service, and answers with a scripted step or a default reply.
 *
 * Order of checks, as on Google: route (unknown → HTML 404), credentials (Authorization → 401, no key → 403),
 * the key's behaviour, the model (404), the JSON body (400); only a request that passes all of them consumes a
 * scripted step, so a bad key or a malformed body never eats the step a test queued for the next call.
 */
import { setMaxListeners } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { embeddingValues } from './embedding-values';
import { GoogleApiError, notFoundHtml } from './errors';
import type { EmbedContentRequest } from './gemini-request-schema';
import { authenticate, behaviourOfKey, findKey, keyError, keyErrorOfKind } from './key-behaviour';
import { mergeChunks } from './merge-chunks';
import { findModel, getModelResource, listModels, type ModelEntry } from './models';
import { parseJsonBody } from './proto-json';
import { countContentTokens, defaultReplyChunks, promptTokens } from './replies';
import { openStream, type Responder, sendError, sendJson, sendRaw, sendText } from './respond';
import { matchRoute, type Route, rpcName, usesModelQuota } from './routes';
import { encodeChunk, MIN_DROP_DELAY_MS, pause, type StreamFormat, streamContentType, writeStream } from './stream';
import { SignatureRegistry } from './thought-signatures';
import type { FakeGemini, GeminiResponseJSON, KeyBehaviour, RecordedRequest, StartOptions, Step } from './types';
import { validateCountTokensRequest } from './validate-count-tokens-request';
import { validateBatchEmbedRequest, validateEmbedRequest } from './validate-embed-request';
import { validateGenerateRequest } from './validate-generate-request';

type CallRoute = Extract<Route, { kind: 'call' }>;

/** What a valid call answers when no step is scripted. */
type DefaultAnswer = { kind: 'chunks'; chunks: GeminiResponseJSON[] } | { kind: 'json'; body: unknown };

interface CallContext {
  req: IncomingMessage;
  res: ServerResponse;
  record: RecordedRequest;
  route: CallRoute;
  model: ModelEntry;
  /** Set for streamGenerateContent. */
  stream: StreamFormat | undefined;
  fallback: DefaultAnswer;
}

export async function startFakeGemini(options: StartOptions = {}): Promise<FakeGemini> {
  const fake = new FakeGeminiServer(options);
  await fake.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return fake;
}

class FakeGeminiServer implements FakeGemini {
  origin = '';
  port = 0;
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Step[] = [];
  private readonly overrides = new Map<string, KeyBehaviour>();
  private readonly signatures = new SignatureRegistry();
  private readonly sockets = new Set<Socket>();
  private readonly listeners = new Set<() => void>();
  private readonly droppedByFake = new WeakSet<RecordedRequest>();
  /** Every paused stream listens to it until its pause ends: hundreds at once under load, by design. */
  private readonly shutdown = (() => {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  })();
  private readonly server: Server;
  private readonly responder: Responder;
  private readonly options: StartOptions;
  private responses = 0;

  constructor(options: StartOptions) {
    this.options = options;
    this.responder = { gzip: options.gzip ?? true };
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address();
        if (address === null || typeof address === 'string') return reject(new Error('fake gemini: no TCP address'));
        this.port = address.port;
        this.origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
        resolve();
      });
    });
  }

  get remainingSteps(): number {
    return this.queue.length;
  }

  script(...steps: Step[]): void {
    this.queue.push(...steps);
  }

  reset(): void {
    // Emptied in place: tests may hold a reference to `requests`.
    this.requests.length = 0;
    this.queue.length = 0;
    this.overrides.clear();
  }

  setKey(key: string, behaviour: KeyBehaviour): void {
    this.overrides.set(key, behaviour);
  }

  issueThoughtSignature(): string {
    return this.signatures.issue();
  }

  waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs = 2000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.requests)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `fake gemini: condition not met within ${timeoutMs} ms (${this.requests.length} requests recorded)`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  async waitForAbort(
    predicate: (req: RecordedRequest) => boolean = () => true,
    timeoutMs = 2000,
  ): Promise<RecordedRequest> {
    const match = (r: RecordedRequest) => r.aborted && predicate(r);
    await this.waitFor((requests) => requests.some(match), timeoutMs);
    return this.requests.find(match) as RecordedRequest;
  }

  close(): Promise<void> {
    this.shutdown.abort();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-gemini');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: flattenHeaders(req.headers),
      body: undefined,
      rawBody: '',
      ...findKey(req.headers, url.searchParams),
      aborted: false,
    };
    res.on('close', () => {
      if (res.writableFinished || this.shutdown.signal.aborted || this.droppedByFake.has(record)) return;
      record.aborted = true;
      this.notify();
    });
    if (this.options.log) res.on('close', () => logLine(record, res.statusCode, res.headersSent));
    record.rawBody = await readBody(req);
    record.body = parseOrUndefined(record.rawBody);
    this.requests.push(record);
    this.notify();
    if (res.destroyed) return;
    try {
      await this.answer(req, res, url, record);
    } catch (error) {
      if (!(error instanceof GoogleApiError)) console.error('fake gemini: internal failure', error);
      if (res.headersSent) return void res.destroy();
      const answer = error instanceof GoogleApiError ? error : new GoogleApiError(500, `fake gemini: ${String(error)}`);
      sendError(req, res, this.responder, answer);
    }
  }

  private async answer(req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest): Promise<void> {
    const route = matchRoute(record.method, url.pathname);
    if (!route) {
      return sendText(req, res, this.responder, 404, 'text/html; charset=UTF-8', notFoundHtml(url.pathname));
    }
    const authError = authenticate(req.headers, record, rpcName(route));
    if (authError) throw authError;
    const behaviour = behaviourOfKey(record.key ?? '', this.overrides);
    if (behaviour === 'drop') return this.drop(res, record);
    if (behaviour === 'stall') return;
    const model = route.kind === 'call' ? route.model : undefined;
    const embedding = route.kind === 'call' && route.method.toLowerCase().includes('embed');
    const error = keyError(behaviour, { model, embedding });
    // Quota and overload belong to model calls; listing models with such a key works, as on Google.
    const modelOnly =
      typeof behaviour === 'object' || behaviour === 'quota' || behaviour === 'quotaday' || behaviour === 'down';
    if (error && (usesModelQuota(route) || !modelOnly)) throw error;

    if (route.kind === 'listModels' || route.kind === 'getModel') {
      const answer =
        route.kind === 'listModels'
          ? listModels(url.searchParams, this.options.maxPageSize)
          : getModelResource(route.model, route.version);
      if (behaviour !== 'stall-after-headers') return sendJson(req, res, this.responder, 200, answer);
      const whole = JSON.stringify(answer, null, 2);
      return void (await openStream(req, res, this.responder, 200, 'application/json; charset=UTF-8').write(
        whole.slice(0, whole.length >> 1),
      ));
    }
    const entry = findModel(route.model, route.method, route.version);
    const parsed = parseJsonBody(record.rawBody);
    if (!parsed.ok) throw parsed.error;
    const ctx: CallContext = {
      req,
      res,
      record,
      route,
      model: entry,
      stream:
        route.method === 'streamGenerateContent'
          ? url.searchParams.get('alt') === 'sse'
            ? 'sse'
            : 'json-array'
          : undefined,
      fallback: this.defaultAnswer(route, entry, parsed.value),
    };
    if (behaviour === 'stall-after-headers') return this.perform({ fault: 'stall-after-headers' }, ctx);
    const step = this.queue.shift();
    await this.perform(step ?? toStep(ctx.fallback), ctx);
  }

  /** Validates the body for the route's method and builds the default answer (throws the service's 400s). */
  private defaultAnswer(route: CallRoute, model: ModelEntry, body: unknown): DefaultAnswer {
    switch (route.method) {
      case 'generateContent':
      case 'streamGenerateContent': {
        const request = validateGenerateRequest(body, {
          model,
          prefix: 'GenerateContentRequest',
          signatures: this.signatures,
        });
        const responseId = Buffer.from(`fake-${++this.responses}-${process.pid}`).toString('base64url');
        const sign = () => this.signatures.issue();
        return { kind: 'chunks', chunks: defaultReplyChunks({ request, model, responseId, sign }) };
      }
      case 'countTokens': {
        const input = validateCountTokensRequest(body, model);
        const total = input.request ? promptTokens(input.request) : countContentTokens(input.contents);
        return {
          kind: 'json',
          body: { totalTokens: total, promptTokensDetails: [{ modality: 'TEXT', tokenCount: total }] },
        };
      }
      case 'embedContent': {
        const request = validateEmbedRequest(body, model);
        return { kind: 'json', body: { embedding: embed(request, model) } };
      }
      case 'batchEmbedContents': {
        const requests = validateBatchEmbedRequest(body, model);
        return { kind: 'json', body: { embeddings: requests.map((r) => embed(r, model)) } };
      }
    }
  }

  private async perform(step: Step, ctx: CallContext): Promise<void> {
    const { req, res } = ctx;
    if (typeof step === 'function') return this.perform(step(ctx.record), ctx);
    if ('reply' in step) return this.sendChunks([step.reply], undefined, ctx);
    if ('chunks' in step) {
      // A thinking model: nothing at all (not even headers) until the first chunk is ready.
      if (step.startDelayMs && !(await pause(step.startDelayMs, this.shutdown.signal))) return;
      if (ctx.res.destroyed) return;
      return this.sendChunks(step.chunks, step.delayMs, ctx);
    }
    if ('raw' in step)
      return sendRaw(res, step.status ?? 200, step.contentType ?? 'text/plain; charset=utf-8', step.raw);
    if ('keyError' in step) {
      const embedding = ctx.route.method.toLowerCase().includes('embed');
      throw keyErrorOfKind(step.keyError, { model: ctx.model.id, embedding });
    }
    if ('status' in step) return sendJson(req, res, this.responder, step.status, step.body, step.headers);
    switch (step.fault) {
      case 'drop-before-headers':
        return this.drop(res, ctx.record);
      case 'stall':
        return;
      case 'drop-mid-stream':
        return this.dropMidStream(step.afterChunks ?? 1, ctx);
      case 'stall-after-headers':
        return this.stallAfterHeaders(ctx);
      case 'endless-sse-line':
        return this.endlessSseLine(ctx);
    }
  }

  /** Headers, the first stream chunk or the first half of a whole answer, then silence until the client leaves. */
  private async stallAfterHeaders(ctx: CallContext): Promise<void> {
    const fallback = ctx.fallback;
    const chunks =
      fallback.kind === 'chunks'
        ? this.signatures.signChunks(fallback.chunks, ctx.model.traits.requiresThoughtSignatures)
        : [];
    if (ctx.stream) {
      const body = openStream(ctx.req, ctx.res, this.responder, 200, streamContentType(ctx.stream));
      if (chunks[0]) await body.write(encodeChunk(ctx.stream, chunks[0], 0));
      return;
    }
    const whole = JSON.stringify(fallback.kind === 'chunks' ? mergeChunks(chunks) : fallback.body, null, 2);
    const body = openStream(ctx.req, ctx.res, this.responder, 200, 'application/json; charset=UTF-8');
    await body.write(whole.slice(0, Math.floor(whole.length / 2)));
  }

  private async endlessSseLine(ctx: CallContext): Promise<void> {
    const fallback = ctx.fallback;
    const chunks =
      fallback.kind === 'chunks'
        ? this.signatures.signChunks(fallback.chunks, ctx.model.traits.requiresThoughtSignatures)
        : [];
    const body = openStream(ctx.req, ctx.res, this.responder, 200, streamContentType('sse'));
    if (chunks[0]) await body.write(encodeChunk('sse', chunks[0], 0));
    await body.write('data: {"candidates":[{"content":{"parts":[{"text":"');
    const piece = 'x'.repeat(64 * 1024);
    for (
      let sent = 0;
      sent < 64 * 1024 * 1024 && !ctx.res.destroyed && !this.shutdown.signal.aborted;
      sent += piece.length
    )
      await body.write(piece);
  }

  private async sendChunks(
    chunks: readonly GeminiResponseJSON[],
    delayMs: number | undefined,
    ctx: CallContext,
  ): Promise<void> {
    const generates = ctx.route.method === 'generateContent' || ctx.route.method === 'streamGenerateContent';
    const outgoing = generates
      ? this.signatures.signChunks(chunks, ctx.model.traits.requiresThoughtSignatures)
      : [...chunks];
    if (ctx.stream) return this.stream(outgoing, delayMs, undefined, ctx);
    const body = outgoing.length === 1 ? outgoing[0] : mergeChunks(outgoing);
    sendJson(ctx.req, ctx.res, this.responder, 200, body);
  }

  private async stream(
    chunks: readonly GeminiResponseJSON[],
    delayMs: number | undefined,
    dropAfter: number | undefined,
    ctx: CallContext,
  ): Promise<void> {
    const format = ctx.stream ?? 'json-array';
    const body = openStream(ctx.req, ctx.res, this.responder, 200, streamContentType(format));
    await writeStream(body, {
      format,
      chunks,
      delayMs: delayMs ?? this.options.chunkDelayMs ?? 0,
      dropAfter,
      signal: this.shutdown.signal,
      isGone: () => ctx.res.destroyed,
      drop: () => this.drop(ctx.res, ctx.record),
    });
  }

  /** A stream cut after some chunks; a non-stream answer cut halfway through its JSON. */
  private async dropMidStream(afterChunks: number, ctx: CallContext): Promise<void> {
    const fallback = ctx.fallback;
    const chunks =
      fallback.kind === 'chunks'
        ? this.signatures.signChunks(fallback.chunks, ctx.model.traits.requiresThoughtSignatures)
        : [];
    if (ctx.stream) return this.stream(chunks, undefined, afterChunks, ctx);
    const whole = JSON.stringify(fallback.kind === 'chunks' ? mergeChunks(chunks) : fallback.body, null, 2);
    const body = openStream(ctx.req, ctx.res, this.responder, 200, 'application/json; charset=UTF-8');
    await body.write(whole.slice(0, Math.floor(whole.length / 2)));
    if (await pause(MIN_DROP_DELAY_MS, this.shutdown.signal)) this.drop(ctx.res, ctx.record);
  }

  /** Cuts the connection; not counted as a client abort. */
  private drop(res: ServerResponse, record: RecordedRequest): void {
    this.droppedByFake.add(record);
    res.socket?.destroy();
    res.destroy();
  }
}

function toStep(answer: DefaultAnswer): Step {
  return answer.kind === 'chunks' ? { chunks: answer.chunks } : { reply: answer.body as GeminiResponseJSON };
}

function embed(request: EmbedContentRequest, model: ModelEntry): { values: number[] } {
  const text = (request.content?.parts ?? []).map((p) => p.text ?? '').join(' ');
  const dimensions = request.outputDimensionality || model.traits.embeddingDimensions || 768;
  return { values: embeddingValues(text, dimensions) };
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The body as sent; a client that disconnects mid-body leaves what arrived. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
  });
}

function parseOrUndefined(raw: string): unknown {
  try {
    return raw === '' ? undefined : (JSON.parse(raw) as unknown);
  } catch {
    return undefined;
  }
}

function logLine(record: RecordedRequest, status: number, answered: boolean): void {
  const key = record.key === undefined ? 'none' : `${record.key.slice(0, 6)}… (${record.keyIn})`;
  const outcome = record.aborted ? 'aborted by client' : answered ? String(status) : 'dropped';
  console.error(`[fake-gemini] ${record.method} ${record.path} key=${key} → ${outcome}`);
}
