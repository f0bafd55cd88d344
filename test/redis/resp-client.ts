import { connect, type Socket } from 'node:net';

/** A Redis reply as RESP2 carries it; errors are values here, so a pipeline can return them in place. */
export type RespValue = string | number | null | RespError | RespValue[];

export class RespError {
  constructor(readonly message: string) {}
}

/**
 * The smallest Redis client the test bridge needs: RESP2 over one TCP connection, commands pipelined and
 * answered in order (https://redis.io/docs/latest/develop/reference/protocol-spec/).
 */
export class RespClient {
  private buffer = Buffer.alloc(0);
  private readonly waiting: { resolve: (value: RespValue) => void; reject: (error: Error) => void }[] = [];
  private closed: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const parsed = parse(this.buffer, 0);
        if (!parsed) break;
        this.buffer = this.buffer.subarray(parsed.end);
        this.waiting.shift()?.resolve(parsed.value);
      }
    });
    const fail = (error: Error) => {
      this.closed ??= error;
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('redis connection closed')));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => {
        socket.off('error', reject);
        resolve(new RespClient(socket));
      });
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return this.closed === null;
  }

  command(args: readonly (string | number)[]): Promise<RespValue> {
    if (this.closed) return Promise.reject(this.closed);
    const parts = args.map((arg) => Buffer.from(String(arg)));
    const head = `*${parts.length}\r\n`;
    const body = parts.map((part) => Buffer.concat([Buffer.from(`$${part.length}\r\n`), part, Buffer.from('\r\n')]));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(Buffer.concat([Buffer.from(head), ...body]));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One reply from `buffer` at `start`, or null when it has not fully arrived yet. */
function parse(buffer: Buffer, start: number): { value: RespValue; end: number } | null {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd === -1) return null;
  const type = String.fromCharCode(buffer[start] as number);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new RespError(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return null;
      return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, at);
        if (!item) return null;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
  }
}
