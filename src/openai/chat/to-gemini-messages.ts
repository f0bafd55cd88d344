// measured: run `npm run bench` before changing (docs/performance.md).
import { GatewayError } from '../../errors';
import { decodeToolCallId } from '../../gemini/encode-tool-call-id';
import { DUMMY_THOUGHT_SIGNATURE, ensureThoughtSignature } from '../../gemini/ensure-thought-signature';
import type { GeminiContent, GeminiPart } from '../../gemini/gemini-types';
import { MAX_JSON_DEPTH, measureJson } from '../../gemini/measure-json';
import { toGeminiFunctionResponse } from '../../gemini/to-gemini-function-response';
import { isJsonObject } from '../../http/read-plain-json';
import type { MediaMap } from '../../media/fetch-media-urls';
import { isValidBase64, normalizeBase64 } from '../../media/normalize-base64';
import { parseDataUrl } from '../../media/parse-data-url';
import { decodeBase64Head, sniffMimeType } from '../../media/sniff-mime-type';
import { splitMarkdownImages } from '../../media/split-markdown-images';
import { AUDIO_MIME_TYPES, type ChatMessage, type UserContentPart } from './chat-request-schema';

/**
 * Where each OpenAI role goes: Gemini has only `user` and `model` turns plus one `systemInstruction`
 * (https://ai.google.dev/api/caching#Content). Tool results are user turns with `functionResponse` parts.
 */
export const ROLE_TARGETS = {
  system: 'systemInstruction',
  developer: 'systemInstruction',
  user: 'user',
  assistant: 'model',
  tool: 'user',
} as const satisfies Record<ChatMessage['role'], 'systemInstruction' | GeminiContent['role']>;

export interface ToGeminiMessagesOptions {
  /** Media already fetched for the https URLs in the messages (see fetch-media-urls). */
  media: MediaMap;
  /** The target is a Gemini 3 model, which requires a thought signature on history function calls. */
  requireSignatures: boolean;
}

export interface ConvertedMessages {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
}

/**
 * OpenAI `messages` → Gemini `systemInstruction` + `contents`. Every system and developer message, wherever
 * it stands, goes into the system instruction in order (Gemini has no system turns). A tool result names
 * its function by `tool_call_id` only, so the name is looked up in the tool calls it answers.
 * Consecutive turns of one role are merged, which puts all results of one round of tool calls into one
 * user content as Gemini expects. Empty text is left out: Gemini refuses empty text parts.
 */
