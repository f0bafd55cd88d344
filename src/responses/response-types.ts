/**
 * The Responses API objects this gateway answers with, as the `openai` SDK's types and Codex read them
 * (https://platform.openai.com/docs/api-reference/responses/object). Only what the gateway produces.
 */

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface UrlCitation {
  type: 'url_citation';
  start_index: number;
  end_index: number;
  url: string;
  title: string;
}

export interface OutputText {
  type: 'output_text';
  text: string;
  annotations: UrlCitation[];
  logprobs: never[];
}

export interface ReasoningOutput {
  type: 'reasoning';
  id: string;
  summary: { type: 'summary_text'; text: string }[];
  encrypted_content?: string | null;
  status?: ItemStatus;
}

export interface MessageOutput {
  type: 'message';
  id: string;
  role: 'assistant';
  status: ItemStatus;
  content: OutputText[];
}

export interface FunctionCallOutput {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  namespace?: string;
  arguments: string;
  status: ItemStatus;
}

export interface CustomToolCallOutput {
  type: 'custom_tool_call';
  id: string;
  call_id: string;
  name: string;
  namespace?: string;
  input: string;
  status?: ItemStatus;
}

/** The searches Gemini ran for a grounded answer (`queries`; `query` is the first, as older clients read it). */
export interface WebSearchCallOutput {
  type: 'web_search_call';
  id: string;
  status: 'completed';
  action: { type: 'search'; query: string; queries: string[] };
}

export type OutputItem =
  | ReasoningOutput
  | MessageOutput
  | FunctionCallOutput
  | CustomToolCallOutput
  | WebSearchCallOutput;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  model: string;
  output: OutputItem[];
  usage: ResponseUsage | null;
  /** The request's own settings, echoed as OpenAI does. */
  [echoed: string]: unknown;
}

/** One streaming event before its `sequence_number` is added. */
export type ResponseEvent = { type: string } & Record<string, unknown>;
