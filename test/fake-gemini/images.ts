/**
 * Image output of the Gemini image models (Nano Banana): with `responseModalities` including IMAGE (their
 * default when none is given) they answer with `inlineData` parts holding base64 PNG, beside text unless
 * only IMAGE was asked for. A text-only model asked for IMAGE is refused by the modality check in
 * validate-generate-request.ts, as on Google.
 */
import type { GenerateContentRequest } from './gemini-request-schema';
import type { ModelEntry } from './models';

/** A valid 1×1 PNG: small enough for any test, real enough for any decoder. */
export const FAKE_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** What Google counts for one generated image at the default 1K size. */
export const IMAGE_TOKENS = 1290;

export interface OutputPlan {
  text: boolean;
  image: boolean;
}

export function outputPlan(request: GenerateContentRequest, model: ModelEntry): OutputPlan {
  const asked = (request.generationConfig?.responseModalities ?? []).filter((m) => m !== 'MODALITY_UNSPECIFIED');
  const canImage = model.traits.outputModalities.includes('IMAGE');
  if (asked.length === 0) return { text: true, image: canImage };
  return { text: asked.includes('TEXT'), image: canImage && asked.includes('IMAGE') };
}
