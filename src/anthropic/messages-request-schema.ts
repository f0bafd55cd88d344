import * as z from 'zod/mini';

/**
 * The Anthropic Messages request as this gateway accepts it (https://docs.anthropic.com/en/api/messages).
 * The top level is strict, like Anthropic's own "Extra inputs are not permitted": every field of the official
 * SDK's `MessageCreateParams` (beta ones included, since Claude Code sends them) is known, and the ones Gemini
 * has no use for are accepted and dropped (docs/compatibility.md lists which). Inside blocks and tools unknown
 * keys are ignored: Claude Code adds per-block beta fields (`cache_control`, `caller`, `toolset_name` …) with
 * every release, and none of them changes what Gemini is asked.
 */

const text = z.string();
const anything = z.unknown();

/** Gemini stores these as int32 and answers a larger value with 400 after the request spent a key's quota. */
const INT32_MAX = 2_147_483_647;

/**
 * A tool name both APIs take: Anthropic's `^[a-zA-Z0-9_-]{1,64}$` with Gemini's first-character rule
 * (https://ai.google.dev/api/caching#FunctionDeclaration: a letter or an underscore).
 */
const toolName = z
  .string()
  .check(
    z.regex(
      /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/,
      'a tool name must start with a letter or an underscore and contain only letters, digits, underscores and dashes, at most 64 characters',
    ),
  );

/** A JSON object (a tool's `input_schema`, a `tool_use` block's `input`), used as it is. */
const jsonObject = z.custom<Record<string, unknown>>().check(
  z.check((payload) => {
    const value = payload.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      payload.issues.push({ code: 'invalid_type', expected: 'record', input: value });
  }),
);

const textBlock = z.object({ type: z.literal('text'), text });

const base64Source = z.object({ type: z.literal('base64'), media_type: text, data: text });
const urlSource = z.object({ type: z.literal('url'), url: text });
const fileSource = z.object({ type: z.literal('file'), file_id: text });
const plainTextSource = z.object({ type: z.literal('text'), media_type: z.optional(text), data: text });
const contentSource = z.object({
  type: z.literal('content'),
  content: z.union([text, z.array(z.object({ type: text, text: z.optional(text) }))]),
});

const imageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [base64Source, urlSource, fileSource]),
});
const documentBlock = z.object({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [base64Source, plainTextSource, contentSource, urlSource, fileSource]),
  title: z.nullish(text),
  context: z.nullish(text),
});

const toolResultContentBlock = z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock]);

const toolUseBlock = z.object({ type: z.literal('tool_use'), id: text, name: toolName, input: jsonObject });
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: text,
  content: z.optional(z.union([text, z.array(toolResultContentBlock)])),
  is_error: z.optional(z.boolean()),
});
const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: text, signature: z.optional(text) });
const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: text });

// A web search of an earlier answer, sent back with the rest of it; only its shape is checked (to-gemini-contents.ts drops it).
const serverToolUseBlock = z.object({ type: z.literal('server_tool_use'), id: text, name: text, input: anything });
const webSearchToolResultBlock = z.object({
  type: z.literal('web_search_tool_result'),
  tool_use_id: text,
  content: anything,
});

const contentBlock = z.discriminatedUnion('type', [
  textBlock,
  imageBlock,
  documentBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  redactedThinkingBlock,
  serverToolUseBlock,
  webSearchToolResultBlock,
]);

const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('user'), content: z.union([text, z.array(contentBlock)]) }),
  z.object({ role: z.literal('assistant'), content: z.union([text, z.array(contentBlock)]) }),
  // Mid-conversation system text (Claude Code's per-turn control beta); the SDK types it as SystemMessageParam.
  z.object({ role: z.literal('system'), content: z.union([text, z.array(textBlock)]) }),
]);

/**
 * A tool: a custom one (`input_schema`, no type or `custom`) or an Anthropic-defined one named by its
 * versioned `type` (`web_search_20250305`, `bash_20250124` …). Which of those Gemini can serve is the
 * converter's decision (to-gemini-tools.ts), so the schema only reads what either kind carries.
 */
