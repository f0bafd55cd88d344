import type { RequestContext } from '../../context';
import { GatewayError } from '../../errors';
import { assertModelName } from '../../gemini/assert-model-name';
import { parseWithSchema } from '../../http/parse-with-schema';
import { generateImages } from './generate-images';
import { imageEditFieldsSchema } from './image-request-schema';
import { readImageEditForm } from './read-image-edit-form';
import { resolveImageModel } from './resolve-image-model';
import { toGeminiImageRequest } from './to-gemini-image-request';

/** `POST /v1/images/edits`: images (and an optional mask) with a prompt → `n` edited images. */
export async function handleImageEdits(request: Request, ctx: RequestContext): Promise<Response> {
  const form = await readImageEditForm(request, ctx);
  const params = parseWithSchema(imageEditFieldsSchema, form.fields);
  if (params.stream === true)
    throw new GatewayError(400, "Invalid 'stream': streamed image edits are not supported; leave it out.", {
      param: 'stream',
    });
  const model = assertModelName(resolveImageModel(params.model, ctx.config.modelMap));
  const body = toGeminiImageRequest({
    prompt: params.prompt,
    images: form.images,
    ...(form.mask ? { mask: form.mask } : {}),
    size: params.size,
    quality: params.quality,
    background: params.background,
  });
  const inputImages = form.images.length + (form.mask ? 1 : 0);
  const images = await generateImages(ctx, {
    model,
    body,
    n: params.n ?? 1,
    responseFormat: params.response_format ?? 'b64_json',
    inputImages,
  });
  return Response.json(images);
}
