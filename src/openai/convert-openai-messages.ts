import { GatewayError } from '../errors';
import { AUDIO_MIME_TYPES, type ChatMessage, type UserContentPart } from './chat-request-schema';
import { decodeToolCallId } from './encode-tool-call-id';
import type { MediaMap } from './fetch-media-urls';
import type { GeminiContent, GeminiPart } from './gemini-types';
import { parseDataUrl } from './parse-data-url';
import { decodeBase64Head, sniffMimeType } from './sniff-mime-type';

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

/**
 * Google's documented placeholder for a function call in history that has no thought signature (history
 * from another model or a client that dropped it): https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const DUMMY_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

export interface ConvertMessagesOptions {
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
 * its function by `tool_call_id` only, so the name is looked up in the earlier assistant tool calls.
 * Consecutive turns of one role are merged, which puts all results of one round of tool calls into one
 * user content as Gemini expects. Empty text is left out: Gemini refuses empty text parts.
 */
export function convertOpenAIMessages(messages: readonly ChatMessage[], options: ConvertMessagesOptions): ConvertedMessages {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();

  const append = (role: GeminiContent['role'], parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) contents[contents.length - 1] = { role, parts: [...last.parts, ...parts] };
    else contents.push({ role, parts });
  };

  messages.forEach((message, m) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        for (const text of textsOf(message.content)) {
          if (text !== '') system.push({ text });
        }
        break;
      case 'user':
        append(
          ROLE_TARGETS.user,
          typeof message.content === 'string'
            ? textParts([message.content])
            : message.content.flatMap((part, p) => convertUserPart(part, `messages[${m}].content[${p}]`, options.media)),
        );
        break;
      case 'assistant': {
        const texts: string[] =
          message.content == null
            ? []
            : typeof message.content === 'string'
              ? [message.content]
              : message.content.map((part) => (part.type === 'text' ? part.text : part.refusal));
        if (message.refusal && !texts.some((text) => text !== '')) texts.push(message.refusal);
        const parts: GeminiPart[] = textParts(texts);
        let signed = false;
        (message.tool_calls ?? []).forEach((call, c) => {
          toolNames.set(call.id, call.function.name);
          const args = parseArguments(call.function.arguments, `messages[${m}].tool_calls[${c}].function.arguments`);
          const signature = call.extra_content?.google?.thought_signature ?? decodeToolCallId(call.id);
          if (signature) signed = true;
          parts.push(signature ? { functionCall: { name: call.function.name, args }, thoughtSignature: signature } : { functionCall: { name: call.function.name, args } });
        });
        if (options.requireSignatures && !signed) {
          const firstCall = parts.findIndex((part) => 'functionCall' in part);
          const call = parts[firstCall];
          if (call && 'functionCall' in call) parts[firstCall] = { ...call, thoughtSignature: DUMMY_THOUGHT_SIGNATURE };
        }
        append(ROLE_TARGETS.assistant, parts);
        break;
      }
      case 'tool': {
        const name = toolNames.get(message.tool_call_id);
        if (name === undefined) {
          throw new GatewayError(
            400,
            `Invalid 'messages[${m}].tool_call_id': no earlier assistant message has a tool call with id '${message.tool_call_id}'.`,
            { param: `messages[${m}].tool_call_id` },
          );
        }
        append(ROLE_TARGETS.tool, [{ functionResponse: { name, response: wrapToolResult(textsOf(message.content).join('')) } }]);
        break;
      }
    }
  });

  if (contents.length === 0) {
    throw new GatewayError(400, "Invalid 'messages': at least one user, assistant or tool message with content is required.", { param: 'messages' });
  }
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
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
      return [{ inlineData: { mimeType: AUDIO_MIME_TYPES[part.input_audio.format], data: part.input_audio.data } }];
    case 'file': {
      const { file_data: data, file_id: fileId, filename } = part.file;
      if (!data) {
        const message = fileId
          ? `Invalid '${param}.file.file_id': file ids refer to OpenAI's file storage and are not supported; send the file as 'file_data' (base64 or a data: URL).`
          : `Missing required parameter: '${param}.file.file_data'.`;
        throw new GatewayError(400, message, { param: `${param}.file.${fileId ? 'file_id' : 'file_data'}` });
      }
      if (data.startsWith('data:') || /^https?:\/\//i.test(data)) return [{ inlineData: inlineFromUrl(data, `${param}.file.file_data`, media) }];
      const base64 = data.replace(/\s+/g, '');
      const mimeType = sniffMimeType(decodeBase64Head(base64), filename);
      if (!mimeType) {
        throw new GatewayError(400, `Invalid '${param}.file': the file type could not be determined; give a 'filename' with an extension or send a data: URL.`, {
          param: `${param}.file.filename`,
        });
      }
      return [{ inlineData: { mimeType, data: base64 } }];
    }
  }
}

function inlineFromUrl(url: string, param: string, media: MediaMap) {
  const inline = url.startsWith('data:') ? parseDataUrl(url) : media.get(url);
  if (!inline) {
    throw new GatewayError(400, `Invalid '${param}': expected a data: URL (data:<mime>;base64,…) or an https URL.`, { param, code: 'invalid_media_url' });
  }
  return inline;
}

function textsOf(content: string | readonly { text: string }[]): string[] {
  return typeof content === 'string' ? [content] : content.map((part) => part.text);
}

function textParts(texts: readonly string[]): GeminiPart[] {
  return texts.filter((text) => text !== '').map((text) => ({ text }));
}

/** Tool call `arguments` are a JSON string; Gemini wants the object. An empty string means no arguments. */
function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GatewayError(400, `Invalid '${param}': not valid JSON.`, { param });
  }
  if (!isPlainObject(parsed)) throw new GatewayError(400, `Invalid '${param}': must be a JSON object.`, { param });
  return parsed;
}

/**
 * A tool result as Gemini's `functionResponse.response`, which must be an object: a JSON object is used as
 * it is; any other JSON value or plain text becomes `{result: value}`.
 */
export function wrapToolResult(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) ? parsed : { result: parsed };
  } catch {
    return { result: text };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
