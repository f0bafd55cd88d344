// measured: run `npm run bench` before changing (docs/performance.md).

import { GatewayError } from '../../errors';
import { groundingCitations } from '../../gemini/grounding-citations';
import type { GeminiUsage } from '../../gemini/read-gemini-response';
import { readGeminiStreamChunk } from '../../gemini/read-gemini-stream-chunk';
import type { Grounding } from '../../gemini/read-grounding-metadata';
import type {
  CompletionMeta,
  OpenAIChatCompletionChunk,
  OpenAIChunkDelta,
  OpenAIFinishReason,
  OpenAILogprobs,
} from '../openai-types';
import { fromGeminiFinishReason } from './from-gemini-finish-reason';
import { fromGeminiFunctionCall, inlineImageMarkdown } from './from-gemini-function-call';
import { fromGeminiGrounding } from './from-gemini-grounding';
import { fromGeminiLogprobs } from './from-gemini-logprobs';
import { fromGeminiUsage } from './from-gemini-usage';

interface ChoiceState {
  /** Tool calls so far: the next call's `index` (OpenAI counts them over the whole reply). */
  toolCalls: number;
  finished: boolean;
  /** The content sent so far, kept only when the request searched: citations index into it. */
  content: string;
  grounding?: Grounding;
}

/**
 * Gemini stream chunks (parsed JSON) → `chat.completion.chunk`s, emitted as soon as each Gemini chunk
 * arrives. Per choice (Gemini candidate index): a first delta with the role, then one delta per part
 * (text → `content`, thought → `reasoning_content`, function call → a complete tool call delta), then a
 * delta with the finish reason. Gemini repeats cumulative usage on every chunk, so the last one is
 * reported, in a final `choices: []` chunk when the client asked for `stream_options.include_usage`.
 * A stream that ends before every choice has a finish reason is an error, never a fake finish.
 * `push` takes one parsed event and `end` the end of the stream; both hand each chunk's JSON text to `emit` and
 * throw a GatewayError for what must end the stream with an error event.
 */
export interface ChunkConverter {
  push(value: unknown, emit: (json: string) => void): void;
  end(emit: (json: string) => void): void;
  /** The last usageMetadata seen (Gemini's is cumulative): the stream's token counts so far. */
  usage(): GeminiUsage | undefined;
}

export function fromGeminiChunks(meta: CompletionMeta, includeUsage: boolean): ChunkConverter {
  const choices = new Map<number, ChoiceState>();
  let usage: GeminiUsage | undefined;

  // Chunks are written as text around their one choice: id, created and model are the same in every chunk
  // of the stream, so their JSON is made once. The text is JSON.stringify's of the whole chunk, key for key.
  const head = `${JSON.stringify({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model }).slice(0, -1)},"choices":[`;
  // OpenAI: with include_usage, every chunk but the last carries `usage: null`.
  const tail = includeUsage ? '],"usage":null}' : ']}';
  const chunk = (
    index: number,
    delta: OpenAIChunkDelta,
    finishReason: OpenAIFinishReason | null,
    logprobs: OpenAILogprobs | null = null,
  ): string => {
    const choice: OpenAIChatCompletionChunk['choices'][number] = {
      index,
      delta,
      logprobs,
      finish_reason: finishReason,
    };
    return head + JSON.stringify(choice) + tail;
  };
  /** The chunk nearly every event becomes, a text delta, written without building it. */
  const content = (index: number, text: string): string =>
    `${head}{"index":${index},"delta":{"content":${JSON.stringify(text)}},"logprobs":null,"finish_reason":null}${tail}`;

  const start = (index: number, emit: (json: string) => void): ChoiceState => {
    let state = choices.get(index);
    if (!state) {
      state = { toolCalls: 0, finished: false, content: '' };
      choices.set(index, state);
      emit(chunk(index, { role: 'assistant', content: '' }, null));
    }
    return state;
  };

  return {
    push(value, emit) {
      const response = readGeminiStreamChunk(value);
      if (response.usageMetadata) usage = response.usageMetadata;

      const candidates = response.candidates;
      if (candidates.length === 0) {
        if (response.blockReason) {
          start(0, emit).finished = true;
          emit(chunk(0, {}, 'content_filter'));
        }
        return;
      }
      for (const candidate of candidates) {
        // proto3 JSON leaves out zero values: a candidate without an index is candidate 0.
        const index = candidate.index ?? 0;
        const state = start(index, emit);
        let logprobs = meta.logprobs ? fromGeminiLogprobs(candidate.logprobsResult) : null;
        for (const part of candidate.parts) {
          if (part.functionCall) {
            const call = fromGeminiFunctionCall(part.functionCall, part.thoughtSignature, meta.newToolCallId());
            emit(chunk(index, { tool_calls: [{ index: state.toolCalls++, ...call }] }, null));
          } else if (part.text) {
            if (part.thought) emit(chunk(index, { reasoning_content: part.text }, null));
            else {
              // Logprobs cover the chunk's generated text: they ride on its first content delta.
              emit(logprobs ? chunk(index, { content: part.text }, null, logprobs) : content(index, part.text));
              logprobs = null;
              if (meta.citations) state.content += part.text;
            }
          } else if (part.inlineData) {
            const image = inlineImageMarkdown(part) ?? '';
            emit(chunk(index, { content: image }, null));
            if (meta.citations) state.content += image;
          }
        }
        // Gemini sends grounding once, usually with the last chunk (image models: earlier); the last one wins.
        if (candidate.groundingMetadata) state.grounding = candidate.groundingMetadata;
        if (candidate.finishReason) {
          // The text the citations index is complete: they go out before the finish reason.
          if (state.grounding && meta.citations) {
            const annotations = fromGeminiGrounding(groundingCitations(state.grounding, [state.content]));
            if (annotations.length > 0) emit(chunk(index, { annotations }, null));
          }
          state.finished = true;
          emit(chunk(index, {}, fromGeminiFinishReason(candidate.finishReason, state.toolCalls > 0)));
        }
      }
    },
    end(emit) {
      if (choices.size === 0 || [...choices.values()].some((state) => !state.finished)) {
        throw new GatewayError(502, 'The Gemini stream ended before the reply was complete (no finish reason).', {
          code: 'upstream_stream_incomplete',
        });
      }
      if (includeUsage) {
        const last: OpenAIChatCompletionChunk = {
          id: meta.id,
          object: 'chat.completion.chunk',
          created: meta.created,
          model: meta.model,
          choices: [],
          usage: fromGeminiUsage(usage),
        };
        emit(JSON.stringify(last));
      }
    },
    usage: () => usage,
  };
}
