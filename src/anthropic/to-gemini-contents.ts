import { GatewayError } from '../errors';
import { decodeToolCallId } from '../gemini/encode-tool-call-id';
import { ensureThoughtSignature } from '../gemini/ensure-thought-signature';
import type { GeminiContent, GeminiInlineData, GeminiPart } from '../gemini/gemini-types';
import { wrapToolResult } from '../gemini/to-gemini-function-response';
import type { MediaMap } from '../media/fetch-media-urls';
import { isValidBase64, normalizeBase64 } from '../media/normalize-base64';
import type {
  AnthropicMessage,
  ContentBlock,
  MessagesRequest,
  ToolResultContentBlock,
} from './messages-request-schema';

export interface ToGeminiContentsOptions {
  /** Media already fetched for the `url` sources of image and document blocks. */
  media: MediaMap;
  /** The model requires Gemini 3's thought signature on the function calls of its history. */
  requireSignatures: boolean;
}

export interface GeminiContents {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
}

/**
 * Claude Code starts its system prompt with a block that only Anthropic's billing reads
 * (`x-anthropic-billing-header: cc_version=…`); for Gemini it is noise in the prompt.
 */
const BILLING_HEADER = 'x-anthropic-billing-header:';

/**
 * Anthropic `system` + `messages` → Gemini `systemInstruction` + `contents`. `system`, and the system
 * messages Claude Code puts between turns, go into the system instruction in order (Gemini has no system
 * turns). `tool_result` blocks become `functionResponse` parts named after the `tool_use` they answer.
 * Thinking blocks are not sent back (Gemini takes no thoughts as input); what they carry is their signature,
 * which the function calls of the same message fall back on when their id carries none. Consecutive
 * messages of one role are merged, as Gemini wants one turn per role.
 */
export function toGeminiContents(
  system: MessagesRequest['system'],
  messages: readonly AnthropicMessage[],
  options: ToGeminiContentsOptions,
): GeminiContents {
  const systemParts: { text: string }[] = [];
  const addSystem = (value: string | readonly { text: string }[]) => {
    for (const { text } of typeof value === 'string' ? [{ text: value }] : value) {
      if (text !== '' && !text.startsWith(BILLING_HEADER)) systemParts.push({ text });
    }
  };
  if (system !== undefined) addSystem(system);

  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const append = (role: GeminiContent['role'], parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, m) => {
    const at = `messages[${m}]`;
    if (message.role === 'system') {
      addSystem(message.content);
      return;
    }
    const blocks: readonly ContentBlock[] =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    if (message.role === 'user')
      append(
        'user',
        blocks.flatMap((block, b) => userParts(block, `${at}.content[${b}]`, toolNames, options.media)),
      );
    else append('model', modelParts(blocks, at, toolNames, options.requireSignatures));
  });

  if (contents.length === 0) {
    throw new GatewayError(400, "Invalid 'messages': at least one message with content is required.", {
      param: 'messages',
    });
  }
  return systemParts.length > 0 ? { systemInstruction: { parts: systemParts }, contents } : { contents };
}

function userParts(
  block: ContentBlock,
  at: string,
  toolNames: ReadonlyMap<string, string>,
  media: MediaMap,
): GeminiPart[] {
  switch (block.type) {
    case 'text':
      return block.text === '' ? [] : [{ text: block.text }];
    case 'image':
    case 'document':
      return mediaParts(block, at, media);
    case 'tool_result': {
      const name = toolNames.get(block.tool_use_id);
      if (name === undefined) {
        throw new GatewayError(
          400,
          `Invalid '${at}.tool_use_id': no earlier tool_use block has the id '${block.tool_use_id}'.`,
          {
            param: `${at}.tool_use_id`,
          },
        );
      }
      const content: readonly ToolResultContentBlock[] =
        typeof block.content === 'string' ? [{ type: 'text', text: block.content }] : (block.content ?? []);
      const text = content.flatMap((item) => (item.type === 'text' ? [item.text] : [])).join('\n');
      const response = block.is_error === true ? { error: text } : wrapToolResult(text);
      // Images and documents a tool returned follow its response as parts of the same user turn.
      const attachments = content.flatMap((item, i) =>
        item.type === 'text' ? [] : mediaParts(item, `${at}.content[${i}]`, media),
      );
      return [{ functionResponse: { name, response } }, ...attachments];
    }
    case 'thinking':
    case 'redacted_thinking':
      return [];
    case 'tool_use':
    case 'server_tool_use':
    case 'web_search_tool_result':
      throw new GatewayError(400, `Invalid '${at}.type': ${block.type} blocks belong in assistant messages.`, {
        param: `${at}.type`,
      });
  }
}

