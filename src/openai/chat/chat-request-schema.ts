// measured: run `npm run bench` before changing (docs/performance.md).
import * as z from 'zod/mini';
import { allowIgnoredFields } from '../../http/allow-ignored-fields';
import { int32 } from '../../http/int32';
import { jsonSchemaObject } from '../../http/json-schema-object';

/**
 * The OpenAI chat completion request as this gateway accepts it
 * (https://platform.openai.com/docs/api-reference/chat/create). The top level is strict: a field we do not
 * know is a 400, like OpenAI's own "Unrecognized request argument supplied". Fields we accept but do not
 * forward are listed in IGNORED_FIELDS with the reason (docs/compatibility.md has the full table). Inside
 * messages unknown keys are ignored, because chat clients echo their own bookkeeping there (`reasoning_content`,
 * `id`, `name`) and OpenAI's replies must be sendable back as history.
 */

const text = z.string();
const nullishText = z.nullish(text);
const nonEmpty = z.string().check(z.minLength(1));

/**
 * A function name both APIs take: OpenAI's `^[a-zA-Z0-9_-]{1,64}$`
 * (https://platform.openai.com/docs/api-reference/chat/create#chat-create-tools) with Gemini's first-character
 * rule (https://ai.google.dev/api/caching#FunctionDeclaration: it must start with a letter or an underscore).
 */
export const FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/;
const functionName = z
  .string()
  .check(
    z.regex(
      FUNCTION_NAME,
      'a function name must start with a letter or an underscore and contain only letters, digits, underscores and dashes, at most 64 characters',
    ),
  );

const textPart = z.object({ type: z.literal('text'), text });
const refusalPart = z.object({ type: z.literal('refusal'), refusal: text });
const imagePart = z.object({
  type: z.literal('image_url'),
  // Some clients send the URL as a bare string instead of `{url}`.
  image_url: z.union([text, z.object({ url: text, detail: nullishText })]),
});

/** OpenAI accepts wav and mp3; Gemini reads these too, so they pass as well. */
export const AUDIO_MIME_TYPES = {
  wav: 'audio/wav',
  mp3: 'audio/mp3',
  aiff: 'audio/aiff',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
} as const;

const audioPart = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({
    data: text,
    format: z.enum(
      Object.keys(AUDIO_MIME_TYPES) as [keyof typeof AUDIO_MIME_TYPES, ...(keyof typeof AUDIO_MIME_TYPES)[]],
    ),
  }),
});
const filePart = z.object({
  type: z.literal('file'),
  file: z.object({ file_data: nullishText, file_id: nullishText, filename: nullishText }),
});

const userPart = z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart]);
const textContent = z.union([text, z.array(textPart)]);

const toolCall = z.object({
  id: text,
  type: z.literal('function'),
  function: z.object({ name: text, arguments: text }),
  /** Google's own OpenAI layer carries Gemini 3 thought signatures here. */
  extra_content: z.nullish(z.object({ google: z.nullish(z.object({ thought_signature: nullishText })) })),
});

const systemMessage = z.object({ role: z.literal('system'), content: textContent, name: nullishText });
const developerMessage = z.object({ role: z.literal('developer'), content: textContent, name: nullishText });
const userMessage = z.object({
  role: z.literal('user'),
  content: z.union([text, z.array(userPart)]),
  name: nullishText,
});
const assistantMessage = z.object({
  role: z.literal('assistant'),
  content: z.nullish(z.union([text, z.array(z.discriminatedUnion('type', [textPart, refusalPart]))])),
  tool_calls: z.nullish(z.array(toolCall)),
  refusal: nullishText,
  name: nullishText,
});
const toolMessage = z.object({ role: z.literal('tool'), content: textContent, tool_call_id: text });

const message = z.discriminatedUnion('role', [
  systemMessage,
  developerMessage,
  userMessage,
  assistantMessage,
  toolMessage,
]);

const functionTool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: functionName,
    description: nullishText,
    parameters: z.nullish(jsonSchemaObject),
    strict: z.nullish(z.boolean()),
  }),
});

const namedFunction = z.object({ type: z.literal('function'), function: z.object({ name: text }) });
const toolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.discriminatedUnion('type', [
    namedFunction,
    z.object({
      type: z.literal('allowed_tools'),
      allowed_tools: z.object({
        mode: z.enum(['auto', 'required']),
        tools: z.array(namedFunction).check(z.minLength(1)),
      }),
    }),
  ]),
]);

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: text,
      description: nullishText,
      schema: z.nullish(jsonSchemaObject),
      strict: z.nullish(z.boolean()),
    }),
  }),
]);

/**
 * Gemini's enum names (HARM_CATEGORY_…, BLOCK_…/OFF): checked by shape, not against today's list, so a
 * category Google adds later still passes; an empty or lower-case value is a 400 here, not Google's.
 */
