import { BadRequestError, type OpenAI } from 'openai';
import type { ChatCompletionChunk, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GROUNDING_SOURCES } from '../fake-gemini/grounding';
import { fakePngBase64 } from '../fake-gemini/images';
import { onlyGenerateBody, openaiClient, withExtra } from './support/openai-client';
import { type Stack, startStack } from './support/stack';

/**
 * Gemini's own powers through chat completions, with the official client against the strict fake: Google
 * Search with `url_citation` annotations (the fake's segments are UTF-8 byte offsets, so multi-byte text
 * proves the conversion), and image models answering with images.
 */
let stack: Stack;
let client: OpenAI;
beforeAll(async () => {
  stack = await startStack({}, { chunkDelayMs: 0 });
  client = openaiClient(stack.url, 'k1');
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const QUESTION = 'Wetter in Zürich 😀 天气';
const ANSWER = `Echo: ${QUESTION}`;
const slice = (text: string, start: number, end: number) => [...text].slice(start, end).join('');

interface Annotation {
  type: 'url_citation';
  url_citation: { url: string; title: string; start_index: number; end_index: number };
}

const weatherTool: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

describe('web_search_options', () => {
  it('searches with Google and returns url_citation annotations in characters of the content', async () => {
    const reply = await client.chat.completions.create({
      model: 'gemini-3.8-flash',
      web_search_options: {},
      messages: [{ role: 'user', content: QUESTION }],
    });
    expect(onlyGenerateBody(stack.fake.requests).tools).toEqual([{ googleSearch: {} }]);
    const message = reply.choices[0]?.message;
    expect(message?.content).toBe(ANSWER);
    const annotations = (message?.annotations ?? []) as Annotation[];
    expect(
      annotations.map((a) => [
        a.url_citation.url,
        a.url_citation.title,
        slice(ANSWER, a.url_citation.start_index, a.url_citation.end_index),
      ]),
    ).toEqual([
      [GROUNDING_SOURCES[0].uri, 'example.com', 'Wetter'],
      [GROUNDING_SOURCES[0].uri, 'example.com', QUESTION],
      [GROUNDING_SOURCES[1].uri, 'example.org', QUESTION],
    ]);
    expect(annotations[1]?.url_citation.end_index).toBe([...ANSWER].length);
  });

  it('streams the annotations in one delta once the text is complete, before the finish reason', async () => {
    const stream = await client.chat.completions.create({
      model: 'gemini-3.8-flash',
      web_search_options: {},
      stream: true,
      messages: [{ role: 'user', content: QUESTION }],
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const deltas = chunks.flatMap((c) => c.choices);
    const at = deltas.findIndex((choice) => 'annotations' in choice.delta);
    expect(at).toBeGreaterThan(0);
    expect(deltas.slice(at + 1).map((choice) => choice.finish_reason)).toEqual(['stop']);
    const content = deltas.map((choice) => choice.delta.content ?? '').join('');
    expect(content).toBe(ANSWER);
    const annotations = (deltas[at]!.delta as { annotations: Annotation[] }).annotations;
    expect(annotations.map((a) => slice(content, a.url_citation.start_index, a.url_citation.end_index))).toEqual([
      'Wetter',
      QUESTION,
      QUESTION,
    ]);
  });

  it("the SDK's stream helper puts the streamed annotations on its final message", async () => {
    const stream = client.chat.completions.stream({
      model: 'gemini-3.8-flash',
      web_search_options: {},
      messages: [{ role: 'user', content: QUESTION }],
    });
    const final = await stream.finalChatCompletion();
    const annotations = (final.choices[0]?.message.annotations ?? []) as Annotation[];
    expect(final.choices[0]?.message.content).toBe(ANSWER);
    expect(annotations.map((a) => a.url_citation.title)).toEqual(['example.com', 'example.com', 'example.org']);
  });

  it("takes Gemini's own OpenAI-layer switch, a parameterless googleSearch function, as search", async () => {
    const reply = await client.chat.completions.create({
      model: 'gemini-3.8-flash',
      tools: [{ type: 'function', function: { name: 'googleSearch' } }],
      messages: [{ role: 'user', content: QUESTION }],
    });
    expect(onlyGenerateBody(stack.fake.requests).tools).toEqual([{ googleSearch: {} }]);
    expect(reply.choices[0]?.message.annotations).toHaveLength(3);
  });

  it('answers without annotations when Gemini did not search, and drops options Gemini has no equivalent for', async () => {
    const options = {
      search_context_size: 'high' as const,
      user_location: { type: 'approximate' as const, approximate: { city: 'Zürich', country: 'CH' } },
    };
    stack.fake.script({
      reply: {
        candidates: [
          { content: { role: 'model', parts: [{ text: 'No search needed.' }] }, finishReason: 'STOP', index: 0 },
        ],
      },
    });
    const reply = await client.chat.completions.create({
      model: 'gemini-3.8-flash',
      web_search_options: options,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(reply.choices[0]?.message.annotations).toBeUndefined();
    expect(onlyGenerateBody(stack.fake.requests)).toMatchObject({ tools: [{ googleSearch: {} }] });
    expect(onlyGenerateBody(stack.fake.requests).toolConfig).toBeUndefined();
  });

  it('combines search with function tools on Gemini 3, the way Gemini requires, and cites past the search parts it shows', async () => {
    const reply = await client.chat.completions.create({
      model: 'gemini-3.8-flash',
      web_search_options: {},
      tools: [weatherTool],
      messages: [{ role: 'user', content: QUESTION }],
    });
    // Gemini's toolCall / toolResponse parts (the search it ran) are not text: the content is the answer alone.
    expect(reply.choices[0]?.message.content).toBe(ANSWER);
    const annotations = (reply.choices[0]?.message.annotations ?? []) as Annotation[];
    expect(annotations.map((a) => slice(ANSWER, a.url_citation.start_index, a.url_citation.end_index))).toEqual([
      'Wetter',
      QUESTION,
      QUESTION,
    ]);
    const stream = await client.chat.completions.create({
      model: 'gemini-3.8-flash',
      web_search_options: {},
      tools: [weatherTool],
      stream: true,
      messages: [{ role: 'user', content: QUESTION }],
    });
    let streamed = '';
    let cited: Annotation[] = [];
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        streamed += choice.delta.content ?? '';
        cited = (choice.delta as { annotations?: Annotation[] }).annotations ?? cited;
      }
    }
    expect(streamed).toBe(ANSWER);
    expect(cited.map((a) => slice(ANSWER, a.url_citation.start_index, a.url_citation.end_index))).toEqual([
      'Wetter',
      QUESTION,
      QUESTION,
    ]);
    stack.fake.reset();
    await client.chat.completions.create({
      model: 'gemini-3.8-flash',
      web_search_options: {},
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'hi' }],
    });
    const body = onlyGenerateBody(stack.fake.requests);
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        ],
      },
      { googleSearch: {} },
    ]);
    expect(body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'AUTO' },
      includeServerSideToolInvocations: true,
    });
  });

  it('refuses search with function tools on a model that cannot combine them, before any upstream call', async () => {
    const error = await client.chat.completions
      .create({
        model: 'gemini-2.5-flash-lite',
        web_search_options: {},
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ param: 'web_search_options' });
    expect(stack.fake.requests).toHaveLength(0);
  });
});

