import { describe, expect, it } from 'vitest';
import { collectMediaUrls } from '../../../src/anthropic/collect-media-urls';
import { gatewayWithStub, jsonReply } from '../support/stub-upstream';

const PNG_BYTES = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);
const answer = {
  candidates: [{ content: { parts: [{ text: 'A pixel.' }], role: 'model' }, finishReason: 'STOP' }],
  usageMetadata: { promptTokenCount: 260, candidatesTokenCount: 2 },
};

const post = (body: unknown) =>
  new Request('https://gw.test/v1/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k1', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });

describe('image and document url sources', () => {
  it('collects each URL once with the field it came from, tool results included', () => {
    expect(
      collectMediaUrls([
        { role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://a.test/1.png' } }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't',
              content: [{ type: 'document', source: { type: 'url', url: 'https://a.test/2.pdf' } }],
            },
            { type: 'image', source: { type: 'url', url: 'https://a.test/1.png' } },
          ],
        },
      ]),
    ).toEqual([
      { url: 'https://a.test/1.png', param: 'messages[0].content[0].source.url' },
      { url: 'https://a.test/2.pdf', param: 'messages[2].content[0].content[0].source.url' },
    ]);
  });

  it('downloads a url image and sends it inline, with the key only upstream', async () => {
    const { handler, calls } = gatewayWithStub({
      replies: [new Response(PNG_BYTES, { headers: { 'content-type': 'image/png' } }), jsonReply(answer)],
    });
    const response = await handler(
      post({
        model: 'claude-sonnet-4-6',
        max_tokens: 50,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'url', url: 'https://images.example.com/p.png' } }],
          },
        ],
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      content: [{ type: 'text', text: 'A pixel.' }],
      usage: { input_tokens: 260, output_tokens: 2 },
    });
    expect(calls.map((call) => call.url)).toEqual([
      'https://images.example.com/p.png',
      'https://upstream.test/v1beta/models/gemini-flash-latest:generateContent',
    ]);
    expect(calls[0]?.headers.get('x-api-key')).toBeNull();
    expect(JSON.parse(calls[1]?.body ?? '{}').contents[0].parts[0]).toEqual({
      inlineData: { mimeType: 'image/png', data: expect.stringMatching(/^iVBOR/) },
    });
  });

  it('refuses a url on a private host in Anthropic’s shape, naming the field', async () => {
    const { handler, calls } = gatewayWithStub();
    const response = await handler(
      post({
        model: 'claude-sonnet-4-6',
        max_tokens: 50,
        messages: [
          { role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://127.0.0.1/p.png' } }] },
        ],
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining("'messages[0].content[0].source.url'") },
    });
    expect(calls).toHaveLength(0);
  });
});
