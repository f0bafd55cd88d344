import { BadRequestError, type OpenAI, toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MASK_INSTRUCTION } from '../../src/openai/images/to-gemini-image-request';
import { fakePngBase64 } from '../fake-gemini/images';
import { generateCalls, openaiClient, type UpstreamGenerateBody } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * OpenAI's images API (`images.generate`, `images.edit`) with the official client against the real server
 * and the strict fake Gemini, whose image models answer with a PNG.
 */
let stack: Stack;
let client: OpenAI;
beforeAll(async () => {
  stack = await startStack({ MODEL_MAP: 'dall-e-3=gemini-3-pro-image', MAX_BODY_BYTES: '300000' }, { chunkDelayMs: 0 });
  client = openaiClient(stack.url, 'k1,k2');
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const calls = () => generateCalls(stack.fake.requests);
const bodyOf = (n = 0) => calls()[n]?.body as UpstreamGenerateBody;
/** An uploaded image: a valid 1×1 PNG, far below this stack's 300 kB body limit (the fake's answers are not). */
const UPLOADED_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const png = () => Buffer.from(UPLOADED_PNG_BASE64, 'base64');

describe('POST /v1/images/generations', () => {
  it('maps gpt-image-1 to Nano Banana 2, asks for an image only, and returns it as b64_json', async () => {
    const result = await client.images.generate({ model: 'gpt-image-1', prompt: 'a red fox in snow' });
    expect(result.data).toEqual([{ b64_json: fakePngBase64() }]);
    expect(result.output_format).toBe('png');
    expect(result.usage?.output_tokens).toBeGreaterThan(0);
    expect(calls().map((c) => c.path)).toEqual(['/v1beta/models/gemini-3.1-flash-image:generateContent']);
    expect(bodyOf()).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a red fox in snow' }] }],
      generationConfig: { responseModalities: ['IMAGE'] },
    });
  });

  it('makes n images with n calls, maps size and quality, and follows MODEL_MAP', async () => {
    const result = await client.images.generate({
      model: 'dall-e-3',
      prompt: 'wide sky',
      n: 3,
      size: '1792x1024',
      quality: 'hd',
    });
    expect(result.data).toHaveLength(3);
    expect(calls().map((c) => c.path)).toEqual(Array(3).fill('/v1beta/models/gemini-3-pro-image:generateContent'));
    expect(bodyOf().generationConfig).toEqual({
      responseModalities: ['IMAGE'],
      imageConfig: { aspectRatio: '16:9', imageSize: '2K' },
    });
  });

  it("answers response_format 'url' with data URLs, since the gateway stores nothing", async () => {
    const result = await client.images.generate({
      model: 'dall-e-2',
      prompt: 'a cat',
      response_format: 'url',
      size: '256x256',
    });
    expect(result.data?.[0]?.url).toBe(`data:image/png;base64,${fakePngBase64()}`);
    expect(bodyOf().generationConfig).toEqual({
      responseModalities: ['IMAGE'],
      imageConfig: { aspectRatio: '1:1', imageSize: '1K' },
    });
  });

  it('fails over to the next key like every route, and passes on the quota error when none is left', async () => {
    const result = await openaiClient(stack.url, 'quota-images-1,quota-images-2,k3').images.generate({
      model: 'gpt-image-1',
      prompt: 'x',
    });
    expect(result.data).toHaveLength(1);
    expect(calls().at(-1)?.key).toBe('k3');
    const exhausted = await openaiClient(stack.url, 'quota-images-3')
      .images.generate({ prompt: 'x' })
      .catch((e: unknown) => e);
    expect(exhausted).toMatchObject({ status: 429 });
  });

  it('refuses, before any upstream call, a text model, a transparent background, a bad size and streaming', async () => {
    const attempts = [
      { model: 'gemini-3.8-flash', prompt: 'x' },
      { model: 'gpt-image-1', prompt: 'x', background: 'transparent' as const },
      { model: 'gpt-image-1', prompt: 'x', size: 'big' },
      { model: 'gpt-image-1', prompt: 'x', n: 11 },
    ];
    for (const params of attempts) {
      const error = await client.images.generate(params).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
    }
    const streamed = await fetch(`${stack.url}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: 'Bearer k1', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x', stream: true }),
    });
    expect(streamed.status).toBe(400);
    expect(calls()).toHaveLength(0);
  });

  it('says why when Gemini answers in words instead of an image, and when its filter refuses', async () => {
    stack.fake.script({
      reply: {
        candidates: [
          { content: { role: 'model', parts: [{ text: 'I cannot draw that.' }] }, finishReason: 'STOP', index: 0 },
        ],
      },
    });
    const declined = await client.images.generate({ prompt: 'x' }).catch((e: unknown) => e);
    expect(declined).toMatchObject({
      status: 422,
      code: 'image_not_generated',
      message: expect.stringContaining('I cannot draw that.'),
    });
    stack.fake.script({
      reply: { candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'IMAGE_SAFETY', index: 0 }] },
    });
    const refused = await client.images.generate({ prompt: 'x' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, code: 'content_policy_violation' });
  });
});

describe('malformed image requests', () => {
  const post = (path: string, body: BodyInit, contentType?: string) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer k1', ...(contentType ? { 'content-type': contentType } : {}) },
      body,
    });

  it.each([
    ['no prompt', { model: 'gpt-image-1' }, 'prompt'],
    ['a prompt that is not text', { prompt: 42 }, 'prompt'],
    ['n of 0', { prompt: 'x', n: 0 }, 'n'],
    ['an unknown field', { prompt: 'x', colour: 'red' }, undefined],
    ['an unknown quality', { prompt: 'x', quality: 'ultra' }, 'quality'],
  ])('generations: %s is a 400 naming the field', async (_case, body, param) => {
    const response = await post('/v1/images/generations', JSON.stringify(body), 'application/json');
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { param: string | null } }).error;
    if (param) expect(error.param).toBe(param);
  });

  it('edits: JSON, a broken multipart body, a file where text belongs, and no image are 400s', async () => {
    expect((await post('/v1/images/edits', JSON.stringify({ prompt: 'x' }), 'application/json')).status).toBe(400);
    expect((await post('/v1/images/edits', '--x\r\nnot a form', 'multipart/form-data; boundary=x')).status).toBe(400);
    const fileAsPrompt = new FormData();
    fileAsPrompt.append('image', new Blob([png()], { type: 'image/png' }), 'a.png');
    fileAsPrompt.append('prompt', new Blob(['x']), 'prompt.txt');
    expect((await post('/v1/images/edits', fileAsPrompt)).status).toBe(400);
    const noImage = new FormData();
    noImage.append('prompt', 'x');
    const response = await post('/v1/images/edits', noImage);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('image');
    expect(calls()).toHaveLength(0);
  });
});

describe('POST /v1/images/edits', () => {
  it('sends every image, in order, after the prompt', async () => {
    const images = [
      await toFile(png(), 'a.png', { type: 'image/png' }),
      await toFile(png(), 'b.png', { type: 'application/octet-stream' }),
    ];
    const result = await client.images.edit({
      model: 'gpt-image-1',
      image: images,
      prompt: 'put them together',
      size: '1024x1536',
    });
    expect(result.data).toEqual([{ b64_json: fakePngBase64() }]);
    const image = { inlineData: { mimeType: 'image/png', data: UPLOADED_PNG_BASE64 } };
    expect(bodyOf()).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'put them together' }, image, image] }],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '2:3', imageSize: '2K' } },
    });
  });

  it('sends a mask as one more image with the instruction Gemini needs instead of a mask field', async () => {
    await client.images.edit({
      image: await toFile(png(), 'a.png'),
      mask: await toFile(png(), 'mask.png'),
      prompt: 'add a hat',
      n: 2,
    });
    expect(calls()).toHaveLength(2);
    const parts = bodyOf().contents[0]?.parts ?? [];
    expect(parts.map((p) => Object.keys(p)[0])).toEqual(['text', 'inlineData', 'inlineData', 'text']);
    expect(parts[3]).toEqual({ text: MASK_INSTRUCTION });
  });

  it('says where the body limit bites, and refuses what is not an image', async () => {
    const big = await client.images
      .edit({ image: await toFile(Buffer.alloc(400_000, 1), 'big.png'), prompt: 'x' })
      .catch((e: unknown) => e);
    expect(big).toMatchObject({ status: 413, message: expect.stringContaining('4.5 MB') });
    const text = await client.images
      .edit({ image: await toFile(Buffer.from('hello'), 'notes.txt'), prompt: 'x' })
      .catch((e: unknown) => e);
    expect(text).toBeInstanceOf(BadRequestError);
    expect(calls()).toHaveLength(0);
  });
});
