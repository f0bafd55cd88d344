import { GatewayError } from '../errors';
import { ensureThoughtSignature } from '../gemini/ensure-thought-signature';
import type { GeminiContent, GeminiInlineData, GeminiPart } from '../gemini/gemini-types';
import { toGeminiFunctionResponse } from '../gemini/to-gemini-function-response';
import type { MediaMap } from '../media/fetch-media-urls';
import { normalizeBase64 } from '../media/normalize-base64';
import { parseDataUrl } from '../media/parse-data-url';
import { decodeBase64Head, sniffMimeType } from '../media/sniff-mime-type';
import { decodeEncryptedReasoning } from './encrypted-reasoning';
import type { ResponsesContentPart, ResponsesInputItem, ResponsesToolOutputPart } from './responses-request-schema';
import { CUSTOM_TOOL_ARGUMENT, geminiToolName } from './to-gemini-tools';

export interface ContentsOptions {
  /** Media already fetched for the https URLs in the input (see fetch-media-urls). */
  media: MediaMap;
  /** The model requires a thought signature on history function calls (Gemini 3 and later). */
  requireSignatures: boolean;
}

export interface GeminiConversation {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
}

/**
 * `instructions` + `input` → Gemini `systemInstruction` + `contents`. System and developer messages join the
 * system instruction in order, wherever they stand (Gemini has no system turns). Assistant messages, function
 * and custom tool calls are model parts; user messages and tool outputs are user parts; consecutive parts of
 * one side share one content, which puts the answers to parallel calls in one turn as Gemini expects. A
 * reasoning item's signature (see encrypted-reasoning.ts) goes onto the model part right after it.
 * Every call must have its output before the next user message, as OpenAI requires and Gemini checks too.
 */
