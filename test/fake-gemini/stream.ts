/**
 * The two stream encodings of streamGenerateContent:
 * - `?alt=sse`: Server-Sent Events, one compact JSON per event, events separated by CRLF CRLF;
 * - otherwise one JSON array written progressively: `[{…}` then `\n,\r\n{…}` per chunk, then `\n]`, with
 *   pretty-printed elements — a reader that splits on newlines instead of parsing JSON breaks here, as on Google.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BodyStream } from './respond';
import type { GeminiResponseJSON } from './types';

export type StreamFormat = 'sse' | 'json-array';

export function streamContentType(format: StreamFormat): string {
  return format === 'sse' ? 'text/event-stream' : 'application/json; charset=UTF-8';
}

export function encodeChunk(format: StreamFormat, chunk: GeminiResponseJSON, position: number): string {
  if (format === 'sse') return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
  return `${position === 0 ? '[' : '\n,\r\n'}${JSON.stringify(chunk, null, 2)}`;
}

export function encodeEnd(format: StreamFormat, count: number): string {
  if (format === 'sse') return '';
  return count === 0 ? '[]' : '\n]';
}

export interface StreamPlan {
  format: StreamFormat;
  chunks: readonly GeminiResponseJSON[];
  delayMs: number;
  /** Cut the connection after this many chunks instead of ending the stream. */
  dropAfter?: number;
  /** Aborted when the fake closes, so pending delays end. */
  signal: AbortSignal;
  isGone: () => boolean;
  drop: () => void;
}

/**
 * A dropped stream dies when its next chunk was due, and never sooner than this: cut in the same instant as
 * the last write, a client could see the reset before the chunks that preceded it.
 */
export const MIN_DROP_DELAY_MS = 50;

/** Writes the chunks `delayMs` apart (the first at once); stops early if the client goes away. */
export async function writeStream(body: BodyStream, plan: StreamPlan): Promise<void> {
  let written = 0;
  for (const chunk of plan.chunks) {
    if (plan.dropAfter !== undefined && written >= plan.dropAfter) break;
    if (written > 0 && !(await pause(plan.delayMs, plan.signal))) return;
    if (plan.isGone()) return;
    await body.write(encodeChunk(plan.format, chunk, written));
    written++;
  }
  if (plan.dropAfter !== undefined) {
    if (await pause(Math.max(plan.delayMs, MIN_DROP_DELAY_MS), plan.signal)) plan.drop();
    return;
  }
  if (plan.isGone()) return;
  await body.end(encodeEnd(plan.format, written));
}

/** False when the fake is shutting down. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !signal.aborted;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
