import type { RequestContext } from '../../context';
import { GatewayError } from '../../errors';
import { assertModelName } from '../../gemini/assert-model-name';
import { parseWithSchema } from '../../http/parse-with-schema';
import { readJsonBody } from '../../http/read-json-body';
import { generateImages } from './generate-images';
import { imageGenerationSchema } from './image-request-schema';
import { resolveImageModel } from './resolve-image-model';
import { toGeminiImageRequest } from './to-gemini-image-request';

/** `POST /v1/images/generations`: a prompt → `n` images from a Gemini image model. */
export async function handleImageGenerations(request: Request, ctx: RequestContext): Promise<Response> {
  const params = parseWithSchema(imageGenerationSchema, await readJsonBody(request, ctx));
  if (params.stream === true)
    throw new GatewayError(400, "Invalid 'stream': streamed image generation is not supported; leave it out.", {
      param: 'stream',
    });
  const model = assertModelName(resolveImageModel(params.model, ctx.config.modelMap));
  const body = toGeminiImageRequest({
    prompt: params.prompt,
    size: params.size,
    quality: params.quality,
    background: params.background,
  });
  const images = await generateImages(ctx, {
    model,
    body,
    n: params.n ?? 1,
    responseFormat: params.response_format ?? 'b64_json',
    inputImages: 0,
  });
  return Response.json(images);
}
