import type { AnthropicUsage } from './from-gemini-usage';
import type { AnthropicStopReason } from './map-stop-reason';

/** What this surface answers, in the shapes of https://docs.anthropic.com/en/api/messages. */

/** A text block's source, as Anthropic's web search cites one (`web_search_result_location`). */
export interface AnthropicWebSearchCitation {
  type: 'web_search_result_location';
  url: string;
  title: string;
  /** Anthropic quotes the page; Gemini says only which words of the answer the page supports, so those. */
  cited_text: string;
  /** Anthropic's opaque handle for replaying the result to its model; Gemini has none, and this gateway reads none back. */
  encrypted_index: string;
}

export interface AnthropicWebSearchResult {
  type: 'web_search_result';
  url: string;
  title: string;
  /** Anthropic's encrypted page content, replayed to its model in later turns; Gemini gives no page content. */
  encrypted_content: string;
  /** Gemini does not date its sources. */
  page_age: null;
}

export type AnthropicContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string; citations?: AnthropicWebSearchCitation[] }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'server_tool_use'; id: string; name: 'web_search'; input: { query: string } }
  | { type: 'web_search_tool_result'; tool_use_id: string; content: AnthropicWebSearchResult[] };

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
