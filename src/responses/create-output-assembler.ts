import { GatewayError } from '../errors';
import { classifyFinishReason, type FinishKind } from '../gemini/classify-finish-reason';
import type { GeminiResponse, GeminiResponsePart, GeminiUsage } from '../gemini/read-gemini-response';
import type { Grounding } from '../gemini/read-grounding-metadata';
import { encodeEncryptedReasoning } from './encrypted-reasoning';
import { fromGeminiGrounding } from './from-gemini-grounding';
import { fromGeminiUsage } from './from-gemini-usage';
import type {
  CustomToolCallOutput,
  FunctionCallOutput,
  MessageOutput,
  OutputItem,
  OutputText,
  ReasoningOutput,
  ResponseEvent,
  ResponseObject,
  WebSearchCallOutput,
} from './response-types';
import { CUSTOM_TOOL_ARGUMENT, type ToolNames } from './to-gemini-tools';

export interface ResponseMeta {
  /** `resp_…` */
  id: string;
  /** Seconds since the epoch. */
  createdAt: number;
  /** The model name the client sent (echoed, as on chat completions). */
  model: string;
  /** The request's settings a response object repeats (instructions, tools, tool_choice, …). */
  echo: Record<string, unknown>;
  /** `echo` as JSON without its braces, when the handler has it already (serialize-response-object.ts). */
  echoJson?: string;
  /** Letters and digits, unique per call: item and call ids. */
  newId: () => string;
  names: ToolNames;
  /** Thought summaries become reasoning items (the client asked for `reasoning.summary`). */
  summaries: boolean;
  /** Reasoning items carry `encrypted_content` (the client included `reasoning.encrypted_content`). */
  encryptedReasoning: boolean;
}

export type Emit = (event: ResponseEvent) => void;

/**
 * Gemini answers (one whole answer, or the chunks of a stream, parsed) → the Responses output items and, for
 * streams, the event sequence OpenAI sends (https://platform.openai.com/docs/api-reference/responses-streaming):
 * thoughts become a reasoning item with summary text, text an assistant message, each function call a
 * `function_call` (or a `custom_tool_call` for a freeform tool) with a fresh `call_id`. A thought signature on
 * a call is put in a reasoning item right before it (the one being written, or a new one), whose
 * `encrypted_content` brings it back next turn. Only candidate 0 is read: a response has one output.
 * Both methods take an `emit` for the events; a non-streaming answer passes one that drops them.
 */
export interface OutputAssembler {
  /** `response.created` and `response.in_progress`. */
  start(emit: Emit): void;
  push(answer: GeminiResponse, emit: Emit): void;
  /** Closes what is open and emits `response.completed` or `response.incomplete`; a stream without a finish reason is an error. */
  end(emit: Emit, requireFinish: boolean): ResponseObject;
  /** An `error` event and `response.failed`. */
  fail(error: GatewayError, emit: Emit): void;
}

type Open =
  | { kind: 'reasoning'; item: ReasoningOutput; index: number; text: string }
  | { kind: 'message'; item: MessageOutput; index: number; text: string };

/** Finish kinds that make a response `incomplete`, and the reason OpenAI gives; the others complete it. */
const INCOMPLETE_REASONS = { length: 'max_output_tokens', filtered: 'content_filter' } as const satisfies Partial<
  Record<FinishKind, string>
>;

