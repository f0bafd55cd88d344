/**
 * Default replies when no step is scripted. Deterministic, so end-to-end tests can assert content:
 * - text: `Echo: <text parts of the last user turn, joined by a space>` (or `Echo: (no text)`); candidate i > 0
 *   says `Echo[i]: …`;
 * - JSON mode: `{"echo": "<that text>"}`, or the smallest value that fits the response schema when it has one;
 * - `toolConfig.functionCallingConfig.mode: ANY` with declared functions: a call of the first allowed function;
 * - `includeThoughts`: a thought part `Thinking about it...` first;
 * - the googleSearch tool: the same text, with groundingMetadata citing two pages (grounding.ts);
 * - an image model asked for IMAGE (or for nothing): a PNG inlineData part after the text (images.ts).
 * Tokens are counted as whitespace-separated words (258 per media part), so usage is predictable too.
 */
import type { Content, GeminiSchema, GenerateContentRequest } from './gemini-request-schema';
import { groundingFor, searchInvocationParts, showsSearchInvocations, usesGoogleSearch } from './grounding';
import { fakePngBase64, IMAGE_TOKENS, outputPlan } from './images';
import type { ModelEntry } from './models';
import type { GeminiCandidateJSON, GeminiPartJSON, GeminiResponseJSON, GeminiUsageJSON } from './types';

export const THOUGHT_TEXT = 'Thinking about it...';
const MEDIA_TOKENS = 258;

export function countTextTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export function countContentTokens(contents: readonly Content[]): number {
  let total = 0;
  for (const content of contents) {
    for (const part of content.parts ?? []) {
      if (part.text !== undefined) total += countTextTokens(part.text);
      if (part.inlineData || part.fileData) total += MEDIA_TOKENS;
      if (part.functionCall)
        total += countTextTokens(`${part.functionCall.name} ${JSON.stringify(part.functionCall.args ?? {})}`);
      if (part.functionResponse) {
        total += countTextTokens(
          `${part.functionResponse.name} ${JSON.stringify(part.functionResponse.response ?? {})}`,
        );
      }
    }
  }
  return total;
}

export function promptTokens(request: GenerateContentRequest): number {
  const system = request.systemInstruction ? [request.systemInstruction] : [];
  return countContentTokens([...system, ...(request.contents ?? [])]);
}

/** Text of the last user turn, which the echo repeats. */
export function lastUserText(contents: readonly Content[]): string {
  const last = [...contents].reverse().find((c) => (c.role ?? 'user') === 'user');
  const texts = (last?.parts ?? []).filter((p) => p.text !== undefined && !p.thought).map((p) => p.text ?? '');
  const joined = texts.join(' ').trim();
  return joined === '' ? '(no text)' : joined;
}

export interface ReplyContext {
  request: GenerateContentRequest;
  model: ModelEntry;
  responseId: string;
  /** Issues a thought signature (Gemini 3 signs the end of a text reply). */
  sign: () => string;
}

