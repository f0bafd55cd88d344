import * as z from 'zod/mini';

/**
 * OpenAI's images API requests as this gateway accepts them
 * (https://platform.openai.com/docs/api-reference/images/create, .../createEdit). Strict at the top level like
 * the chat request: an unknown field is a 400. Fields that only tune OpenAI's own encoder or moderation are
 * accepted and not forwarded (IGNORED_IMAGE_FIELDS; docs/compatibility.md, "Images").
 */

/** OpenAI allows 1–10 images per request. */
export const MAX_IMAGES = 10;

const common = {
  prompt: z.string().check(z.minLength(1), z.maxLength(32000)),
  model: z.nullish(z.string().check(z.minLength(1))),
  n: z.nullish(z.int().check(z.minimum(1), z.maximum(MAX_IMAGES))),
  size: z.nullish(z.string()),
  quality: z.nullish(z.enum(['standard', 'hd', 'low', 'medium', 'high', 'auto'])),
  response_format: z.nullish(z.enum(['url', 'b64_json'])),
  background: z.nullish(z.enum(['transparent', 'opaque', 'auto'])),
  output_format: z.nullish(z.enum(['png', 'jpeg', 'webp'])),
  stream: z.nullish(z.boolean()),
  // Accepted, not forwarded: see IGNORED_IMAGE_FIELDS.
  output_compression: z.nullish(z.int().check(z.minimum(0), z.maximum(100))),
  partial_images: z.nullish(z.int().check(z.minimum(0), z.maximum(3))),
  moderation: z.nullish(z.enum(['low', 'auto'])),
  style: z.nullish(z.enum(['vivid', 'natural'])),
  user: z.nullish(z.string()),
};

export const IGNORED_IMAGE_FIELDS = {
  output_compression: 'Gemini returns its own encoding; the gateway does not re-encode',
  partial_images: 'only for streaming, which is not offered',
  moderation: "OpenAI's moderation level; Gemini applies its own safety filters",
  style: 'a DALL·E 3 style switch; say it in the prompt',
  user: 'end-user id for OpenAI abuse monitoring',
  input_fidelity: 'GPT Image input fidelity; Gemini keeps the input images as they are',
} as const;

export const imageGenerationSchema = z.strictObject(common);

/** The text fields of an edit's multipart form, after numbers and booleans have been read from their text. */
export const imageEditFieldsSchema = z.strictObject({ ...common, input_fidelity: z.nullish(z.enum(['high', 'low'])) });

export type ImageGenerationRequest = z.output<typeof imageGenerationSchema>;
export type ImageEditFields = z.output<typeof imageEditFieldsSchema>;
