import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { assertModelName } from '../gemini/assert-model-name';
import { createSchemaBudget } from '../gemini/create-schema-budget';
import { compactId } from '../gemini/encode-tool-call-id';
import { resolveModel } from '../gemini/resolve-model';
import { readSizedJsonBody } from '../http/read-json-body';
import { respondWithHeartbeat } from '../http/respond-with-heartbeat';
import { fetchGeminiAnswer } from '../upstream/fetch-gemini-answer';
import { generateContentRequest } from '../upstream/generate-content-request';
import { logStreamError, openSseStream } from '../upstream/open-sse-stream';
import { upstreamErrorToGatewayError } from '../upstream/upstream-error-to-gateway-error';
import { createOutputAssembler, type Emit, type ResponseMeta } from './create-output-assembler';
import { createResponsesStreamStep } from './create-responses-stream-step';
import { fetchResponsesMedia } from './fetch-responses-media';
import { parseResponsesRequest } from './parse-responses-request';
import type { ResponsesRequest } from './responses-request-schema';
import { createResponseSerializer } from './serialize-response-object';
import { toGeminiRequest } from './to-gemini-request';

const encoder = new TextEncoder();
const ignore: Emit = () => {};
const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * `POST /v1/responses` (and `/responses`): OpenAI's Responses API, statelessly, on Gemini's generateContent.
 * Like chat completions: everything about the request is checked before the first upstream call, a stream
 * whose upstream fails before its first byte is a JSON error with the real status, and one that is slow to
 * start is kept alive with SSE comments (a failure then becomes its `error` event).
 */
export async function handleResponses(request: Request, ctx: RequestContext): Promise<Response> {
  const received = await readSizedJsonBody(request, ctx);
  const parsed = parseResponsesRequest(received.json);
  const model = assertModelName(resolveModel(parsed.model, ctx.config.modelMap));
  const media = await fetchResponsesMedia(parsed.input, ctx);
  const plan = toGeminiRequest(parsed, {
    model,
    media,
    schemaBudget: createSchemaBudget(received.size, ctx.config.maxBodyBytes),
    memo: ctx.memo,
  });
  const stream = parsed.stream === true;
  if (ctx.log.enabled('debug'))
    ctx.log.debug('openai responses converted', { requestedModel: parsed.model, model, stream, gemini: plan.body });

  const meta: ResponseMeta = {
    id: `resp_${compactId(ctx.deps.newId())}`,
    createdAt: Math.floor(ctx.deps.now() / 1000),
    model: parsed.model,
    ...echoOf(parsed, plan.toolsJson),
    newId: () => compactId(ctx.deps.newId()),
    names: plan.names,
    summaries: plan.summaries,
    encryptedReasoning: plan.encryptedReasoning,
  };
  const upstreamRequest = generateContentRequest(model, plan.body, stream, ctx.memo);

  if (stream) {
    const onStreamError = logStreamError(ctx, 'responses');
    const answer = openSseStream(ctx, upstreamRequest, () =>
      createResponsesStreamStep(meta, onStreamError, (usage) => ctx.usage?.tokens(usage)),
    );
    return respondWithHeartbeat(answer, {
      afterMs: ctx.config.heartbeatMs,
      intervalMs: ctx.config.heartbeatMs,
      errorEvent: async (failure) => {
        const error = failure instanceof Response ? await upstreamErrorToGatewayError(failure) : failure;
        onStreamError(error);
        let text = '';
        let sequence = 0;
        const emit: Emit = (event) => {
          text += `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence++ })}\n\n`;
        };
        const assembler = createOutputAssembler(meta);
        assembler.start(emit);
        assembler.fail(error, emit);
        return encoder.encode(text);
      },
    });
  }

  const answer = await fetchGeminiAnswer(ctx, upstreamRequest);
  const assembler = createOutputAssembler(meta);
  assembler.push(answer, ignore);
  return new Response(createResponseSerializer(meta)(assembler.end(ignore, false)), { headers: JSON_HEADERS });
}

/**
 * The request's settings that OpenAI repeats in every response object, with its defaults; `tools` last, so
 * their JSON — the bulk of it, the same on every turn of an agent, made with their conversion — is spliced in.
 */
function echoOf(request: ResponsesRequest, toolsJson: string): Pick<ResponseMeta, 'echo' | 'echoJson'> {
  const settings = {
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    metadata: null,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? null },
    store: request.store ?? true,
    temperature: request.temperature ?? null,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    top_p: request.top_p ?? null,
    truncation: 'disabled',
  };
  return {
    echo: { ...settings, tools: request.tools ?? [] },
    echoJson: `${JSON.stringify(settings).slice(1, -1)},"tools":${toolsJson}`,
  };
}

/**
 * `GET` or `DELETE /v1/responses/{id}`: nothing is ever stored here, so every id is unknown — OpenAI's 404,
 * with the reason.
 */
export function responseNotFound(id: string): never {
  throw new GatewayError(
    404,
    `No response found with id '${id}': this gateway is stateless and stores no responses (send the whole conversation in 'input').`,
    {
      param: 'response_id',
      code: 'not_found',
    },
  );
}
