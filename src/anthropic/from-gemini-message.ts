import { encodeToolCallId } from '../gemini/encode-tool-call-id';
import type { GeminiResponse } from '../gemini/read-gemini-response';
import type { AnthropicContentBlock, AnthropicMessageResponse, MessageMeta } from './anthropic-types';
import { fromGeminiGrounding } from './from-gemini-grounding';
import { fromGeminiUsage } from './from-gemini-usage';
import { mapStopReason } from './map-stop-reason';

export interface FromGeminiMessageOptions {
  /** The request offered Anthropic's web search (sent to Gemini as googleSearch). */
  webSearch?: boolean;
}

/**
 * A Gemini generateContent response → an Anthropic message. Only the first candidate counts (Anthropic
 * answers one message). Consecutive thought parts make one `thinking` block, consecutive text parts one
 * `text` block, each function call a `tool_use` block whose id carries the call's thought signature
 * (encode-tool-call-id.ts: clients send ids back unchanged, so Gemini 3 gets its signature back with no
 * storage here). A thinking block's signature is the one Gemini put on its thoughts, if any. A prompt
 * blocked before generation is an empty `refusal`. When the request offered web search, the grounding
 * becomes Anthropic's search blocks and citations (from-gemini-grounding.ts) and the usage counts the searches.
 */
export function fromGeminiMessage(
  response: GeminiResponse,
  meta: MessageMeta,
  options: FromGeminiMessageOptions = {},
): AnthropicMessageResponse {
  const candidate = response.candidates.find((c) => (c.index ?? 0) === 0);
  let content: AnthropicContentBlock[] = [];
  // What each Gemini part adds to the answer's text, by part index: grounding segments name the part they are in.
  const partTexts: string[] = [];
  for (const part of candidate?.parts ?? []) {
    const last = content[content.length - 1];
    partTexts.push(!part.functionCall && !part.thought && part.text ? part.text : '');
    if (part.functionCall) {
      const input = part.functionCall.args;
      content.push({
        type: 'tool_use',
        id: encodeToolCallId(meta.newId(), part.thoughtSignature),
        name: part.functionCall.name,
        input,
      });
    } else if (part.thought && part.text !== undefined) {
      if (last?.type === 'thinking') {
        last.thinking += part.text;
        if (!last.signature && part.thoughtSignature) last.signature = part.thoughtSignature;
      } else content.push({ type: 'thinking', thinking: part.text, signature: part.thoughtSignature ?? '' });
    } else if (part.text) {
      if (last?.type === 'text') last.text += part.text;
      else content.push({ type: 'text', text: part.text });
    }
  }
  const usage = fromGeminiUsage(response.usageMetadata);
  if (options.webSearch) {
    const grounded = fromGeminiGrounding(content, candidate?.groundingMetadata, partTexts, meta.newId);
    content = grounded.content;
    usage.server_tool_use = { web_search_requests: grounded.searches };
  }
  const hasToolUse = content.some((block) => block.type === 'tool_use');
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content,
    stop_reason: !candidate && response.blockReason ? 'refusal' : mapStopReason(candidate?.finishReason, hasToolUse),
    stop_sequence: null,
    usage,
  };
}
