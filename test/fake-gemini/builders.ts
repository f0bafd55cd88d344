/**
 * Builders for scripted replies, so tests read as what the model says rather than as JSON plumbing.
 */
import { splitIntoPieces } from './replies';
import type { GeminiPartJSON, GeminiResponseJSON, GeminiUsageJSON } from './types';

export interface ReplyOptions {
  modelVersion?: string;
  responseId?: string;
  finishReason?: string;
  promptTokenCount?: number;
}

function usage(prompt: number, candidates: number): GeminiUsageJSON {
  return { promptTokenCount: prompt, candidatesTokenCount: candidates, totalTokenCount: prompt + candidates };
}

function response(
  parts: GeminiPartJSON[],
  finishReason: string | undefined,
  tokens: number,
  opts: ReplyOptions,
): GeminiResponseJSON {
  return {
    candidates: [{ content: { parts, role: 'model' }, index: 0, ...(finishReason ? { finishReason } : {}) }],
    usageMetadata: usage(opts.promptTokenCount ?? 1, tokens),
    modelVersion: opts.modelVersion ?? 'gemini-3.8-flash',
    responseId: opts.responseId ?? 'fake-scripted-response',
  };
}

/** One complete text reply. */
export function textReply(text: string, opts: ReplyOptions = {}): GeminiResponseJSON {
  return response([{ text }], opts.finishReason ?? 'STOP', countWords(text), opts);
}

/** A text reply as word-sized stream chunks with cumulative usage; the last carries the finish reason. */
export function textChunks(text: string, opts: ReplyOptions & { pieces?: string[] } = {}): GeminiResponseJSON[] {
  const pieces = opts.pieces ?? splitIntoPieces(text);
  let sent = '';
  return pieces.map((piece, i) => {
    sent += piece;
    const last = i === pieces.length - 1;
    return response([{ text: piece }], last ? (opts.finishReason ?? 'STOP') : undefined, countWords(sent), opts);
  });
}

export interface FunctionCallSpec {
  name: string;
  args?: Record<string, unknown>;
  id?: string;
  /** Omit to let the fake sign the first call itself on Gemini 3 models. */
  thoughtSignature?: string;
}

/** A reply calling one or more functions (parallel calls); Gemini reports STOP for these, not a tool reason. */
export function functionCallReply(
  calls: FunctionCallSpec | FunctionCallSpec[],
  opts: ReplyOptions = {},
): GeminiResponseJSON {
  const list = Array.isArray(calls) ? calls : [calls];
  const parts = list.map(
    ({ name, args, id, thoughtSignature }): GeminiPartJSON => ({
      functionCall: { name, args: args ?? {}, ...(id ? { id } : {}) },
      ...(thoughtSignature ? { thoughtSignature } : {}),
    }),
  );
  const tokens = list.reduce((sum, c) => sum + countWords(`${c.name} ${JSON.stringify(c.args ?? {})}`), 0);
  return response(parts, opts.finishReason ?? 'STOP', tokens, opts);
}

/** A prompt blocked before generation: no candidates, only promptFeedback. */
export function blockedReply(blockReason = 'SAFETY', opts: ReplyOptions = {}): GeminiResponseJSON {
  return {
    promptFeedback: { blockReason },
    usageMetadata: { promptTokenCount: opts.promptTokenCount ?? 1, totalTokenCount: opts.promptTokenCount ?? 1 },
    modelVersion: opts.modelVersion ?? 'gemini-3.8-flash',
    responseId: opts.responseId ?? 'fake-scripted-response',
  };
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
