import * as z from 'zod/mini';
import { int32 } from '../../http/int32';

/** OpenAI's embeddings request (https://platform.openai.com/docs/api-reference/embeddings/create). */
export const embeddingsRequestSchema = z.strictObject({
  model: z.string().check(z.minLength(1)),
  // Token arrays pass the schema so that the handler can say precisely why they are refused.
  input: z.union([z.string(), z.array(z.union([z.string(), z.number(), z.array(z.number())]))]),
  dimensions: z.nullish(int32(1)),
  encoding_format: z.nullish(z.enum(['float', 'base64'])),
  /** OpenAI abuse monitoring; accepted and not forwarded. */
  user: z.optional(z.unknown()),
});

export type EmbeddingsRequest = z.output<typeof embeddingsRequestSchema>;
