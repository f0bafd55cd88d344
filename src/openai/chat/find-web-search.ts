import type { ChatRequest, ChatTool } from './chat-request-schema';

/** The names clients give the search switch when they send it as a function (Google's OpenAI layer takes it). */
const SEARCH_FUNCTION_NAMES = new Set(['googleSearch', 'google_search']);

export interface WebSearchRequest {
  webSearch: boolean;
  /** The request's tools without the search switch. */
  tools: ChatTool[] | null | undefined;
}

/**
 * Whether a chat request asks for Google Search: OpenAI's `web_search_options`, or the convention of Gemini's
 * own OpenAI-compatible endpoint that clients and relays follow for Gemini models — a function tool named
 * `googleSearch` without parameters (`tools: [{type: "function", function: {name: "googleSearch"}}]`).
 * Such a "function" is the switch, not a function: declared, the model would call it and the client could
 * not answer. A `googleSearch` function that has parameters is the client's own and stays a function.
 */
export function findWebSearch(request: Pick<ChatRequest, 'tools' | 'web_search_options'>): WebSearchRequest {
  const tools = request.tools;
  // A loop, not `some` with a closure: this runs once per request, long before V8 optimizes it (issue 18).
  let found = false;
  if (tools) for (let i = 0; i < tools.length && !found; i++) found = isSwitch(tools[i] as ChatTool);
  if (!found) return { webSearch: request.web_search_options != null, tools };
  return { webSearch: true, tools: tools?.filter((tool) => !isSwitch(tool)) };
}

function isSwitch(tool: ChatTool): boolean {
  return SEARCH_FUNCTION_NAMES.has(tool.function.name) && !hasParameters(tool.function.parameters);
}

function hasParameters(parameters: Record<string, unknown> | null | undefined): boolean {
  if (parameters == null) return false;
  const properties = parameters.properties;
  return typeof properties === 'object' && properties !== null && Object.keys(properties).length > 0;
}