const tool = z.object({
  type: z.nullish(text),
  name: toolName,
  description: z.nullish(text),
  input_schema: z.optional(jsonObject),
  defer_loading: z.nullish(z.boolean()),
});

const toolChoice = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.optional(z.boolean()) }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.optional(z.boolean()) }),
  z.object({ type: z.literal('tool'), name: text, disable_parallel_tool_use: z.optional(z.boolean()) }),
  z.object({ type: z.literal('none') }),
]);

const display = z.nullish(z.enum(['summarized', 'omitted']));
const thinking = z.discriminatedUnion('type', [
  z.object({ type: z.literal('enabled'), budget_tokens: z.int().check(z.minimum(0), z.maximum(INT32_MAX)), display }),
  z.object({ type: z.literal('adaptive'), display }),
  // Thinking between tool calls (a beta): on Gemini, thinking happens around tool calls anyway.
  z.object({ type: z.literal('between_tools') }),
  z.object({ type: z.literal('disabled') }),
]);

export const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

const outputFormat = z.object({ type: z.literal('json_schema'), schema: jsonObject });

const fields = {
  model: text.check(z.minLength(1)),
  messages: z.array(message),
  system: z.optional(z.union([text, z.array(textBlock)])),
  tools: z.optional(z.array(tool)),
  tool_choice: z.optional(toolChoice),
  thinking: z.optional(thinking),
  output_config: z.optional(z.object({ effort: z.nullish(z.enum(EFFORTS)), format: z.nullish(outputFormat) })),
  output_format: z.nullish(outputFormat),
  temperature: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  top_p: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  top_k: z.optional(z.int().check(z.minimum(0), z.maximum(INT32_MAX))),
  // Gemini takes at most 5 (https://ai.google.dev/api/generate-content#generationconfig).
  stop_sequences: z.optional(z.array(text).check(z.maxLength(5, 'Gemini takes at most 5 stop sequences'))),
  // Accepted and dropped: bookkeeping, caching and Anthropic-platform features with no Gemini counterpart.
  metadata: z.optional(anything),
  cache_control: z.optional(anything),
  context_management: z.optional(anything),
  service_tier: z.optional(anything),
  speed: z.optional(anything),
  inference_geo: z.optional(anything),
  container: z.optional(anything),
  diagnostics: z.optional(anything),
  mcp_servers: z.optional(anything),
  betas: z.optional(anything),
  user_profile_id: z.optional(anything),
  workspace_id: z.optional(anything),
};

export const messagesRequestSchema = z.strictObject({
  ...fields,
  max_tokens: z.int().check(z.minimum(1), z.maximum(INT32_MAX)),
  stream: z.optional(z.boolean()),
});

/**
 * The same request with `messages`, `system` and `tools` taken as they are: parse-messages-request.ts reads
 * those by hand (read-plain-messages.ts, read-plain-tools.ts) before it uses this schema.
 */
export const messagesRequestWithReadFieldsSchema = z.strictObject({
  ...fields,
  messages: z.custom<z.output<typeof fields.messages>>(),
  system: z.optional(z.custom<z.output<typeof fields.system>>()),
  tools: z.optional(z.custom<z.output<typeof fields.tools>>()),
  max_tokens: z.int().check(z.minimum(1), z.maximum(INT32_MAX)),
  stream: z.optional(z.boolean()),
});

/** `count_tokens` takes the same request without `max_tokens` and `stream`. */
export const countTokensRequestSchema = z.strictObject(fields);

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;
export type AnthropicMessage = z.infer<typeof message>;
export type ContentBlock = z.infer<typeof contentBlock>;
export type ToolResultContentBlock = z.infer<typeof toolResultContentBlock>;
export type AnthropicTool = z.infer<typeof tool>;
export type ToolChoice = z.infer<typeof toolChoice>;
export type ThinkingParam = z.infer<typeof thinking>;
export type Effort = (typeof EFFORTS)[number];
