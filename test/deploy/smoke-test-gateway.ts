import assert from 'node:assert/strict';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import type { FakeGemini } from '../fake-gemini';
import type { Checks } from './checks';

const MODEL = 'gemini-3.8-flash';

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
} as const;

/** The official clients against a running gateway (`url`) whose upstream is `fake`. */
export async function smokeTestGateway(url: string, fake: FakeGemini, checks: Checks): Promise<void> {
  const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k1,k2', maxRetries: 0, timeout: 10_000 });
  const genai = new GoogleGenAI({ apiKey: 'k1', httpOptions: { baseUrl: url, timeout: 10_000 } });

  await checks.run('GET / answers the status without a key', async () => {
    const response = await fetch(url);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status?: string };
    assert.equal(body.status, 'ok');
  });

  await checks.run('openai: chat completion', async () => {
    fake.reset();
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'hello from the built function' }],
    });
    assert.equal(completion.choices[0]?.message.content, 'Echo: hello from the built function');
    assert.equal(fake.requests.at(-1)?.keyIn, 'header');
  });

  await checks.run('openai: chat completion stream yields deltas', async () => {
    fake.reset();
    const stream = await openai.chat.completions.create({
      model: MODEL,
      stream: true,
      messages: [{ role: 'user', content: 'one two three four' }],
    });
    const deltas: string[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content;
      if (delta) deltas.push(delta);
    }
    assert.ok(deltas.length > 1, `expected several deltas, got ${deltas.length}`);
    assert.equal(deltas.join(''), 'Echo: one two three four');
  });

  await checks.run('openai: tool call round trip', async () => {
    fake.reset();
    fake.script({
      reply: {
        candidates: [
          {
            content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
            finishReason: 'STOP',
          },
        ],
      },
    });
    const question = { role: 'user', content: 'Weather in Paris?' } as const;
    const first = await openai.chat.completions.create({ model: MODEL, messages: [question], tools: [WEATHER_TOOL] });
    const choice = first.choices[0];
    assert.equal(choice?.finish_reason, 'tool_calls');
    const call = choice?.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function', 'no function tool call in the answer');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });

    const second = await openai.chat.completions.create({
      model: MODEL,
      tools: [WEATHER_TOOL],
      messages: [
        question,
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"celsius":21}' },
      ],
    });
    assert.equal(typeof second.choices[0]?.message.content, 'string');
    const sent = JSON.stringify(fake.requests.at(-1)?.body ?? {});
    assert.match(sent, /"functionResponse"/, 'the tool result did not reach Gemini as a functionResponse');
  });

  await checks.run('@google/genai: generateContent', async () => {
    fake.reset();
    const result = await genai.models.generateContent({ model: MODEL, contents: 'native hello' });
    assert.equal(result.text, 'Echo: native hello');
  });

  await checks.run('@google/genai: generateContentStream', async () => {
    fake.reset();
    const stream = await genai.models.generateContentStream({ model: MODEL, contents: 'one two three four' });
    const texts: string[] = [];
    for await (const chunk of stream) texts.push(chunk.text ?? '');
    assert.ok(texts.length > 1, `expected several chunks, got ${texts.length}`);
    assert.equal(texts.join(''), 'Echo: one two three four');
  });
}
