import type { RequestContext } from '../../context';
import { openAIErrorBody } from '../../errors';
import { assertModelName } from '../../gemini/assert-model-name';
import { createSchemaBudget } from '../../gemini/create-schema-budget';
import { compactId } from '../../gemini/encode-tool-call-id';
import { resolveModel } from '../../gemini/resolve-model';
import { readSizedJsonBody } from '../../http/read-json-body';
import { respondWithHeartbeat } from '../../http/respond-with-heartbeat';
import { fetchMediaUrls, type MediaMap } from '../../media/fetch-media-urls';
import { fetchGeminiAnswer } from '../../upstream/fetch-gemini-answer';
import { generateContentRequest } from '../../upstream/generate-content-request';
import { logStreamError, openSseStream } from '../../upstream/open-sse-stream';
import { upstreamErrorToGatewayError } from '../../upstream/upstream-error-to-gateway-error';
import type { CompletionMeta } from '../openai-types';
import { collectMediaUrls } from './collect-media-urls';
import { createChatStreamStep } from './create-chat-stream-step';
import { fromGeminiResponse } from './from-gemini-response';
import { parseChatRequest } from './parse-chat-request';
import { toGeminiRequest } from './to-gemini-request';

const encoder = new TextEncoder();
const NO_MEDIA: MediaMap = new Map();

/**
 * `POST /v1/chat/completions`. Everything about the request is checked before the first upstream call; a
 * stream whose upstream fails before its first byte is answered as a normal JSON error with the real status
 * — unless the upstream took longer than HEARTBEAT_MS to answer, when the stream has already started with
 * keep-alive comments and the failure becomes its error event.
 * Errors are thrown as GatewayError; the router turns them into OpenAI's error shape.
 */
export async function handleChatCompletions(request: Request, ctx: RequestContext): Promise<Response> {
  const received = await readSizedJsonBody(request, ctx);
  const chat = parseChatRequest(received.json);
  const model = assertModelName(resolveModel(chat.model, ctx.config.modelMap));
  const urls = collectMediaUrls(chat.messages);
  // Most requests link no media: no download step (an await and a map) for them.
  const media = urls.length === 0 ? NO_MEDIA : await fetchMediaUrls(urls, ctx);
  const body = toGeminiRequest(chat, {
    model,
    media,
    schemaBudget: createSchemaBudget(received.size, ctx.config.maxBodyBytes),
    memo: ctx.memo,
  });
  const stream = chat.stream === true;
  if (ctx.log.enabled('debug'))
    ctx.log.debug('openai chat converted', { requestedModel: chat.model, model, stream, gemini: body });

  const meta: CompletionMeta = {
    id: `chatcmpl-${ctx.deps.newId()}`,
    created: Math.floor(ctx.deps.now() / 1000),
    model: chat.model,
    newToolCallId: () => compactId(ctx.deps.newId()),
    logprobs: chat.logprobs === true,
    citations: hasGoogleSearch(body.tools),
  };
  const upstreamRequest = generateContentRequest(model, body, stream, ctx.memo);

  if (stream) {
    const onStreamError = logStreamError(ctx, 'openai');
    // The conversion runs in the stage that watches the upstream body: the body that comes back is OpenAI's.
    const answer = openSseStream(ctx, upstreamRequest, () =>
      createChatStreamStep(meta, {
        includeUsage: chat.stream_options?.include_usage === true,
        onError: onStreamError,
        onUsage: (usage) => ctx.usage?.tokens(usage),
      }),
    );
    return respondWithHeartbeat(answer, {
      afterMs: ctx.config.heartbeatMs,
      intervalMs: ctx.config.heartbeatMs,
      errorEvent: async (failure) => {
        const error = failure instanceof Response ? await upstreamErrorToGatewayError(failure) : failure;
        onStreamError(error);
        return encoder.encode(`data: ${JSON.stringify(openAIErrorBody(error))}\n\n`);
      },
    });
  }

  const response = await fetchGeminiAnswer(ctx, upstreamRequest);
  const completion = fromGeminiResponse(response, meta);
  if (ctx.log.enabled('debug'))
    ctx.log.debug('openai chat response', {
      finishReasons: completion.choices.map((c) => c.finish_reason),
      usage: completion.usage,
    });
  return Response.json(completion);
}

/** A loop, not `some` with a closure: once per request, long before V8 optimizes the handler (issue 18). */
function hasGoogleSearch(tools: readonly object[] | undefined): boolean {
  if (tools) for (let i = 0; i < tools.length; i++) if ('googleSearch' in (tools[i] as object)) return true;
  return false;
}
