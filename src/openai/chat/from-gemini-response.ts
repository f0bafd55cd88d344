import { GatewayError } from '../../errors';
import { groundingCitations } from '../../gemini/grounding-citations';
import type { GeminiCandidate, GeminiResponse } from '../../gemini/read-gemini-response';
import type { CompletionMeta, OpenAIChatCompletion, OpenAIToolCall } from '../openai-types';
import { fromGeminiFinishReason } from './from-gemini-finish-reason';
import { fromGeminiFunctionCall, inlineImageMarkdown } from './from-gemini-function-call';
import { fromGeminiGrounding } from './from-gemini-grounding';
import { fromGeminiLogprobs } from './from-gemini-logprobs';
import { fromGeminiUsage } from './from-gemini-usage';

type Choice = OpenAIChatCompletion['choices'][number];

/**
 * Gemini generateContent response → OpenAI `chat.completion`. Each candidate is a choice; all its text parts
 * are joined; thought parts become `reasoning_content` and never mix into `content`. A prompt Gemini blocked
 * (no candidates, `promptFeedback.blockReason`) is a normal reply with empty content and finish reason
 * `content_filter`, as OpenAI answers a filtered request. No candidates and no block reason is an upstream
 * fault: 502.
 */
export function fromGeminiResponse(response: GeminiResponse, meta: CompletionMeta): OpenAIChatCompletion {
  const candidates = response.candidates;
  let choices: Choice[];
  if (candidates.length > 0) {
    choices = [];
    for (const candidate of candidates) choices.push(convertCandidate(candidate, meta));
    // Only several candidates need sorting: sorting the usual single one deoptimized the chat handler.
    if (choices.length > 1) choices.sort(byIndex);
  } else if (response.blockReason) {
    choices = [
      {
        index: 0,
        message: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: 'content_filter',
      },
    ];
  } else {
    throw new GatewayError(502, 'The Gemini API returned an empty response (no candidates and no block reason).', {
      code: 'upstream_empty_response',
    });
  }
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices,
    usage: fromGeminiUsage(response.usageMetadata),
  };
}

const byIndex = (a: Choice, b: Choice): number => a.index - b.index;

function convertCandidate(candidate: GeminiCandidate, meta: CompletionMeta): Choice {
  const texts: string[] = [];
  const thoughts: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  // What each Gemini part adds to `content`, by part index: grounding segments name the part they are in.
  const contentByPart: string[] = [];
  for (const part of candidate.parts) {
    let content: string | undefined;
    if (part.functionCall)
      toolCalls.push(fromGeminiFunctionCall(part.functionCall, part.thoughtSignature, meta.newToolCallId()));
    else if (part.text !== undefined) {
      if (part.thought) thoughts.push(part.text);
      else content = part.text;
    } else content = inlineImageMarkdown(part);
    if (content !== undefined) texts.push(content);
    contentByPart.push(content ?? '');
  }
  const message: Choice['message'] = {
    role: 'assistant',
    // OpenAI sends null content beside tool calls; otherwise a string, even when the reply was filtered.
    content: texts.length > 0 ? texts.join('') : toolCalls.length > 0 ? null : '',
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (thoughts.length > 0) message.reasoning_content = thoughts.join('');
  if (candidate.groundingMetadata) {
    const annotations = fromGeminiGrounding(groundingCitations(candidate.groundingMetadata, contentByPart));
    if (annotations.length > 0) message.annotations = annotations;
  }
  return {
    // proto3 JSON leaves out zero values: a candidate without an index is candidate 0.
    index: candidate.index ?? 0,
    message,
    logprobs: meta.logprobs ? fromGeminiLogprobs(candidate.logprobsResult) : null,
    finish_reason: fromGeminiFinishReason(candidate.finishReason, toolCalls.length > 0),
  };
}
