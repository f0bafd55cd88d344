import { GatewayError } from '../errors';
import { convertGeminiFunctionCall, inlineImageMarkdown } from './convert-gemini-function-call';
import { convertGeminiLogprobs } from './convert-gemini-logprobs';
import { convertGeminiUsage } from './convert-gemini-usage';
import { readGeminiResponse, type GeminiUsage } from './read-gemini-response';
import { mapFinishReason } from './map-finish-reason';
import type { CompletionMeta, OpenAIChatCompletionChunk, OpenAIChunkDelta, OpenAIFinishReason, OpenAILogprobs } from './openai-types';

interface ChoiceState {
  /** Tool calls so far: the next call's `index` (OpenAI counts them over the whole reply). */
  toolCalls: number;
  finished: boolean;
}

/**
 * Gemini stream chunks (parsed JSON) → `chat.completion.chunk`s, emitted as soon as each Gemini chunk
 * arrives. Per choice (Gemini candidate index): a first delta with the role, then one delta per part
 * (text → `content`, thought → `reasoning_content`, function call → a complete tool call delta), then a
 * delta with the finish reason. Gemini repeats cumulative usage on every chunk, so the last one is
 * reported, in a final `choices: []` chunk when the client asked for `stream_options.include_usage`.
 * A stream that ends before every choice has a finish reason is an error, never a fake finish.
 */
export function createChunkConverter(meta: CompletionMeta, includeUsage: boolean): TransformStream<unknown, OpenAIChatCompletionChunk> {
  const choices = new Map<number, ChoiceState>();
  let usage: GeminiUsage | undefined;

  const chunk = (index: number, delta: OpenAIChunkDelta, finishReason: OpenAIFinishReason | null, logprobs: OpenAILogprobs | null = null): OpenAIChatCompletionChunk => {
    const out: OpenAIChatCompletionChunk = {
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.model,
      choices: [{ index, delta, logprobs, finish_reason: finishReason }],
    };
    // OpenAI: with include_usage, every chunk but the last carries `usage: null`.
    if (includeUsage) out.usage = null;
    return out;
  };

  const start = (index: number, controller: TransformStreamDefaultController<OpenAIChatCompletionChunk>): ChoiceState => {
    let state = choices.get(index);
    if (!state) {
      state = { toolCalls: 0, finished: false };
      choices.set(index, state);
      controller.enqueue(chunk(index, { role: 'assistant', content: '' }, null));
    }
    return state;
  };

  return new TransformStream<unknown, OpenAIChatCompletionChunk>({
    transform(value, controller) {
      const response = readGeminiResponse(value);
      if (!response) throw new GatewayError(502, 'The Gemini API sent a stream chunk that is not a JSON object.', { code: 'upstream_invalid_response' });
      if (response.error) {
        const code = response.error.code;
        const status = code !== undefined && code >= 400 && code <= 599 ? code : 502;
        throw new GatewayError(status, response.error.message || 'The Gemini API reported an error in the middle of the stream.', { code: 'upstream_stream_error' });
      }
      if (response.usageMetadata) usage = response.usageMetadata;

      const candidates = response.candidates;
      if (candidates.length === 0) {
        if (response.blockReason) {
          start(0, controller).finished = true;
          controller.enqueue(chunk(0, {}, 'content_filter'));
        }
        return;
      }
      for (const candidate of candidates) {
        // proto3 JSON leaves out zero values: a candidate without an index is candidate 0.
        const index = candidate.index ?? 0;
        const state = start(index, controller);
        let logprobs = meta.logprobs ? convertGeminiLogprobs(candidate.logprobsResult) : null;
        for (const part of candidate.parts) {
          if (part.functionCall) {
            const call = convertGeminiFunctionCall(part.functionCall, part.thoughtSignature, meta.newToolCallId());
            controller.enqueue(chunk(index, { tool_calls: [{ index: state.toolCalls++, ...call }] }, null));
          } else if (part.text) {
            if (part.thought) controller.enqueue(chunk(index, { reasoning_content: part.text }, null));
            else {
              // Logprobs cover the chunk's generated text: they ride on its first content delta.
              controller.enqueue(chunk(index, { content: part.text }, null, logprobs));
              logprobs = null;
            }
          } else if (part.inlineData) {
            controller.enqueue(chunk(index, { content: inlineImageMarkdown(part) ?? '' }, null));
          }
        }
        if (candidate.finishReason) {
          state.finished = true;
          controller.enqueue(chunk(index, {}, mapFinishReason(candidate.finishReason, state.toolCalls > 0)));
        }
      }
    },
    flush(controller) {
      if (choices.size === 0 || [...choices.values()].some((state) => !state.finished)) {
        throw new GatewayError(502, 'The Gemini stream ended before the reply was complete (no finish reason).', { code: 'upstream_stream_incomplete' });
      }
      if (includeUsage) {
        controller.enqueue({
          id: meta.id,
          object: 'chat.completion.chunk',
          created: meta.created,
          model: meta.model,
          choices: [],
          usage: convertGeminiUsage(usage),
        });
      }
    },
  });
}
