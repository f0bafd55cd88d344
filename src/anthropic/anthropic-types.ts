import type { AnthropicUsage } from './from-gemini-usage';
import type { AnthropicStopReason } from './map-stop-reason';

/** What this surface answers, in the shapes of https://docs.anthropic.com/en/api/messages. */

export type AnthropicContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicMessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason;
  stop_sequence: null;
  usage: AnthropicUsage;
}

/** Per response: its id and the model name the client asked for (echoed), and a source of tool_use ids. */
export interface MessageMeta {
  id: string;
  model: string;
  /** A fresh random id of letters and digits, for a tool_use id. */
  newId: () => string;
}
