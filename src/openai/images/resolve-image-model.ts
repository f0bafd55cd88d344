import { GatewayError } from '../../errors';
import { modelCapabilities } from '../../gemini/model-capabilities';

/**
 * The Gemini model behind OpenAI's image names. Nano Banana 2 (Gemini 3.1 Flash Image) is Google's fast
 * and cheap image model, the closest to what `gpt-image-*` and `dall-e-*` callers expect; `MODEL_MAP`
 * (e.g. `gpt-image-1=gemini-3-pro-image`) overrides it per name. docs/compatibility.md, "Images".
 */
export const DEFAULT_IMAGE_MODEL = 'gemini-3.1-flash-image';

/** OpenAI's image model names, mapped by default. */
const OPENAI_IMAGE_NAMES = /^(gpt-image-|dall-e-|chatgpt-image-)/;

/**
 * The image model for an images API request: MODEL_MAP first, then OpenAI's names, then a Gemini name as
 * it is. A name that maps to a model that cannot answer with images is refused before any upstream call.
 */
export function resolveImageModel(
  requested: string | null | undefined,
  overrides: ReadonlyMap<string, string>,
): string {
  if (requested == null) return DEFAULT_IMAGE_MODEL;
  const override = overrides.get(requested);
  const model =
    override ?? (OPENAI_IMAGE_NAMES.test(requested) ? DEFAULT_IMAGE_MODEL : requested.replace(/^models\//, ''));
  if (!modelCapabilities(model).imageOutput) {
    throw new GatewayError(
      400,
      `The model '${requested}'${model !== requested ? ` (Gemini '${model}')` : ''} does not generate images; use a Gemini image model such as '${DEFAULT_IMAGE_MODEL}' or an OpenAI image name like 'gpt-image-1'.`,
      { param: 'model', code: 'invalid_model' },
    );
  }
  return model;
}
