/** The OpenAI response objects this surface produces (https://platform.openai.com/docs/api-reference/chat/object). */

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export interface OpenAITokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

export interface OpenAILogprobs {
  content: OpenAITokenLogprob[];
  refusal: null;
}

/** A source the answer cites (https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices-message-annotations). */
export interface OpenAIUrlCitation {
  type: 'url_citation';
  url_citation: {
    url: string;
    title: string;
    /** In characters of `message.content`. */
    start_index: number;
    end_index: number;
  };
}

export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: {
      role: 'assistant';
      content: string | null;
      refusal: null;
      tool_calls?: OpenAIToolCall[];
      /** The model's thoughts, as DeepSeek-style clients (Cherry Studio and others) display them. */
      reasoning_content?: string;
      annotations?: OpenAIUrlCitation[];
    };
    logprobs: OpenAILogprobs | null;
    finish_reason: OpenAIFinishReason;
  }[];
  usage: OpenAIUsage;
}

export interface OpenAIChunkDelta {
  role?: 'assistant';
  content?: string;
  reasoning_content?: string;
  tool_calls?: (OpenAIToolCall & { index: number })[];
  /** All of the choice's citations at once, once the text they index has been sent. */
  annotations?: OpenAIUrlCitation[];
}

export interface OpenAIChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: {
    index: number;
    delta: OpenAIChunkDelta;
    logprobs: OpenAILogprobs | null;
    finish_reason: OpenAIFinishReason | null;
  }[];
  /** Present (null until the last chunk) when the client asked for `stream_options.include_usage`. */
  usage?: OpenAIUsage | null;
}

/** What every reply of one request shares, and how to make its tool call ids. */
export interface CompletionMeta {
  id: string;
  /** Seconds since the epoch. */
  created: number;
  /** The model name the client asked for, echoed in every reply. */
  model: string;
  /** Letters and digits, unique per call: the random part of `call_…` ids. */
  newToolCallId: () => string;
  /** The client asked for `logprobs`. */
  logprobs: boolean;
  /** The request searched (web_search_options): a stream keeps each choice's text to place citations in it. */
  citations?: boolean;
}
