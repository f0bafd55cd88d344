import { GatewayError } from '../errors';

/** Characters Gemini model ids use; anything else could change the upstream path (`/`, `:`, `?`, `..`). */
const MODEL_NAME = /^[a-zA-Z0-9._-]+$/;

export function isModelName(model: string): boolean {
  return MODEL_NAME.test(model) && model !== '.' && model !== '..';
}

/** The upstream model name, checked so that it can be put into a URL path as it is. */
export function assertModelName(model: string, param = 'model'): string {
  if (!isModelName(model)) {
    throw new GatewayError(400, `Invalid model name '${model}': only letters, digits, '.', '_' and '-' are allowed.`, {
      param,
      code: 'invalid_model',
    });
  }
  return model;
}