function modelParts(
  blocks: readonly ContentBlock[],
  at: string,
  toolNames: Map<string, string>,
  requireSignatures: boolean,
): GeminiPart[] {
  const parts: GeminiPart[] = [];
  let thinkingSignature: string | undefined;
  let signed = false;
  blocks.forEach((block, b) => {
    switch (block.type) {
      case 'text':
        if (block.text !== '') parts.push({ text: block.text });
        return;
      case 'thinking':
        if (block.signature && isValidBase64(block.signature)) thinkingSignature ??= block.signature;
        return;
      case 'redacted_thinking':
      // An earlier web search: Gemini searched on its own side and takes no record of it back; the answer's
      // text, which follows, holds what was found.
      case 'server_tool_use':
      case 'web_search_tool_result':
        return;
      case 'tool_use': {
        toolNames.set(block.id, block.name);
        const signature = decodeToolCallId(block.id) ?? (signed ? undefined : thinkingSignature);
        if (signature) signed = true;
        parts.push(
          signature
            ? { functionCall: { name: block.name, args: block.input }, thoughtSignature: signature }
            : { functionCall: { name: block.name, args: block.input } },
        );
        return;
      }
      default:
        throw new GatewayError(
          400,
          `Invalid '${at}.content[${b}].type': ${block.type} blocks belong in user messages.`,
          { param: `${at}.content[${b}].type` },
        );
    }
  });
  // History from another model, or a client that rewrote the ids: Google's documented placeholder.
  return ensureThoughtSignature(parts, requireSignatures);
}

type MediaBlock = Extract<ContentBlock, { type: 'image' | 'document' }>;

function mediaParts(block: MediaBlock, at: string, media: MediaMap): GeminiPart[] {
  const source = block.source;
  switch (source.type) {
    case 'base64': {
      const data = normalizeBase64(source.data);
      if (!data) {
        throw new GatewayError(400, `Invalid '${at}.source.data': expected non-empty, well-formed base64 data.`, {
          param: `${at}.source.data`,
        });
      }
      return [{ inlineData: { mimeType: source.media_type, data } }];
    }
    case 'url':
      return [{ inlineData: fetched(media, source.url, `${at}.source.url`) }];
    case 'text':
      return source.data === '' ? [] : [{ text: documentText(block, source.data) }];
    case 'content': {
      const texts =
        typeof source.content === 'string'
          ? [source.content]
          : source.content.flatMap((item) => (item.text ? [item.text] : []));
      const joined = texts.join('\n');
      return joined === '' ? [] : [{ text: documentText(block, joined) }];
    }
    case 'file':
      throw new GatewayError(
        400,
        `Invalid '${at}.source': file ids refer to Anthropic's Files API, which Gemini cannot read; send the file as base64.`,
        {
          param: `${at}.source.file_id`,
        },
      );
  }
}

/** A text document keeps its title, so the model can tell documents apart. */
function documentText(block: MediaBlock, text: string): string {
  return block.type === 'document' && block.title ? `${block.title}\n\n${text}` : text;
}

function fetched(media: MediaMap, url: string, param: string): GeminiInlineData {
  const inline = media.get(url);
  if (!inline) throw new GatewayError(400, `Invalid '${param}': expected an https URL.`, { param });
  return inline;
}
