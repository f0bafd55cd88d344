import * as z from 'zod/mini';
import { allowIgnoredFields } from '../http/allow-ignored-fields';
import { int32 } from '../http/int32';
import { jsonSchemaObject } from '../http/json-schema-object';

/**
 * The OpenAI Responses request as this gateway accepts it (https://platform.openai.com/docs/api-reference/responses/create).
 * The top level is strict, like OpenAI's "Unrecognized request argument supplied"; inside input items unknown
 * keys are ignored, because clients send back the output items they received (with ids, statuses and
 * fields newer than this schema). Fields accepted but not forwarded are in IGNORED_FIELDS;
 * docs/compatibility.md has the full table.
 */

const text = z.string();
const nullishText = z.nullish(text);
const nonEmpty = z.string().check(z.minLength(1));

/**
 * OpenAI's tool name rule (`^[a-zA-Z0-9_-]{1,64}$`) with Gemini's first-character rule: a Gemini function
 * name must start with a letter or an underscore (https://ai.google.dev/api/caching#FunctionDeclaration).
 */
const toolName = z
  .string()
  .check(
    z.regex(
      /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/,
      'a tool name must start with a letter or an underscore and contain only letters, digits, underscores and dashes, at most 64 characters',
    ),
  );

const inputText = z.object({ type: z.literal('input_text'), text });
const outputText = z.object({ type: z.literal('output_text'), text });
const refusal = z.object({ type: z.literal('refusal'), refusal: text });
const inputImage = z.object({
  type: z.literal('input_image'),
  image_url: nullishText,
  file_id: nullishText,
  detail: nullishText,
});
const inputFile = z.object({
  type: z.literal('input_file'),
  file_data: nullishText,
  file_url: nullishText,
  file_id: nullishText,
  filename: nullishText,
});

const contentPart = z.discriminatedUnion('type', [inputText, outputText, refusal, inputImage, inputFile]);
const toolOutputPart = z.discriminatedUnion('type', [inputText, outputText, inputImage, inputFile]);

const messageItem = z.object({
  type: z.literal('message'),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([text, z.array(contentPart)]),
});
const functionCallItem = z.object({
  type: z.literal('function_call'),
  call_id: nonEmpty,
  name: nonEmpty,
  arguments: text,
  namespace: nullishText,
});
const toolOutput = z.union([text, z.array(toolOutputPart)]);
const functionCallOutputItem = z.object({
  type: z.literal('function_call_output'),
  call_id: nonEmpty,
  output: toolOutput,
});
const customToolCallItem = z.object({
  type: z.literal('custom_tool_call'),
  call_id: nonEmpty,
  name: nonEmpty,
  input: text,
  namespace: nullishText,
});
const customToolCallOutputItem = z.object({
  type: z.literal('custom_tool_call_output'),
  call_id: nonEmpty,
  output: toolOutput,
});
const reasoningItem = z.object({
  type: z.literal('reasoning'),
  summary: z.nullish(z.array(z.object({ type: z.literal('summary_text'), text }))),
  encrypted_content: nullishText,
});
const functionTool = z.object({
  type: z.literal('function'),
  name: toolName,
  description: nullishText,
  parameters: z.nullish(jsonSchemaObject),
  strict: z.nullish(z.boolean()),
});
const customFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('grammar'), syntax: z.enum(['lark', 'regex']), definition: text }),
]);
const customTool = z.object({
  type: z.literal('custom'),
  name: toolName,
  description: nullishText,
  format: z.nullish(customFormat),
});
const namespaceTool = z.object({
  type: z.literal('namespace'),
  name: toolName,
  description: nullishText,
  tools: z.array(z.discriminatedUnion('type', [functionTool, customTool])),
});
/** `external_web_access: false` is Codex's "cached" search (its default in a sandbox), which Gemini has no equivalent of. */
const webSearchOptions = { external_web_access: z.nullish(z.boolean()) };
const webSearchTool = z.object({
  type: z.enum(['web_search', 'web_search_2025_08_26', 'web_search_preview', 'web_search_preview_2025_03_11']),
  ...webSearchOptions,
});
/** OpenAI's hosted tools that need OpenAI's own servers; refused by name so the client knows which one. */
export const UNSUPPORTED_TOOL_TYPES = [
  'file_search',
  'computer_use_preview',
  'computer',
  'code_interpreter',
  'image_generation',
  'mcp',
  'local_shell',
  'shell',
  'apply_patch',
  'tool_search',
  'programmatic_tool_calling',
] as const;
const unsupportedTool = z.looseObject({ type: z.enum(UNSUPPORTED_TOOL_TYPES) });

const tool = z.union([functionTool, customTool, namespaceTool, webSearchTool, unsupportedTool]);

/** Refused by the converter with a message saying why (the gateway stores nothing). */
const itemReference = z.object({ type: z.literal('item_reference'), id: text });

/**
 * Codex sends its tools as an input item instead of `tools` when it runs one of OpenAI's own models (its
 * "code mode"); they are declared like `tools`.
 */
const additionalToolsItem = z.object({ type: z.literal('additional_tools'), tools: z.array(tool) });

