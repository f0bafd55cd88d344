import type { RequestContext } from '../context';
import { createSchemaBudget } from '../gemini/create-schema-budget';
import { compactId } from '../gemini/encode-tool-call-id';
import { readSizedJsonBody } from '../http/read-json-body';
import { respondWithHeartbeat } from '../http/respond-with-heartbeat';
import { fetchMediaUrls } from '../media/fetch-media-urls';
import { fetchGeminiAnswer } from '../upstream/fetch-gemini-answer';
import { generateContentRequest } from '../upstream/generate-content-request';
import { logStreamError, openSseStream } from '../upstream/open-sse-stream';
import { upstreamErrorToGatewayError } from '../upstream/upstream-error-to-gateway-error';
import { anthropicErrorEvent, PING_EVENT } from './anthropic-sse';
import type { MessageMeta } from './anthropic-types';
import { collectMediaUrls } from './collect-media-urls';
import { createMessagesStreamStep } from './create-messages-stream-step';
import { fromGeminiMessage } from './from-gemini-message';
import { parseMessagesRequest } from './parse-messages-request';
import { resolveClaudeModel } from './resolve-claude-model';
import { toGeminiRequest } from './to-gemini-request';

const encoder = new TextEncoder();

/**
 * `POST /v1/messages`. Everything about the request is checked before the first upstream call. A stream
 * whose upstream fails before its first byte is answered as a normal error with the real status — unless
 * the upstream took longer than HEARTBEAT_MS, when the stream has already started with `ping` events and
 * the failure becomes its `error` event. Errors are thrown as GatewayError; the router answers them in
 * Anthropic's shape.
 */
export async function handleMessages(request: Request, ctx: RequestContext): Promise<Response> {
  const received = await readSizedJsonBody(request, ctx);
  const messages = parseMessagesRequest(received.json);
  const model = resolveClaudeModel(messages.model, ctx.config.modelMap);
  const media = await fetchMediaUrls(collectMediaUrls(messages.messages), ctx);
  const body = toGeminiRequest(messages, {
    model,
    media,
    schemaBudget: createSchemaBudget(received.size, ctx.config.maxBodyBytes),
    memo: ctx.memo,
  });
  const stream = messages.stream === true;
  // What was sent, not what was asked: beside custom tools web search is left out (to-gemini-tools.ts).
  const webSearch = body.tools?.some((tool) => 'googleSearch' in tool) === true;
  if (ctx.log.enabled('debug'))
    ctx.log.debug('anthropic messages converted', { requestedModel: messages.model, model, stream, gemini: body });

  const meta: MessageMeta = {
    id: `msg_${compactId(ctx.deps.newId())}`,
    model: messages.model,
    newId: () => compactId(ctx.deps.newId()),
  };
  const upstreamRequest = generateContentRequest(model, body, stream, ctx.memo);

  if (stream) {
    const onStreamError = logStreamError(ctx, 'anthropic');
    const answer = openSseStream(ctx, upstreamRequest, () =>
      createMessagesStreamStep(meta, {
        onError: onStreamError,
        webSearch,
        onUsage: (usage) => ctx.usage?.tokens(usage),
      }),
    );
    return respondWithHeartbeat(answer, {
      afterMs: ctx.config.heartbeatMs,
      intervalMs: ctx.config.heartbeatMs,
      keepAlive: PING_EVENT,
      errorEvent: async (failure) => {
        const error = failure instanceof Response ? await upstreamErrorToGatewayError(failure) : failure;
        onStreamError(error);
        return encoder.encode(anthropicErrorEvent(error));
      },
    });
  }

  const response = await fetchGeminiAnswer(ctx, upstreamRequest);
  return Response.json(fromGeminiMessage(response, meta, { webSearch }));
}
