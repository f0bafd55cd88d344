// measured: run `npm run bench` before changing (docs/performance.md).
import type { GeminiFunctionResponse } from './gemini-types';
import { MAX_JSON_DEPTH, measureJson } from './measure-json';

/** The JSON whitespace (RFC 8259: space, tab, LF, CR) and then a character a JSON value can start with. */
const JSON_START = /^[\t\n\r ]*[[{"\-0-9tfn]/;

/** A tool's result, as every client protocol sends it (text), as Gemini's `functionResponse` part. */
export function toGeminiFunctionResponse(name: string, text: string): { functionResponse: GeminiFunctionResponse } {
  return { functionResponse: { name, response: wrapToolResult(text) } };
}

/**
 * A tool result as Gemini's `functionResponse.response`, which must be an object: a JSON object is used as
 * it is; any other JSON value or plain text becomes `{result: value}`. JSON nested deeper than MAX_JSON_DEPTH
 * goes as its text: what the tool said reaches the model unchanged, and a refusal would break every later
 * request of a conversation that keeps the result in its history.
 */
export function wrapToolResult(text: string): Record<string, unknown> {
  // Most tool results are plain text, and a JSON.parse that throws costs tens of µs (the exception and its
  // stack): text whose first non-blank character cannot start a JSON value skips it.
  if (!JSON_START.test(text)) return { result: text };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && measureJson(parsed, MAX_JSON_DEPTH) === undefined)
      return { result: text };
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { result: parsed };
  } catch {
    return { result: text };
  }
}