describe('Responses API web_search', () => {
  it('cites the same stretches in characters of the output text, through the shared citations', async () => {
    const response = await client.responses.create({
      model: 'gemini-3.8-flash',
      input: QUESTION,
      tools: [{ type: 'web_search' }],
    });
    expect(onlyGenerateBody(stack.fake.requests).tools).toEqual([{ googleSearch: {} }]);
    const message = response.output.find((item) => item.type === 'message');
    const text = message?.type === 'message' ? message.content[0] : undefined;
    expect(text?.type === 'output_text' ? text.text : undefined).toBe(ANSWER);
    const annotations = text?.type === 'output_text' ? text.annotations : [];
    expect(
      annotations.map((a) => (a.type === 'url_citation' ? slice(ANSWER, a.start_index, a.end_index) : a.type)),
    ).toEqual(['Wetter', QUESTION, QUESTION]);
    // The searches Gemini ran, as OpenAI's web_search_call item (after the message: Gemini reports them last).
    expect(response.output.map((item) => item.type)).toEqual(['message', 'web_search_call']);
    expect(response.output[1]).toMatchObject({
      type: 'web_search_call',
      status: 'completed',
      action: { type: 'search', query: QUESTION, queries: [QUESTION] },
    });
    const events: string[] = [];
    const stream = client.responses.stream({
      model: 'gemini-3.8-flash',
      input: QUESTION,
      tools: [{ type: 'web_search' }],
    });
    for await (const event of stream) events.push(event.type);
    expect(events.filter((type) => type.startsWith('response.web_search_call.'))).toEqual([
      'response.web_search_call.in_progress',
      'response.web_search_call.searching',
      'response.web_search_call.completed',
    ]);
    expect((await stream.finalResponse()).output.map((item) => item.type)).toEqual(['message', 'web_search_call']);
  });
});

