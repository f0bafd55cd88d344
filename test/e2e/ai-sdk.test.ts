import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateImage, generateText } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakePngBase64 } from '../fake-gemini/images';
import { generateCalls, onlyGenerateBody, type UpstreamGenerateBody } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * The Vercel AI SDK's OpenAI-compatible provider against the real server and the strict fake Gemini:
 * `generateImage` (the images API, generations and edits) and `generateText` with an image model.
 */
let stack: Stack;
let provider: ReturnType<typeof createOpenAICompatible>;
beforeAll(async () => {
  stack = await startStack({}, { chunkDelayMs: 0 });
  provider = createOpenAICompatible({ name: 'gateway', baseURL: `${stack.url}/v1`, apiKey: 'k1' });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const png = () => new Uint8Array(Buffer.from(fakePngBase64(), 'base64'));

describe('AI SDK, @ai-sdk/openai-compatible', () => {
  it('generateImage: images as files, from Nano Banana, n and size carried', async () => {
    const result = await generateImage({
      model: provider.imageModel('gpt-image-1'),
      prompt: 'a red fox',
      n: 2,
      size: '1536x1024',
      maxRetries: 0,
    });
    expect(result.images).toHaveLength(2);
    expect(result.image.mediaType).toBe('image/png');
    expect(result.image.base64).toBe(fakePngBase64());
    const calls = generateCalls(stack.fake.requests);
    expect(calls.map((c) => c.path)).toEqual(Array(2).fill('/v1beta/models/gemini-3.1-flash-image:generateContent'));
    expect((calls[0]!.body as UpstreamGenerateBody).generationConfig).toEqual({
      responseModalities: ['IMAGE'],
      imageConfig: { aspectRatio: '3:2', imageSize: '2K' },
    });
  });

  it('generateImage with input images and a mask: an edit', async () => {
    const result = await generateImage({
      model: provider.imageModel('gpt-image-1'),
      prompt: { text: 'add a hat', images: [png()], mask: png() },
      maxRetries: 0,
    });
    expect(result.image.base64).toBe(fakePngBase64());
    const parts = onlyGenerateBody(stack.fake.requests).contents[0]?.parts ?? [];
    expect(parts.map((p) => Object.keys(p)[0])).toEqual(['text', 'inlineData', 'inlineData', 'text']);
  });

  it('generateText with an image model: the image is in the text as a Markdown data URL (the provider reads no other image field)', async () => {
    const result = await generateText({
      model: provider.chatModel('gemini-3.1-flash-image'),
      prompt: 'a red fox',
      maxRetries: 0,
    });
    expect(result.text).toBe(`Echo: a red fox![image](data:image/png;base64,${fakePngBase64()})`);
    expect(result.files).toEqual([]);
  });

  it('generateText with web_search_options passed through providerOptions searches with Google', async () => {
    const result = await generateText({
      model: provider.chatModel('gemini-3.8-flash'),
      prompt: 'news today',
      providerOptions: { gateway: { web_search_options: {} } },
      maxRetries: 0,
    });
    expect(result.text).toBe('Echo: news today');
    expect(onlyGenerateBody(stack.fake.requests).tools).toEqual([{ googleSearch: {} }]);
  });
});