const inputItem = z.discriminatedUnion('type', [
  messageItem,
  additionalToolsItem,
  functionCallItem,
  functionCallOutputItem,
  customToolCallItem,
  customToolCallOutputItem,
  reasoningItem,
  itemReference,
]);

const namedTool = z.object({ type: z.enum(['function', 'custom']), name: text });
const toolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  namedTool,
  z.object({
    type: z.literal('allowed_tools'),
    mode: z.enum(['auto', 'required']),
    tools: z.array(z.looseObject({ type: text, name: nullishText })).check(z.minLength(1)),
  }),
  z.object({
    type: z.enum(['web_search', 'web_search_preview', 'web_search_preview_2025_03_11', 'web_search_2025_08_26']),
  }),
]);

const textFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: text,
    schema: jsonSchemaObject,
    description: nullishText,
    strict: z.nullish(z.boolean()),
  }),
]);

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

/** Accepted and deliberately not forwarded; the reason is what docs/compatibility.md says. */
export const IGNORED_FIELDS = {
  metadata: 'OpenAI dashboard tags',
  prompt_cache_key: 'OpenAI cache routing; Gemini caches implicitly',
  prompt_cache_retention: 'OpenAI cache retention',
  client_metadata: "Codex's own bookkeeping",
  service_tier: 'OpenAI capacity tiers',
  truncation: 'the client sends the whole conversation; nothing is truncated here',
  user: 'end-user id for OpenAI abuse monitoring',
  safety_identifier: 'OpenAI abuse monitoring',
  parallel_tool_calls: 'Gemini decides by itself whether to call several functions at once',
  max_tool_calls: 'OpenAI hosted tools',
  stream_options: 'obfuscation padding',
  top_logprobs: 'Gemini 2.5 and later return no logprobs',
} as const;

const range = (min: number, max: number) => z.number().check(z.minimum(min), z.maximum(max));

const fields = {
  model: nonEmpty,
  input: z.optional(z.union([text, z.array(inputItem)])),
  instructions: nullishText,
  stream: z.nullish(z.boolean()),
  tools: z.nullish(z.array(tool)),
  tool_choice: z.nullish(toolChoice),
  reasoning: z.nullish(
    z.object({
      effort: z.nullish(z.enum(REASONING_EFFORTS)),
      summary: z.nullish(z.enum(['auto', 'concise', 'detailed', 'none'])),
      generate_summary: z.nullish(z.enum(['auto', 'concise', 'detailed', 'none'])),
    }),
  ),
  text: z.nullish(z.object({ format: z.nullish(textFormat), verbosity: z.nullish(z.enum(['low', 'medium', 'high'])) })),
  max_output_tokens: z.nullish(int32(1)),
  temperature: z.nullish(range(0, 2)),
  top_p: z.nullish(range(0, 1)),
  include: z.nullish(z.array(text)),
  store: z.nullish(z.boolean()),
  // Need state on the server: accepted by the schema so the converter can say why they cannot work here.
  previous_response_id: nullishText,
  conversation: z.nullish(z.union([text, z.looseObject({ id: text })])),
  prompt: z.nullish(z.looseObject({})),
  background: z.nullish(z.boolean()),
};

export const responsesRequestSchema = z.strictObject(fields).check(allowIgnoredFields(IGNORED_FIELDS));

/**
 * The same request with `input` and `tools` taken as they are: parse-responses-request.ts reads those two by
 * hand (read-plain-input.ts, read-plain-tools.ts) and checks their types before it uses this schema.
 */
export const responsesRequestWithReadFieldsSchema = z
  .strictObject({
    ...fields,
    input: z.optional(z.custom<z.output<typeof fields.input>>()),
    tools: z.nullish(z.custom<z.output<typeof fields.tools>>()),
  })
  .check(allowIgnoredFields(IGNORED_FIELDS));

/** Items without `type` are messages (OpenAI's EasyInputMessage: `{role, content}`). */
export function withItemTypes(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { input?: unknown }).input)) return body;
  const input = (body as { input: unknown[] }).input;
  if (!input.some((item) => isUntypedMessage(item))) return body;
  return { ...body, input: input.map((item) => (isUntypedMessage(item) ? { ...item, type: 'message' } : item)) };
}

function isUntypedMessage(item: unknown): item is Record<string, unknown> {
  return typeof item === 'object' && item !== null && !Array.isArray(item) && !('type' in item) && 'role' in item;
}

export type ResponsesRequest = z.output<typeof responsesRequestSchema>;
export type ResponsesInputItem = z.output<typeof inputItem>;
export type ResponsesContentPart = z.output<typeof contentPart>;
export type ResponsesToolOutputPart = z.output<typeof toolOutputPart>;
export type ResponsesTool = z.output<typeof tool>;
export type ResponsesFunctionTool = z.output<typeof functionTool>;
export type ResponsesCustomTool = z.output<typeof customTool>;
export type ResponsesToolChoice = z.output<typeof toolChoice>;
export type ResponsesReasoningEffort = (typeof REASONING_EFFORTS)[number];