export function toGeminiContents(
  instructions: string | null | undefined,
  input: string | readonly ResponsesInputItem[] | undefined,
  options: ContentsOptions,
): GeminiConversation {
  const system: { text: string }[] = [];
  if (instructions) system.push({ text: instructions });
  const contents: GeminiContent[] = [];
  const append = (role: GeminiContent['role'], parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    // `last.parts` was made here and is not shared, so it may grow in place.
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  if (input === undefined)
    throw new GatewayError(400, "Missing required parameter: 'input'.", {
      param: 'input',
      code: 'missing_required_parameter',
    });
  const items: readonly ResponsesInputItem[] =
    typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : input;
  /** Calls waiting for their output: call id → Gemini function name, and how many calls with that id (a client may repeat one). */
  const open = new Map<string, { name: string; left: number }>();
  const callNames = new Map<string, string>();
  let signature: string | undefined;
  const closeRound = (i: number) => {
    const [waiting] = open.keys();
    if (waiting !== undefined)
      throw new GatewayError(400, `No tool output found for function call ${waiting}.`, { param: `input[${i}]` });
  };
  const modelPart = (part: GeminiPart): GeminiPart => {
    if (signature === undefined || 'inlineData' in part || 'functionResponse' in part) return part;
    const signed = { ...part, thoughtSignature: signature };
    signature = undefined;
    return signed;
  };

  items.forEach((item, i) => {
    const param = `input[${i}]`;
    switch (item.type) {
      case 'message': {
        if (item.role === 'system' || item.role === 'developer') {
          for (const text of messageTexts(item.content, `${param}.content`)) if (text !== '') system.push({ text });
          break;
        }
        if (item.role === 'assistant') {
          append(
            'model',
            messageTexts(item.content, `${param}.content`).flatMap((text) =>
              text === '' ? [] : [modelPart({ text })],
            ),
          );
        } else {
          closeRound(i);
          signature = undefined;
          append('user', userParts(item.content, `${param}.content`, options.media));
        }
        break;
      }
      case 'reasoning':
        signature = decodeEncryptedReasoning(item.encrypted_content);
        break;
      case 'additional_tools':
        // Declared with `tools` (to-gemini-request.ts).
        break;
      case 'function_call':
      case 'custom_tool_call': {
        const name = geminiToolName(item.name, item.namespace);
        const args =
          item.type === 'function_call'
            ? parseArguments(item.arguments, `${param}.arguments`)
            : { [CUSTOM_TOOL_ARGUMENT]: item.input };
        const waiting = open.get(item.call_id);
        open.set(item.call_id, { name, left: (waiting?.left ?? 0) + 1 });
        callNames.set(item.call_id, name);
        append('model', [modelPart({ functionCall: { name, args } })]);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const waiting = open.get(item.call_id);
        if (waiting === undefined) {
          const message = callNames.has(item.call_id)
            ? `Invalid '${param}.call_id': the call '${item.call_id}' already has its output.`
            : `No tool call found for function call output with call_id ${item.call_id}.`;
          throw new GatewayError(400, message, { param: `${param}.call_id` });
        }
        // Gemini wants as many responses as the turn had calls: each call of a repeated id takes one output.
        if (--waiting.left === 0) open.delete(item.call_id);
        const { text, media } = toolOutput(item.output, `${param}.output`, options.media);
        append('user', [toGeminiFunctionResponse(waiting.name, text), ...media]);
        break;
      }
      case 'item_reference':
        throw new GatewayError(
          400,
          `Invalid '${param}': item references need stored responses; this gateway is stateless. Send the item itself instead.`,
          {
            param,
            code: 'stateless_gateway',
          },
        );
    }
  });
  closeRound(items.length - 1);

  if (contents.length === 0) {
    throw new GatewayError(400, "Invalid 'input': at least one user or assistant message with content is required.", {
      param: 'input',
    });
  }
  for (const content of contents)
    if (content.role === 'model') content.parts = ensureThoughtSignature(content.parts, options.requireSignatures);
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

/** The texts of a system, developer or assistant message; media there is refused (Gemini takes it from users only). */
function messageTexts(content: string | readonly ResponsesContentPart[], param: string): string[] {
  if (typeof content === 'string') return [content];
  return content.map((part, p) => {
    if (part.type === 'input_text' || part.type === 'output_text') return part.text;
    if (part.type === 'refusal') return part.refusal;
    throw new GatewayError(400, `Invalid '${param}[${p}].type': '${part.type}' is accepted in user messages only.`, {
      param: `${param}[${p}].type`,
    });
  });
}

function userParts(content: string | readonly ResponsesContentPart[], param: string, media: MediaMap): GeminiPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.flatMap((part, p): GeminiPart[] => {
    switch (part.type) {
      case 'input_text':
      case 'output_text':
        return part.text === '' ? [] : [{ text: part.text }];
      case 'refusal':
        return part.refusal === '' ? [] : [{ text: part.refusal }];
      default:
        return [{ inlineData: mediaPart(part, `${param}[${p}]`, media) }];
    }
  });
}

type MediaContentPart = Extract<ResponsesToolOutputPart, { type: 'input_image' | 'input_file' }>;

function mediaPart(part: MediaContentPart, param: string, media: MediaMap): GeminiInlineData {
  if (part.file_id) {
    throw new GatewayError(
      400,
      `Invalid '${param}.file_id': file ids refer to OpenAI's file storage; send the data itself (a data: URL, base64 or an https URL).`,
      {
        param: `${param}.file_id`,
      },
    );
  }
  if (part.type === 'input_image') {
    if (!part.image_url)
      throw new GatewayError(400, `Missing required parameter: '${param}.image_url'.`, {
        param: `${param}.image_url`,
        code: 'missing_required_parameter',
      });
    return inlineFromUrl(part.image_url, `${param}.image_url`, media);
  }
  if (part.file_url) return inlineFromUrl(part.file_url, `${param}.file_url`, media);
  const data = part.file_data;
  if (!data)
    throw new GatewayError(400, `Missing required parameter: '${param}.file_data'.`, {
      param: `${param}.file_data`,
      code: 'missing_required_parameter',
    });
  if (data.startsWith('data:')) return inlineFromUrl(data, `${param}.file_data`, media);
  const base64 = normalizeBase64(data);
  if (!base64)
    throw new GatewayError(
      400,
      `Invalid '${param}.file_data': expected non-empty, well-formed base64 data or a data: URL.`,
      { param: `${param}.file_data`, code: 'invalid_value' },
    );
  const mimeType = sniffMimeType(decodeBase64Head(base64), part.filename);
  if (!mimeType) {
    throw new GatewayError(
      400,
      `Invalid '${param}': the file type could not be determined; give a 'filename' with an extension or send a data: URL.`,
      {
        param: `${param}.filename`,
      },
    );
  }
  return { mimeType, data: base64 };
}

function inlineFromUrl(url: string, param: string, media: MediaMap): GeminiInlineData {
  const inline = url.startsWith('data:') ? parseDataUrl(url) : media.get(url);
  if (!inline) {
    throw new GatewayError(
      400,
      `Invalid '${param}': expected a data: URL (data:<mime type>;base64,<data>) or an https URL.`,
      { param, code: 'invalid_media_url' },
    );
  }
  return inline;
}

/** A tool's output: its text for `functionResponse`, its images and files as parts beside it. */
function toolOutput(
  output: string | readonly ResponsesToolOutputPart[],
  param: string,
  media: MediaMap,
): { text: string; media: GeminiPart[] } {
  if (typeof output === 'string') return { text: output, media: [] };
  const texts: string[] = [];
  const parts: GeminiPart[] = [];
  output.forEach((part, p) => {
    if (part.type === 'input_text' || part.type === 'output_text') texts.push(part.text);
    else parts.push({ inlineData: mediaPart(part, `${param}[${p}]`, media) });
  });
  return { text: texts.join(''), media: parts };
}

/** Function call `arguments` are a JSON string; Gemini wants the object. An empty string means no arguments. */
function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GatewayError(400, `Invalid '${param}': not valid JSON.`, { param });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new GatewayError(400, `Invalid '${param}': must be a JSON object.`, { param });
  return parsed as Record<string, unknown>;
}