/** The default reply as stream chunks; a non-stream call sends them merged. */
export function defaultReplyChunks(ctx: ReplyContext): GeminiResponseJSON[] {
  const { request, model } = ctx;
  const config = request.generationConfig ?? {};
  const echo = lastUserText(request.contents ?? []);
  const candidateCount = Math.max(1, config.candidateCount ?? 1);
  const thinks = Boolean(config.thinkingConfig?.includeThoughts) && model.traits.thinkingBudget !== undefined;
  const prompt = promptTokens(request);
  const base = { modelVersion: model.id, responseId: ctx.responseId };
  const usage = (candidateTokens: number, thoughtTokens: number): GeminiUsageJSON => ({
    promptTokenCount: prompt,
    candidatesTokenCount: candidateTokens,
    totalTokenCount: prompt + candidateTokens + thoughtTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
    ...(thoughtTokens > 0 ? { thoughtsTokenCount: thoughtTokens } : {}),
  });
  const thoughtTokens = thinks ? countTextTokens(THOUGHT_TEXT) : 0;
  const chunks: GeminiResponseJSON[] = [];
  if (thinks) {
    chunks.push({
      candidates: range(candidateCount).map((index) => candidate(index, [{ text: THOUGHT_TEXT, thought: true }])),
      usageMetadata: usage(0, thoughtTokens),
      ...base,
    });
  }

  const call = forcedFunctionCall(request);
  if (call) {
    const parts: GeminiPartJSON[] = [{ functionCall: call }];
    const tokens = countTextTokens(`${call.name} ${JSON.stringify(call.args)}`) * candidateCount;
    chunks.push({
      candidates: range(candidateCount).map((index) => ({ ...candidate(index, parts), finishReason: 'STOP' })),
      usageMetadata: usage(tokens, thoughtTokens),
      ...base,
    });
    return chunks;
  }

  const labels = range(candidateCount).map((index) => (index === 0 ? 'Echo' : `Echo[${index}]`));
  const plan = outputPlan(request, model);
  const texts = plan.text ? labels.map((label) => replyText(request, label, echo)) : [];
  const invocations = showsSearchInvocations(request) && texts.length > 0;
  const grounding = usesGoogleSearch(request)
    ? texts.map((text, index) =>
        text.startsWith(`${labels[index]}: `)
          ? groundingFor(text, `${labels[index]}: `, echo, invocations ? 2 : 0)
          : undefined,
      )
    : [];
  if (invocations) {
    chunks.push({
      candidates: labels.map((_, index) => candidate(index, searchInvocationParts(echo, `search-${index}`))),
      usageMetadata: usage(0, thoughtTokens),
      ...base,
    });
  }
  const imageTokens = plan.image ? IMAGE_TOKENS * candidateCount : 0;
  const pieces = texts.map(splitIntoPieces);
  const rounds = pieces.length === 0 ? 0 : Math.max(...pieces.map((p) => p.length));
  // Gemini 3 ends a text reply with an empty signed part in its own chunk; an image ends the reply otherwise.
  const signsText = model.traits.requiresThoughtSignatures;
  const endsWithOwnChunk = signsText || plan.image;
  let sent = texts.map(() => '');
  const finish = (c: GeminiCandidateJSON, index: number): GeminiCandidateJSON => {
    const metadata = grounding[index];
    return { ...c, finishReason: 'STOP', ...(metadata ? { groundingMetadata: metadata } : {}) };
  };
  for (let round = 0; round < rounds; round++) {
    const last = round === rounds - 1 && !endsWithOwnChunk;
    const candidates = pieces.flatMap((own, index): GeminiCandidateJSON[] => {
      const piece = own[round];
      if (piece === undefined) return [];
      sent = sent.map((s, i) => (i === index ? s + piece : s));
      const c = candidate(index, [{ text: piece }]);
      return [last ? finish(c, index) : c];
    });
    chunks.push({ candidates, usageMetadata: usage(countTextTokens(sent.join(' ')), thoughtTokens), ...base });
  }
  if (endsWithOwnChunk) {
    const parts = (): GeminiPartJSON[] => {
      const own: GeminiPartJSON[] = [];
      if (plan.image)
        own.push({
          inlineData: { mimeType: 'image/png', data: fakePngBase64() },
          ...(signsText ? { thoughtSignature: ctx.sign() } : {}),
        });
      else own.push({ text: '', thoughtSignature: ctx.sign() });
      return own;
    };
    chunks.push({
      candidates: labels.map((_, index) => finish(candidate(index, parts()), index)),
      usageMetadata: usage(countTextTokens(sent.join(' ')) + imageTokens, thoughtTokens),
      ...base,
    });
  }
  return chunks;
}

