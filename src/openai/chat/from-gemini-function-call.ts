import { encodeToolCallId } from '../../gemini/encode-tool-call-id';
import type { GeminiResponsePart } from '../../gemini/read-gemini-response';

type GeminiFunctionCall = NonNullable<GeminiResponsePart['functionCall']>;

import type { OpenAIToolCall } from '../openai-types';

/** A Gemini `functionCall` → an OpenAI tool call whose id carries the part's thought signature. */
export function fromGeminiFunctionCall(
  call: GeminiFunctionCall,
  signature: string | undefined,
  random: string,
): OpenAIToolCall {
  return {
    id: encodeToolCallId(random, signature),
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.args) },
  };
}

/**
 * Generated images (Gemini image models answer with inline data) as Markdown, the form chat clients render;
 * OpenAI's chat message has no image field.
 */
export function inlineImageMarkdown(part: GeminiResponsePart): string | undefined {
  const inline = part.inlineData;
  return inline ? `![image](data:${inline.mimeType};base64,${inline.data})` : undefined;
}