export function toGeminiMessages(
  messages: readonly ChatMessage[],
  options: ToGeminiMessagesOptions,
): ConvertedMessages {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  const rounds = new ToolCallRounds();

  const append = (role: GeminiContent['role'], parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    // `last.parts` was made here and is not shared, so it may grow in place.
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  for (let m = 0; m < messages.length; m++) {
    const message = messages[m] as ChatMessage;
    switch (message.role) {
      case 'system':
      case 'developer':
        if (typeof message.content === 'string') {
          if (message.content !== '') system.push({ text: message.content });
        } else {
          for (const { text } of message.content) {
            if (text !== '') system.push({ text });
          }
        }
        break;
      case 'user':
        rounds.close(m);
        append(
          ROLE_TARGETS.user,
          typeof message.content === 'string'
            ? textParts([message.content])
            : message.content.flatMap((part, p) =>
                convertUserPart(part, `messages[${m}].content[${p}]`, options.media),
              ),
        );
        break;
      case 'assistant': {
        rounds.close(m);
        const texts: string[] =
          message.content == null
            ? []
            : typeof message.content === 'string'
              ? [message.content]
              : message.content.map((part) => (part.type === 'text' ? part.text : part.refusal));
        if (message.refusal && !texts.some((text) => text !== '')) texts.push(message.refusal);
        const parts: GeminiPart[] = modelTextParts(texts, options.requireSignatures);
        const calls = message.tool_calls ?? [];
        for (let c = 0; c < calls.length; c++) {
          const call = calls[c] as ToolCall;
          const args = parseArguments(call.function.arguments, m, c);
          const signature = thoughtSignatureOf(call);
          parts.push(
            signature
              ? { functionCall: { name: call.function.name, args }, thoughtSignature: signature }
              : { functionCall: { name: call.function.name, args } },
          );
        }
        if (calls.length > 0) rounds.open(m, calls);
        append(ROLE_TARGETS.assistant, ensureThoughtSignature(parts, options.requireSignatures));
        break;
      }
      case 'tool': {
        const name = rounds.answer(m, message.tool_call_id);
        const text =
          typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('');
        append(ROLE_TARGETS.tool, [toGeminiFunctionResponse(name, text)]);
        break;
      }
    }
  }
  rounds.end();

  if (contents.length === 0) {
    throw new GatewayError(
      400,
      "Invalid 'messages': at least one user, assistant or tool message with content is required.",
      { param: 'messages' },
    );
  }
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

type ToolCall = NonNullable<Extract<ChatMessage, { role: 'assistant' }>['tool_calls']>[number];

/**
 * A tool call's Gemini 3 thought signature: Google's `extra_content` form, else the one carried in the id.
 * One that is not base64 is dropped rather than refused (Gemini would answer 400 "Base64 decoding failed"):
 * a client that mangled an id should not lose the conversation, and a Gemini 3 history then gets the dummy.
 */
function thoughtSignatureOf(call: ToolCall): string | undefined {
  const given = call.extra_content?.google?.thought_signature;
  if (given && isValidBase64(given)) return given;
  return decodeToolCallId(call.id);
}

/**
 * The pairing of tool calls and tool results that OpenAI and Gemini both require: the calls of an assistant
 * message are answered by tool messages right after it (system and developer messages aside, which move to
 * the system instruction), one per call, before the next user or assistant message. Gemini refuses a
 * history that breaks this ("function response turn comes immediately after a function call turn", "the
 * number of function response parts is equal to the number of function call parts"); refusing it here, in
 * OpenAI's words, saves the key's quota and tells the client which message is wrong.
 */
class ToolCallRounds {
  /** Every tool call id seen so far, to tell a misplaced result from one that answers nothing. */
  private readonly seen = new Set<string>();
  /**
   * The open round: the assistant message and, per call id (an id may repeat), its function, how many of its
   * calls are still unanswered and the message that last answered it; `unanswered` counts all open calls.
   */
  private round: { message: number; calls: Map<string, RoundCall>; unanswered: number; answered: boolean } | undefined;

  open(message: number, calls: readonly ToolCall[]): void {
    const byId = new Map<string, RoundCall>();
    for (const call of calls) {
      this.seen.add(call.id);
      const known = byId.get(call.id);
      if (known) {
        known.name = call.function.name;
        known.left += 1;
      } else byId.set(call.id, { name: call.function.name, left: 1, answeredAt: -1 });
    }
    this.round = { message, calls: byId, unanswered: calls.length, answered: false };
  }

  /** The function name a tool result at `messages[m]` answers; a 400 if it answers no open call. */
  answer(m: number, id: string): string {
    const round = this.round;
    const call = round?.calls.get(id);
    if (round && call && call.left > 0) {
      call.left -= 1;
      call.answeredAt = m;
      round.unanswered -= 1;
      round.answered = true;
      return call.name;
    }
    if (call) {
      throw new GatewayError(
        400,
        `Invalid 'messages[${m}].tool_call_id': the tool call '${id}' already has its response in 'messages[${call.answeredAt}]'.`,
        {
          param: `messages[${m}].tool_call_id`,
        },
      );
    }
    const misplaced = this.seen.has(id);
    throw new GatewayError(
      400,
      "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'. " +
        (misplaced
          ? `The tool call '${id}' belongs to an earlier round: its response must follow its assistant message, before any other user or assistant message.`
          : `No assistant message before 'messages[${m}]' has a tool call with id '${id}'.`),
      { param: misplaced ? `messages[${m}].role` : `messages[${m}].tool_call_id` },
    );
  }

  /** A user or assistant message at `messages[m]` ends the open round: every call must have been answered. */
  close(m: number): void {
    if (this.round && this.round.unanswered > 0) throw this.unanswered(`messages[${m}].role`);
    this.round = undefined;
  }

  /**
   * The end of the conversation. A last assistant message whose calls have no results at all is left to
   * Gemini (a history may stop at the model's calls); some results but not all is the count Gemini refuses.
   */
  end(): void {
    const round = this.round;
    if (round && round.unanswered > 0 && round.answered) throw this.unanswered(`messages[${round.message}].tool_calls`);
  }

  private unanswered(param: string): GatewayError {
    const ids = [...(this.round?.calls ?? [])]
      .filter(([, call]) => call.left > 0)
      .map(([id]) => id)
      .join(', ');
    return new GatewayError(
      400,
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${ids}`,
      { param },
    );
  }
}

interface RoundCall {
  name: string;
  left: number;
  /** The message that answered this id last (-1: none yet). */
  answeredAt: number;
}

function convertUserPart(part: UserContentPart, param: string, media: MediaMap): GeminiPart[] {
  switch (part.type) {
    case 'text':
      return textParts([part.text]);
    case 'image_url': {
      const isString = typeof part.image_url === 'string';
      const url = typeof part.image_url === 'string' ? part.image_url : part.image_url.url;
      return [{ inlineData: inlineFromUrl(url, `${param}.image_url${isString ? '' : '.url'}`, media) }];
    }
    case 'input_audio':
      return [
        {
          inlineData: {
            mimeType: AUDIO_MIME_TYPES[part.input_audio.format],
            data: mediaBase64(part.input_audio.data, `${param}.input_audio.data`),
          },
        },
      ];
    case 'file': {
      const { file_data: data, file_id: fileId, filename } = part.file;
      if (!data) {
        const message = fileId
          ? `Invalid '${param}.file.file_id': file ids refer to OpenAI's file storage and are not supported; send the file as 'file_data' (base64 or a data: URL).`
          : `Missing required parameter: '${param}.file.file_data'.`;
        throw new GatewayError(400, message, { param: `${param}.file.${fileId ? 'file_id' : 'file_data'}` });
      }
      if (data.startsWith('data:') || /^https?:\/\//i.test(data))
        return [{ inlineData: inlineFromUrl(data, `${param}.file.file_data`, media) }];
      const base64 = mediaBase64(data, `${param}.file.file_data`, ', a data: URL or an https URL');
      const mimeType = sniffMimeType(decodeBase64Head(base64), filename);
      if (!mimeType) {
        throw new GatewayError(
          400,
          `Invalid '${param}.file': the file type could not be determined; give a 'filename' with an extension or send a data: URL.`,
          {
            param: `${param}.file.filename`,
          },
        );
      }
      return [{ inlineData: { mimeType, data: base64 } }];
    }
  }
}

function inlineFromUrl(url: string, param: string, media: MediaMap) {
  if (url.startsWith('data:')) {
    const inline = parseDataUrl(url);
    if (!inline) {
      throw new GatewayError(
        400,
        `Invalid '${param}': not a valid data URL; expected data:<mime type>;base64,<data> with non-empty, well-formed base64.`,
        {
          param,
          code: 'invalid_media_url',
        },
      );
    }
    return inline;
  }
  const inline = media.get(url);
  if (!inline) {
    throw new GatewayError(400, `Invalid '${param}': expected a data: URL (data:<mime>;base64,…) or an https URL.`, {
      param,
      code: 'invalid_media_url',
    });
  }
  return inline;
}

/** Raw base64 bytes of a content part, as standard base64 (see normalizeBase64); a 400 naming the field otherwise. */
function mediaBase64(text: string, param: string, alternatives = ''): string {
  const data = normalizeBase64(text);
  if (!data)
    throw new GatewayError(400, `Invalid '${param}': expected non-empty, well-formed base64 data${alternatives}.`, {
      param,
      code: 'invalid_value',
    });
  return data;
}

/**
 * An assistant message's text, with the images this gateway sent as Markdown data URLs made image parts
 * again (split-markdown-images.ts). Gemini 3 image models sign their image parts; history from elsewhere
 * carries Google's documented dummy signature instead.
 */
function modelTextParts(texts: readonly string[], requireSignatures: boolean): GeminiPart[] {
  const parts: GeminiPart[] = [];
  for (const text of texts) {
    if (text === '') continue;
    for (const piece of splitMarkdownImages(text)) {
      parts.push(
        'inlineData' in piece && requireSignatures ? { ...piece, thoughtSignature: DUMMY_THOUGHT_SIGNATURE } : piece,
      );
    }
  }
  return parts;
}

function textParts(texts: readonly string[]): GeminiPart[] {
  const parts: GeminiPart[] = [];
  for (const text of texts) if (text !== '') parts.push({ text });
  return parts;
}

/**
 * Tool call `arguments` are a JSON string; Gemini wants the object. An empty string means no arguments.
 * The parameter name is only built for an error (this runs for every call in the history).
 */
function parseArguments(text: string, m: number, c: number): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const param = argumentsParam(m, c);
    throw new GatewayError(400, `Invalid '${param}': not valid JSON.`, { param });
  }
  if (!isJsonObject(parsed)) {
    const param = argumentsParam(m, c);
    throw new GatewayError(400, `Invalid '${param}': must be a JSON object.`, { param });
  }
  if (measureJson(parsed, MAX_JSON_DEPTH) === undefined) {
    const param = argumentsParam(m, c);
    throw new GatewayError(400, `Invalid '${param}': the JSON is nested more than ${MAX_JSON_DEPTH} levels deep.`, {
      param,
    });
  }
  return parsed;
}

function argumentsParam(m: number, c: number): string {
  return `messages[${m}].tool_calls[${c}].function.arguments`;
}