function candidate(index: number, parts: GeminiPartJSON[]): GeminiCandidateJSON {
  return { content: { parts, role: 'model' }, index };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function replyText(request: GenerateContentRequest, label: string, echo: string): string {
  const config = request.generationConfig ?? {};
  const schema: unknown = config.responseSchema ?? config.responseJsonSchema;
  if (config.responseMimeType === 'text/x.enum') {
    const first = exampleFromSchema(schema, echo);
    return typeof first === 'string' ? first : `${label}: ${echo}`;
  }
  if (config.responseMimeType === 'application/json') {
    const value = schemaIsInformative(schema) ? exampleFromSchema(schema, echo) : { echo };
    return JSON.stringify(value);
  }
  return `${label}: ${echo}`;
}

/** Word-sized pieces (at least three, splitting the last word if needed) so streams always have a middle. */
export function splitIntoPieces(text: string): string[] {
  const pieces = text.match(/\s*\S+/g) ?? [text];
  while (pieces.length < 3) {
    const longest = pieces.reduce((best, p, i) => (p.length > (pieces[best]?.length ?? 0) ? i : best), 0);
    const word = pieces[longest] ?? '';
    if (word.length < 2) break;
    const cut = Math.ceil(word.length / 2);
    pieces.splice(longest, 1, word.slice(0, cut), word.slice(cut));
  }
  return pieces;
}

/** With mode ANY the model must call a function: the first allowed one, with the smallest valid arguments. */
function forcedFunctionCall(
  request: GenerateContentRequest,
): { name: string; args: Record<string, unknown> } | undefined {
  const calling = request.toolConfig?.functionCallingConfig;
  if (calling?.mode !== 'ANY') return undefined;
  const declarations = (request.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
  const allowed = calling.allowedFunctionNames ?? [];
  const chosen = declarations.find((d) => allowed.length === 0 || allowed.includes(d.name ?? ''));
  if (!chosen?.name) return undefined;
  const value = exampleFromSchema(chosen.parameters ?? chosen.parametersJsonSchema, '');
  const args =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return { name: chosen.name, args };
}

function schemaIsInformative(schema: unknown): boolean {
  if (!isRecord(schema)) return false;
  const type = schemaType(schema);
  return (type !== undefined && type !== 'object') || isRecord(schema.properties) || Array.isArray(schema.anyOf);
}

/**
 * The smallest value that fits a schema, for Google's Schema (`type: "OBJECT"`) and JSON Schema alike:
 * enums take their first value, strings the echoed text, numbers their minimum or 0, arrays `minItems` items.
 */
export function exampleFromSchema(schema: unknown, text: string, depth = 0): unknown {
  if (!isRecord(schema) || depth > 8) return text;
  const s = schema as GeminiSchema & Record<string, unknown>;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if ('const' in s) return s.const;
  const alternatives = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as
    | unknown[]
    | undefined;
  if (alternatives && alternatives.length > 0) return exampleFromSchema(alternatives[0], text, depth + 1);
  const type = schemaType(s);
  if (type === 'object' || (type === undefined && isRecord(s.properties))) {
    const properties = isRecord(s.properties) ? s.properties : {};
    return Object.fromEntries(
      Object.entries(properties).map(([key, sub]) => [key, exampleFromSchema(sub, text, depth + 1)]),
    );
  }
  if (type === 'array') {
    const count = typeof s.minItems === 'number' ? s.minItems : 0;
    return Array.from({ length: count }, () => exampleFromSchema(s.items, text, depth + 1));
  }
  if (type === 'integer' || type === 'number') return typeof s.minimum === 'number' ? s.minimum : 0;
  if (type === 'boolean') return false;
  if (type === 'null') return null;
  return typeof s.maxLength === 'number' ? text.slice(0, s.maxLength) : text;
}

function schemaType(schema: Record<string, unknown>): string | undefined {
  const type = schema.type;
  const first = Array.isArray(type) ? type.find((t) => String(t).toLowerCase() !== 'null') : type;
  return typeof first === 'string' ? first.toLowerCase() : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
