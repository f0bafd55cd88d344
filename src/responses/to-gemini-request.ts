import { GatewayError } from '../errors';
import { MIN_SCHEMA_BUDGET, type SchemaBudget } from '../gemini/create-schema-budget';
import type {
  GeminiGenerateContentRequest,
  GeminiGenerationConfig,
  GeminiThinkingConfig,
} from '../gemini/gemini-types';
import { modelCapabilities, type ThinkingEffort } from '../gemini/model-capabilities';
import { recallGeminiTools } from '../gemini/recall-gemini-tools';
import { toGeminiSchema } from '../gemini/to-gemini-schema';
import { thinkingForEffort } from '../gemini/to-gemini-thinking-config';
import { type ContentMemo, rememberJson } from '../http/content-memo';
import type { MediaMap } from '../media/fetch-media-urls';
import type {
  ResponsesInputItem,
  ResponsesReasoningEffort,
  ResponsesRequest,
  ResponsesTool,
} from './responses-request-schema';
import { toGeminiContents } from './to-gemini-contents';
import { type ToolNames, toGeminiTools } from './to-gemini-tools';

export interface ToGeminiRequestOptions {
  /** The Gemini model that will serve the request (after resolveModel). */
  model: string;
  media: MediaMap;
  /** What all the request's converted schemas may take (createSchemaBudget); MIN_SCHEMA_BUDGET when absent. */
  schemaBudget?: SchemaBudget;
  /** The instance's memo: tools converted and system instruction serialised once per distinct content (content-memo.ts). */
  memo?: ContentMemo;
}

export interface GeminiRequestPlan {
  body: GeminiGenerateContentRequest;
  /** Gemini function name → the client's tool, for the calls in the answer. */
  names: ToolNames;
  /** The client asked for reasoning summaries: Gemini's thought summaries become reasoning items. */
  summaries: boolean;
  /** The client asked for `reasoning.encrypted_content`: thought signatures travel in reasoning items. */
  encryptedReasoning: boolean;
  /** The client's `tools` as JSON, for the response object's echo: made with the conversion, once per tool list. */
  toolsJson: string;
}

/** OpenAI's efforts → the shared thinking efforts; `xhigh` is beyond what Gemini offers, so it is `high`. */
export const EFFORTS = {
  none: 'none',
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
} as const satisfies Record<ResponsesReasoningEffort, ThinkingEffort>;

/**
 * A validated Responses request → the body of Gemini's generateContent and what the answer's conversion needs.
 * The gateway keeps no state, so what needs stored responses is refused with a message saying what to send
 * instead. Only what the client set is sent: no default temperature or token cap is invented.
 * docs/compatibility.md lists every field and what it becomes.
 */
export function toGeminiRequest(request: ResponsesRequest, options: ToGeminiRequestOptions): GeminiRequestPlan {
  assertStateless(request);
  const capabilities = modelCapabilities(options.model);
  const { systemInstruction, contents } = toGeminiContents(request.instructions, request.input, {
    media: options.media,
    requireSignatures: capabilities.thoughtSignatures,
  });
  const body: GeminiGenerateContentRequest = { contents };
  // The same on every turn of an agent: remembered, and spliced into the body as JSON already made.
  if (systemInstruction) body.systemInstruction = rememberJson(options.memo, 'system-instruction', systemInstruction);
  const budget = options.schemaBudget ?? { limit: MIN_SCHEMA_BUDGET, left: MIN_SCHEMA_BUDGET };
  const more = typeof request.input === 'object' ? additionalTools(request.input) : [];
  const { tools, toolConfig, names, toolsJson } = recallGeminiTools(
    options.memo,
    'responses-tools',
    [request.tools, request.tool_choice, more.map(({ tool }) => tool)],
    budget,
    (schemaBudget) => ({
      ...toGeminiTools(request.tools, request.tool_choice, { budget: schemaBudget }, more),
      toolsJson: JSON.stringify(request.tools ?? []),
    }),
  );
  if (tools) body.tools = tools;
  if (toolConfig) body.toolConfig = toolConfig;

  const summary = request.reasoning?.summary ?? request.reasoning?.generate_summary;
  const summaries = summary != null && summary !== 'none' && capabilities.thinking.kind !== 'none';
  const generationConfig: GeminiGenerationConfig = {};
  if (request.max_output_tokens != null) generationConfig.maxOutputTokens = request.max_output_tokens;
  if (request.temperature != null) generationConfig.temperature = request.temperature;
  if (request.top_p != null) generationConfig.topP = request.top_p;
  const format = request.text?.format;
  if (format?.type === 'json_object') generationConfig.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    generationConfig.responseMimeType = 'application/json';
    generationConfig.responseSchema = toGeminiSchema(format.schema, 'text.format.schema', budget);
  }
  const thinking = thinkingConfig(options.model, request.reasoning?.effort, summaries);
  if (thinking) generationConfig.thinkingConfig = thinking;
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;

  return {
    body,
    names,
    summaries,
    encryptedReasoning: request.include?.includes('reasoning.encrypted_content') === true,
    toolsJson,
  };
}

/** The tools of `additional_tools` input items, named by where they stand. */
function additionalTools(input: readonly ResponsesInputItem[]): { tool: ResponsesTool; param: string }[] {
  return input.flatMap((item, i) =>
    item.type === 'additional_tools' ? item.tools.map((tool, t) => ({ tool, param: `input[${i}].tools[${t}]` })) : [],
  );
}

/** The effort through the shared mapping; thoughts are shown only when the client asked for summaries. */
function thinkingConfig(
  model: string,
  effort: ResponsesReasoningEffort | null | undefined,
  summaries: boolean,
): GeminiThinkingConfig | undefined {
  if (effort == null) return summaries ? { includeThoughts: true } : undefined;
  const mapped = thinkingForEffort(model, EFFORTS[effort]);
  if (!mapped) return undefined;
  const { includeThoughts: _shown, ...config } = mapped;
  return summaries ? { ...config, includeThoughts: true } : config;
}

const STATELESS_HINT =
  'this gateway is stateless and stores no responses. Send the whole conversation in `input` every turn (with `store: false`), as Codex does.';

function assertStateless(request: ResponsesRequest): void {
  if (request.previous_response_id != null) {
    throw new GatewayError(400, `'previous_response_id' cannot be used: ${STATELESS_HINT}`, {
      param: 'previous_response_id',
      code: 'stateless_gateway',
    });
  }
  if (request.conversation != null) {
    throw new GatewayError(400, `'conversation' cannot be used: ${STATELESS_HINT}`, {
      param: 'conversation',
      code: 'stateless_gateway',
    });
  }
  if (request.background === true) {
    throw new GatewayError(400, `'background' responses cannot be used: ${STATELESS_HINT}`, {
      param: 'background',
      code: 'stateless_gateway',
    });
  }
  if (request.prompt != null) {
    throw new GatewayError(
      400,
      "'prompt' refers to a prompt template stored at OpenAI, which Gemini cannot read; send its text as 'instructions'.",
      {
        param: 'prompt',
        code: 'unsupported_parameter',
      },
    );
  }
}
