import { GatewayError } from '../../errors';
import type {
  GeminiGenerateContentRequest,
  GeminiImageConfig,
  GeminiInlineData,
  GeminiPart,
} from '../../gemini/gemini-types';

export interface ImageRequestInput {
  prompt: string;
  /** Images to edit, in the order the client sent them. */
  images?: readonly GeminiInlineData[];
  mask?: GeminiInlineData;
  size?: string | null;
  quality?: string | null;
  background?: string | null;
}

/** The aspect ratios Gemini image models take (https://ai.google.dev/gemini-api/docs/image-generation#aspect_ratios_and_image_size). */
const ASPECT_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;

/**
 * Gemini cannot apply a mask; it edits from instructions. The mask is sent as one more image with this
 * instruction, which is what a person would tell a human editor (docs/compatibility.md, "Images").
 */
export const MASK_INSTRUCTION =
  'The last image is a mask for the first image: change only the areas where the mask is fully transparent, and keep everything else exactly as it is.';

/**
 * An images API request → one Gemini generateContent body asking for an image only. `size` becomes the
 * nearest aspect ratio Gemini offers and the smallest of its sizes (1K, 2K, 4K) that holds the longer side;
 * `quality: high` / `hd` asks for at least 2K. Each call makes one image: the images API's `n` is that
 * many calls (Gemini image models answer one candidate).
 */
export function toGeminiImageRequest(input: ImageRequestInput): GeminiGenerateContentRequest {
  if (input.background === 'transparent') {
    throw new GatewayError(
      400,
      "Invalid 'background': Gemini image models cannot make transparent backgrounds; use 'opaque' or 'auto'.",
      {
        param: 'background',
      },
    );
  }
  const parts: GeminiPart[] = [{ text: input.prompt }];
  for (const image of input.images ?? []) parts.push({ inlineData: image });
  if (input.mask) parts.push({ inlineData: input.mask }, { text: MASK_INSTRUCTION });
  const imageConfig = imageConfigFor(input.size, input.quality);
  return {
    contents: [{ role: 'user', parts }],
    generationConfig: { responseModalities: ['IMAGE'], ...(imageConfig ? { imageConfig } : {}) },
  };
}

export function imageConfigFor(
  size: string | null | undefined,
  quality: string | null | undefined,
): GeminiImageConfig | undefined {
  const config: GeminiImageConfig = {};
  if (size != null && size !== 'auto') {
    const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
    const width = Number(match?.[1]);
    const height = Number(match?.[2]);
    if (!match || width === 0 || height === 0) {
      throw new GatewayError(
        400,
        `Invalid 'size': '${size}'. Use WIDTHxHEIGHT (for example 1024x1024, 1536x1024) or 'auto'.`,
        { param: 'size' },
      );
    }
    config.aspectRatio = nearestAspectRatio(width / height);
    const longer = Math.max(width, height);
    config.imageSize = longer <= 1024 ? '1K' : longer <= 2048 ? '2K' : '4K';
  }
  if ((quality === 'high' || quality === 'hd') && (config.imageSize === undefined || config.imageSize === '1K'))
    config.imageSize = '2K';
  return Object.keys(config).length > 0 ? config : undefined;
}

function nearestAspectRatio(ratio: number): string {
  let best: string = ASPECT_RATIOS[0];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of ASPECT_RATIOS) {
    const [w, h] = candidate.split(':').map(Number) as [number, number];
    // Compared on a log scale, so that 2:1 and 1:2 are as far from 1:1.
    const distance = Math.abs(Math.log(ratio) - Math.log(w / h));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