describe('image models in chat', () => {
  const markdown = `![image](data:image/png;base64,${fakePngBase64()})`;

  it('asks an image model for text and images and shows the image as Markdown in the content', async () => {
    const reply = await client.chat.completions.create({
      model: 'gemini-3.1-flash-image',
      messages: [{ role: 'user', content: 'a red fox' }],
    });
    expect(onlyGenerateBody(stack.fake.requests).generationConfig).toEqual({ responseModalities: ['TEXT', 'IMAGE'] });
    expect(reply.choices[0]?.message.content).toBe(`Echo: a red fox${markdown}`);
  });

  it('streams the image as a content delta', async () => {
    const stream = await client.chat.completions.create({
      model: 'gemini-3-pro-image',
      stream: true,
      messages: [{ role: 'user', content: 'a red fox' }],
    });
    const deltas: string[] = [];
    for await (const chunk of stream)
      for (const choice of chunk.choices) if (choice.delta.content) deltas.push(choice.delta.content);
    expect(deltas.at(-1)).toBe(markdown);
  });

  it('turns its own Markdown images in assistant history back into image parts, for follow-up edits', async () => {
    await client.chat.completions.create({
      model: 'gemini-3.1-flash-image',
      messages: [
        { role: 'user', content: 'a red fox' },
        { role: 'assistant', content: `Echo: a red fox${markdown}` },
        { role: 'user', content: 'now make it blue' },
      ],
    });
    const model = onlyGenerateBody(stack.fake.requests).contents[1];
    expect(model).toEqual({
      role: 'model',
      parts: [
        { text: 'Echo: a red fox' },
        {
          inlineData: { mimeType: 'image/png', data: fakePngBase64() },
          thoughtSignature: 'skip_thought_signature_validator',
        },
      ],
    });
  });

  it('takes OpenRouter-style modalities, and refuses image output from a text model', async () => {
    await client.chat.completions.create(
      withExtra(
        { model: 'gemini-3.1-flash-image', messages: [{ role: 'user' as const, content: 'x' }] },
        { modalities: ['image'] },
      ),
    );
    expect(onlyGenerateBody(stack.fake.requests).generationConfig).toEqual({ responseModalities: ['IMAGE'] });
    const error = await client.chat.completions
      .create(
        withExtra(
          { model: 'gemini-3.8-flash', messages: [{ role: 'user' as const, content: 'x' }] },
          { modalities: ['text', 'image'] },
        ),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, param: 'modalities' });
  });
});
