/** One Server-Sent Event as it arrived: a `data:` payload or a `:` comment line, and when it arrived. */
export interface SseEvent {
  data?: string;
  comment?: string;
  /** Milliseconds since `startedAt`. */
  at: number;
}

export interface SseRead {
  /** The whole body as text, exactly as the server sent it. */
  raw: string;
  events: SseEvent[];
}

/**
 * Reads an SSE body to its end, splitting events on blank lines (LF or CRLF) as they arrive, so that tests
 * can check both the exact bytes and the timing of each event.
 */
export async function readSse(response: Response, startedAt = Date.now()): Promise<SseRead> {
  if (!response.body) throw new Error('readSse: the response has no body');
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let raw = '';
  let pending = '';
  const take = (block: string, at: number) => {
    const lines = block.split(/\r?\n/).filter((line) => line !== '');
    if (lines.length === 0) return;
    const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).replace(/^ /, ''));
    const comments = lines.filter((line) => line.startsWith(':')).map((line) => line.slice(1).trim());
    if (data.length > 0) events.push({ data: data.join('\n'), at });
    else if (comments.length > 0) events.push({ comment: comments.join('\n'), at });
  };
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(chunk, { stream: true });
    raw += text;
    pending += text;
    const at = Date.now() - startedAt;
    for (;;) {
      const match = /\r?\n\r?\n/.exec(pending);
      if (!match) break;
      take(pending.slice(0, match.index), at);
      pending = pending.slice(match.index + match[0].length);
    }
  }
  raw += decoder.decode();
  take(pending, Date.now() - startedAt);
  return { raw, events };
}

/** The JSON of every `data:` event except `[DONE]`. */
export function dataEvents<T = unknown>(read: SseRead): T[] {
  return read.events
    .filter((event) => event.data !== undefined && event.data !== '[DONE]')
    .map((event) => JSON.parse(event.data as string) as T);
}