export function createOutputAssembler(meta: ResponseMeta): OutputAssembler {
  const output: OutputItem[] = [];
  let open: Open | undefined;
  let finishReason: string | undefined;
  let blocked = false;
  let usage: GeminiUsage | undefined;
  /** Gemini sends grounding with the last chunk of the answer; it annotates the message's text. */
  let grounding: Grounding | undefined;

  const snapshot = (status: ResponseObject['status'], extra: Partial<ResponseObject> = {}): ResponseObject => ({
    id: meta.id,
    object: 'response',
    created_at: meta.createdAt,
    status,
    error: null,
    incomplete_details: null,
    model: meta.model,
    output: status === 'in_progress' ? [] : output,
    usage: null,
    ...meta.echo,
    ...extra,
  });

  const openItem = (emit: Emit, item: OutputItem): number => {
    const index = output.length;
    output.push(item);
    emit({ type: 'response.output_item.added', output_index: index, item: { ...item } });
    return index;
  };

  const close = (emit: Emit, status: 'completed' | 'incomplete', signature?: string) => {
    const current = open;
    if (!current) return;
    open = undefined;
    const { index, text } = current;
    if (current.kind === 'reasoning') {
      const item = current.item;
      if (text !== '') {
        const part = { type: 'summary_text' as const, text };
        emit({
          type: 'response.reasoning_summary_text.done',
          item_id: item.id,
          output_index: index,
          summary_index: 0,
          text,
        });
        emit({
          type: 'response.reasoning_summary_part.done',
          item_id: item.id,
          output_index: index,
          summary_index: 0,
          part,
        });
        item.summary = [part];
      }
      if (meta.encryptedReasoning) item.encrypted_content = signature ? encodeEncryptedReasoning(signature) : null;
      emit({ type: 'response.output_item.done', output_index: index, item });
    } else {
      const item = current.item;
      const annotations = grounding ? fromGeminiGrounding(grounding, text) : [];
      annotations.forEach((annotation, a) => {
        emit({
          type: 'response.output_text.annotation.added',
          item_id: item.id,
          output_index: index,
          content_index: 0,
          annotation_index: a,
          annotation,
        });
      });
      const part: OutputText = { type: 'output_text', text, annotations, logprobs: [] };
      emit({
        type: 'response.output_text.done',
        item_id: item.id,
        output_index: index,
        content_index: 0,
        text,
        logprobs: [],
      });
      emit({ type: 'response.content_part.done', item_id: item.id, output_index: index, content_index: 0, part });
      item.content = [part];
      item.status = status;
      emit({ type: 'response.output_item.done', output_index: index, item });
    }
  };

  const thought = (emit: Emit, text: string) => {
    if (open?.kind !== 'reasoning') {
      close(emit, 'completed');
      const item: ReasoningOutput = { type: 'reasoning', id: `rs_${meta.newId()}`, summary: [] };
      const index = openItem(emit, item);
      emit({
        type: 'response.reasoning_summary_part.added',
        item_id: item.id,
        output_index: index,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
      open = { kind: 'reasoning', item, index, text: '' };
    }
    open.text += text;
    emit({
      type: 'response.reasoning_summary_text.delta',
      item_id: open.item.id,
      output_index: open.index,
      summary_index: 0,
      delta: text,
    });
  };

  const answerText = (emit: Emit, text: string) => {
    if (open?.kind !== 'message') {
      close(emit, 'completed');
      const item: MessageOutput = {
        type: 'message',
        id: `msg_${meta.newId()}`,
        role: 'assistant',
        status: 'in_progress',
        content: [],
      };
      const index = openItem(emit, item);
      const part: OutputText = { type: 'output_text', text: '', annotations: [], logprobs: [] };
      emit({ type: 'response.content_part.added', item_id: item.id, output_index: index, content_index: 0, part });
      open = { kind: 'message', item, index, text: '' };
    }
    open.text += text;
    emit({
      type: 'response.output_text.delta',
      item_id: open.item.id,
      output_index: open.index,
      content_index: 0,
      delta: text,
      logprobs: [],
    });
  };

  const call = (
    emit: Emit,
    part: GeminiResponsePart & { functionCall: NonNullable<GeminiResponsePart['functionCall']> },
  ) => {
    const signature = meta.encryptedReasoning ? part.thoughtSignature : undefined;
    if (signature && open?.kind === 'reasoning') close(emit, 'completed', signature);
    else {
      close(emit, 'completed');
      if (signature) {
        const item: ReasoningOutput = { type: 'reasoning', id: `rs_${meta.newId()}`, summary: [] };
        open = { kind: 'reasoning', item, index: openItem(emit, item), text: '' };
        close(emit, 'completed', signature);
      }
    }
    const { name, args } = part.functionCall;
    const target = meta.names.get(name) ?? { type: 'function', name };
    const namespace = target.namespace ? { namespace: target.namespace } : {};
    const callId = `call_${meta.newId()}`;
    if (target.type === 'custom') {
      const value = args[CUSTOM_TOOL_ARGUMENT];
      const input = typeof value === 'string' ? value : JSON.stringify(args);
      const item: CustomToolCallOutput = {
        type: 'custom_tool_call',
        id: `ctc_${meta.newId()}`,
        call_id: callId,
        name: target.name,
        ...namespace,
        input: '',
      };
      const index = openItem(emit, item);
      item.input = input;
      emit({ type: 'response.custom_tool_call_input.delta', item_id: item.id, output_index: index, delta: input });
      emit({ type: 'response.custom_tool_call_input.done', item_id: item.id, output_index: index, input });
      item.status = 'completed';
      emit({ type: 'response.output_item.done', output_index: index, item });
      return;
    }
    const item: FunctionCallOutput = {
      type: 'function_call',
      id: `fc_${meta.newId()}`,
      call_id: callId,
      name: target.name,
      ...namespace,
      arguments: '',
      status: 'in_progress',
    };
    const index = openItem(emit, item);
    const text = JSON.stringify(args);
    item.arguments = text;
    emit({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index: index, delta: text });
    emit({
      type: 'response.function_call_arguments.done',
      item_id: item.id,
      output_index: index,
      name: target.name,
      arguments: text,
    });
    item.status = 'completed';
    emit({ type: 'response.output_item.done', output_index: index, item });
  };

  /**
   * The searches behind a grounded answer, as OpenAI's `web_search_call` item. Gemini reports them with the
   * end of the answer, so the item follows the message instead of preceding it as OpenAI's does.
   */
  const searched = (emit: Emit) => {
    const queries = grounding?.queries ?? [];
    if (queries.length === 0) return;
    const item: WebSearchCallOutput = {
      type: 'web_search_call',
      id: `ws_${meta.newId()}`,
      status: 'completed',
      action: { type: 'search', query: queries[0] as string, queries },
    };
    const index = openItem(emit, item);
    for (const stage of ['in_progress', 'searching', 'completed'] as const) {
      emit({ type: `response.web_search_call.${stage}`, item_id: item.id, output_index: index });
    }
    emit({ type: 'response.output_item.done', output_index: index, item });
  };

  const outcome = (): Pick<ResponseObject, 'status' | 'incomplete_details'> => {
    const kind: FinishKind = blocked ? 'filtered' : classifyFinishReason(finishReason);
    const reason = kind === 'length' || kind === 'filtered' ? INCOMPLETE_REASONS[kind] : undefined;
    return reason
      ? { status: 'incomplete', incomplete_details: { reason } }
      : { status: 'completed', incomplete_details: null };
  };

  return {
    start(emit) {
      const response = snapshot('in_progress');
      emit({ type: 'response.created', response });
      emit({ type: 'response.in_progress', response });
    },
    push(answer, emit) {
      if (answer.error) {
        const code = answer.error.code;
        const status = code !== undefined && code >= 400 && code <= 599 ? code : 502;
        throw new GatewayError(
          status,
          answer.error.message || 'The Gemini API reported an error in the middle of the stream.',
          { code: 'upstream_stream_error' },
        );
      }
      if (answer.usageMetadata) usage = answer.usageMetadata;
      if (answer.blockReason && answer.candidates.length === 0) blocked = true;
      const candidate = answer.candidates.find((c) => (c.index ?? 0) === 0);
      if (!candidate) return;
      if (candidate.groundingMetadata) grounding = candidate.groundingMetadata;
      for (const part of candidate.parts) {
        if (part.functionCall)
          call(emit, part as GeminiResponsePart & { functionCall: NonNullable<GeminiResponsePart['functionCall']> });
        else if (part.text) {
          if (part.thought) {
            if (meta.summaries) thought(emit, part.text);
          } else answerText(emit, part.text);
        }
      }
      if (candidate.finishReason) finishReason = candidate.finishReason;
    },
    end(emit, requireFinish) {
      if (requireFinish && !finishReason && !blocked) {
        throw new GatewayError(502, 'The Gemini stream ended before the reply was complete (no finish reason).', {
          code: 'upstream_stream_incomplete',
        });
      }
      const result = outcome();
      close(emit, result.status === 'incomplete' ? 'incomplete' : 'completed');
      searched(emit);
      const response = snapshot(result.status, { ...result, usage: fromGeminiUsage(usage) });
      emit({ type: result.status === 'incomplete' ? 'response.incomplete' : 'response.completed', response });
      return response;
    },
    fail(error, emit) {
      const code =
        error.status === 429
          ? 'rate_limit_exceeded'
          : error.status >= 500
            ? 'server_error'
            : (error.code ?? 'invalid_request_error');
      emit({ type: 'error', code, message: error.message, param: error.param });
      emit({
        type: 'response.failed',
        response: snapshot('failed', {
          error: { code, message: error.message },
          usage: usage ? fromGeminiUsage(usage) : null,
        }),
      });
    },
  };
}
