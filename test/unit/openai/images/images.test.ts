import { describe, expect, it } from 'vitest';
import { resolveImageModel } from '../../../../src/openai/images/resolve-image-model';
import { imageConfigFor } from '../../../../src/openai/images/to-gemini-image-request';

describe('imageConfigFor', () => {
  it.each([
    // size, quality, Gemini imageConfig
    [undefined, undefined, undefined],
    ['auto', 'auto', undefined],
    ['1024x1024', undefined, { aspectRatio: '1:1', imageSize: '1K' }],
    ['256x256', 'standard', { aspectRatio: '1:1', imageSize: '1K' }],
    ['1536x1024', undefined, { aspectRatio: '3:2', imageSize: '2K' }],
    ['1024x1536', 'low', { aspectRatio: '2:3', imageSize: '2K' }],
    ['1792x1024', undefined, { aspectRatio: '16:9', imageSize: '2K' }],
    ['1024x1792', undefined, { aspectRatio: '9:16', imageSize: '2K' }],
    ['3840x2160', undefined, { aspectRatio: '16:9', imageSize: '4K' }],
    ['2560x1080', undefined, { aspectRatio: '21:9', imageSize: '4K' }],
    ['1000x800', undefined, { aspectRatio: '5:4', imageSize: '1K' }],
    ['1024x1024', 'high', { aspectRatio: '1:1', imageSize: '2K' }],
    [undefined, 'hd', { imageSize: '2K' }],
  ])('%s at quality %s → %j', (size, quality, expected) => {
    expect(imageConfigFor(size, quality)).toEqual(expected);
  });

  it.each(['big', '1024', '0x1024', '1024x', '-5x5'])('refuses size %s', (size) => {
    expect(() => imageConfigFor(size, undefined)).toThrow(/Invalid 'size'/);
  });
});

describe('resolveImageModel', () => {
  const map = new Map([
    ['dall-e-3', 'gemini-3-pro-image'],
    ['painter', 'gemini-3.1-flash-image'],
    ['broken', 'gemini-3.8-flash'],
  ]);
  it.each([
    [undefined, 'gemini-3.1-flash-image'],
    ['gpt-image-1', 'gemini-3.1-flash-image'],
    ['gpt-image-2', 'gemini-3.1-flash-image'],
    ['dall-e-2', 'gemini-3.1-flash-image'],
    ['chatgpt-image-latest', 'gemini-3.1-flash-image'],
    ['dall-e-3', 'gemini-3-pro-image'],
    ['painter', 'gemini-3.1-flash-image'],
    ['gemini-3-pro-image', 'gemini-3-pro-image'],
    ['models/gemini-3-pro-image', 'gemini-3-pro-image'],
  ])('%s → %s', (requested, model) => {
    expect(resolveImageModel(requested, map)).toBe(model);
  });

  it.each(['gemini-3.8-flash', 'gpt-4o', 'broken'])('refuses %s, which does not make images', (requested) => {
    expect(() => resolveImageModel(requested, map)).toThrow(/does not generate images/);
  });
});
