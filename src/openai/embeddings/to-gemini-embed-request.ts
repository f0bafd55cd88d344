/** Gemini's limit of requests in one batchEmbedContents call. */
export const EMBED_BATCH_SIZE = 100;

export interface GeminiBatchEmbedRequest {
  requests: { model: string; content: { parts: { text: string }[] }; outputDimensionality?: number }[];
}

/**
 * Texts → the bodies of Gemini batchEmbedContents calls, EMBED_BATCH_SIZE texts each. Every item repeats
 * the model as `models/{model}`, as the API requires (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents).
 */
export function toGeminiEmbedRequest(
  texts: readonly string[],
  model: string,
  dimensions?: number | null,
): GeminiBatchEmbedRequest[] {
  const batches: GeminiBatchEmbedRequest[] = [];
  for (let start = 0; start < texts.length; start += EMBED_BATCH_SIZE) {
    batches.push({
      requests: texts
        .slice(start, start + EMBED_BATCH_SIZE)
        .map((text) =>
          dimensions != null
            ? { model: `models/${model}`, content: { parts: [{ text }] }, outputDimensionality: dimensions }
            : { model: `models/${model}`, content: { parts: [{ text }] } },
        ),
    });
  }
  return batches;
}