const enumName = (pattern: RegExp, what: string) =>
  z.string().check(z.regex(pattern, `must be one of Gemini's ${what} names`));
const safetySetting = z.strictObject({
  category: enumName(/^HARM_CATEGORY_[A-Z_]+$/, 'HarmCategory'),
  threshold: enumName(/^[A-Z][A-Z_]*$/, 'HarmBlockThreshold'),
});

/** Google's extension block, as its own OpenAI-compatible endpoint documents it (`extra_body.google`). */
const googleOptions = z.strictObject({
  thinking_config: z.nullish(
    z.strictObject({
      // -1 asks for a dynamic budget; any other negative value is refused by Gemini.
      thinking_budget: z.nullish(int32(-1)),
      thinking_level: z.nullish(z.enum(['minimal', 'low', 'medium', 'high'])),
      include_thoughts: z.nullish(z.boolean()),
    }),
  ),
  safety_settings: z.nullish(z.array(safetySetting)),
  cached_content: nullishText,
});

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high'] as const;

/** Accepted and deliberately not forwarded; the reason is what docs/compatibility.md says. */
export const IGNORED_FIELDS = {
  user: 'end-user id for OpenAI abuse monitoring; Gemini has no such field',
  metadata: 'OpenAI dashboard tags',
  store: 'OpenAI stored completions',
  service_tier: 'OpenAI capacity tiers',
  parallel_tool_calls: 'Gemini decides by itself whether to call several functions at once',
  logit_bias: 'Gemini has no token bias',
  prediction: 'a latency hint; it never changes the reply',
  prompt_cache_key: 'OpenAI cache routing; Gemini caches implicitly',
  safety_identifier: 'OpenAI abuse monitoring',
  verbosity: 'no Gemini equivalent',
} as const;

const range = (min: number, max: number) => z.number().check(z.minimum(min), z.maximum(max));
const atLeastOne = int32(1);
/** Gemini's candidateCount is 1–8; OpenAI allows up to 128, which Gemini would refuse after spending quota. */
export const MAX_CHOICES = 8;

const fields = {
  model: nonEmpty,
  messages: z.array(message).check(z.minLength(1)),
  stream: z.nullish(z.boolean()),
  stream_options: z.nullish(
    z.object({ include_usage: z.nullish(z.boolean()), include_obfuscation: z.nullish(z.boolean()) }),
  ),
  temperature: z.nullish(range(0, 2)),
  top_p: z.nullish(range(0, 1)),
  top_k: z.nullish(atLeastOne),
  n: z.nullish(int32(1, MAX_CHOICES, `Gemini returns at most ${MAX_CHOICES} choices`)),
  stop: z.nullish(z.union([text, z.array(text).check(z.maxLength(5, 'Gemini accepts at most 5 stop sequences'))])),
  max_tokens: z.nullish(atLeastOne),
  max_completion_tokens: z.nullish(atLeastOne),
  presence_penalty: z.nullish(range(-2, 2)),
  frequency_penalty: z.nullish(range(-2, 2)),
  seed: z.nullish(int32()),
  logprobs: z.nullish(z.boolean()),
  top_logprobs: z.nullish(z.int().check(z.minimum(0), z.maximum(20))),
  response_format: z.nullish(responseFormat),
  tools: z.nullish(z.array(functionTool)),
  tool_choice: z.nullish(toolChoice),
  reasoning_effort: z.nullish(z.enum(REASONING_EFFORTS)),
  web_search_options: z.nullish(z.looseObject({})),
  modalities: z.nullish(z.array(z.enum(['text', 'image', 'audio']))),
  // Audio output does not exist on Gemini's generateContent; the converter refuses a non-null value.
  audio: z.optional(z.unknown()),
  google: z.nullish(googleOptions),
  extra_body: z.nullish(z.strictObject({ google: z.nullish(googleOptions) })),
  // The original project's top-level field.
  safety_settings: z.nullish(z.array(safetySetting)),
};

export const chatRequestSchema = z.strictObject(fields).check(allowIgnoredFields(IGNORED_FIELDS));

/**
 * The same request with `messages` taken as they are: for parseChatRequest, once readPlainMessages has read
 * them (the only difference to chatRequestSchema).
 */
export const chatRequestWithReadMessagesSchema = z
  .strictObject({ ...fields, messages: z.custom<z.output<typeof fields.messages>>() })
  .check(allowIgnoredFields(IGNORED_FIELDS));

export type ChatRequest = z.output<typeof chatRequestSchema>;
export type ChatMessage = ChatRequest['messages'][number];
export type UserContentPart = z.output<typeof userPart>;
export type ChatTool = z.output<typeof functionTool>;
export type ChatToolChoice = z.output<typeof toolChoice>;
export type ChatResponseFormat = z.output<typeof responseFormat>;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];
export type GoogleOptions = z.output<typeof googleOptions>;
