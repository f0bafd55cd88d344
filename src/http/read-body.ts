import { GatewayError } from '../errors';
import { concatBytes } from './concat-bytes';

/**
 * The request body as bytes, refused with 413 as soon as it passes `maxBytes` — whether the client declared
 * its length or not — so an oversized body is never read whole into memory. Bodies are buffered because
 * failover replays them to the next key.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = (request.body as ReadableStream<Uint8Array<ArrayBuffer>>).getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
    try {
      result = await reader.read();
    } catch (error) {
      throw new GatewayError(400, 'The request body could not be read.', { cause: error });
    }
    if (result.done) break;
    size += result.value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(result.value);
  }
  return concatBytes(chunks, size);
}

/** One for all requests: a decode without `stream` keeps no state between calls, failed ones included. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text; invalid UTF-8 is a client error, not a silent U+FFFD. */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  return decodeBodyText(await readBody(request, maxBytes));
}

/** readBodyText's decoding, for callers that read the bytes themselves (one async frame less, issue 18). */
export function decodeBodyText(bytes: Uint8Array<ArrayBuffer>): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new GatewayError(400, 'The request body is not valid UTF-8.', { code: 'invalid_encoding' });
  }
}

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError(413, `The request body is larger than the limit of ${maxBytes} bytes (MAX_BODY_BYTES).`, {
    code: 'request_too_large',
  });
}
