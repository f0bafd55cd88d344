import type { RequestContext } from '../../context';
import { GatewayError } from '../../errors';
import type { GeminiInlineData } from '../../gemini/gemini-types';
import { readBody } from '../../http/read-body';
import { encodeBase64 } from '../../media/encode-base64';
import { sniffMimeType } from '../../media/sniff-mime-type';

/** OpenAI's limit of input images for GPT image models. */
export const MAX_INPUT_IMAGES = 16;

/** What Gemini image models take as input (https://ai.google.dev/gemini-api/docs/image-understanding#supported-formats). */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);

/** Fields whose form text is a number or a boolean in the JSON schema. */
const NUMBER_FIELDS = new Set(['n', 'output_compression', 'partial_images']);
const BOOLEAN_FIELDS = new Set(['stream']);

export interface ImageEditForm {
  images: GeminiInlineData[];
  mask?: GeminiInlineData;
  /** The other fields, numbers and booleans read from their text, for imageEditFieldsSchema. */
  fields: Record<string, unknown>;
}

/**
 * `POST /v1/images/edits`'s multipart form: `image` once or more (the openai SDK names a list `image[]`), an
 * optional `mask`, and text fields. The body is read under MAX_BODY_BYTES like every body — on Vercel a
 * request over 4.5 MB never reaches the function — and the 413 says so, because image uploads are where
 * that limit is met.
 */
export async function readImageEditForm(request: Request, ctx: RequestContext): Promise<ImageEditForm> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new GatewayError(400, "Image edits are sent as multipart/form-data with the images in 'image' fields.", {
      code: 'invalid_content_type',
    });
  }
  const limit = ctx.config.maxBodyBytes;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await readBody(request, limit);
  } catch (error) {
    if (error instanceof GatewayError && error.status === 413) {
      throw new GatewayError(
        413,
        `The images are larger than the request limit of ${limit} bytes (MAX_BODY_BYTES; Vercel refuses any request body over 4.5 MB). Send smaller or fewer images.`,
        { code: 'request_too_large' },
      );
    }
    throw error;
  }
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  } catch (error) {
    throw new GatewayError(400, 'The multipart body could not be parsed.', { code: 'invalid_multipart', cause: error });
  }

  const images: GeminiInlineData[] = [];
  let mask: GeminiInlineData | undefined;
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    if (name === 'image' || name === 'image[]') {
      if (typeof value === 'string')
        throw new GatewayError(400, "Invalid 'image': expected a file upload.", { param: 'image' });
      images.push(await toInlineData(value, 'image'));
    } else if (name === 'mask') {
      if (typeof value === 'string')
        throw new GatewayError(400, "Invalid 'mask': expected a file upload.", { param: 'mask' });
      if (mask) throw new GatewayError(400, "Invalid 'mask': send one mask.", { param: 'mask' });
      mask = await toInlineData(value, 'mask');
    } else {
      if (typeof value !== 'string')
        throw new GatewayError(400, `Invalid '${name}': expected a text field, not a file.`, { param: name });
      fields[name] = fieldValue(name, value);
    }
  }
  if (images.length === 0) throw new GatewayError(400, "Missing required parameter: 'image'.", { param: 'image' });
  if (images.length > MAX_INPUT_IMAGES)
    throw new GatewayError(400, `Invalid 'image': at most ${MAX_INPUT_IMAGES} images.`, { param: 'image' });
  return mask ? { images, mask, fields } : { images, fields };
}

async function toInlineData(file: File, param: string): Promise<GeminiInlineData> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length === 0) throw new GatewayError(400, `Invalid '${param}': the file is empty.`, { param });
  // A client's declared type is often application/octet-stream: the bytes decide.
  const declared = file.type.split(';')[0]?.trim().toLowerCase() ?? '';
  const mimeType = sniffMimeType(bytes.subarray(0, 16), file.name) ?? declared;
  if (!IMAGE_TYPES.has(mimeType)) {
    throw new GatewayError(
      400,
      `Invalid '${param}': unsupported file type '${mimeType || 'unknown'}'; send PNG, JPEG or WebP.`,
      { param },
    );
  }
  return { mimeType, data: encodeBase64(bytes) };
}

function fieldValue(name: string, text: string): unknown {
  if (NUMBER_FIELDS.has(name) && /^-?\d+$/.test(text.trim())) return Number(text);
  if (BOOLEAN_FIELDS.has(name) && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
