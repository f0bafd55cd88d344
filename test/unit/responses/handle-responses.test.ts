import { describe, expect, it } from 'vitest';
import { gatewayWithStub, jsonReply, type StubCall } from '../support/stub-upstream';

/** The handler in process with a scripted upstream: media URLs, and what a streamed custom tool call sends. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const answer = (parts: unknown[]) => ({
  candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1 },
});

function post(handler: (request: Request) => Promise<Response>, body: unknown): Promise<Response> {
  return handler(
    new Request('https://gw.test/v1/responses', {
      method: 'POST',
      headers: { authorization: 'Bearer k1', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

describe('handleResponses', () => {
  it('downloads https images of messages and tool outputs through the shared media fetch and inlines them', async () => {
    const { handler, calls } = gatewayWithStub({
      fallback: (call: StubCall) =>
        call.url.startsWith('https://upstream.test')
          ? jsonReply(answer([{ text: 'a cat' }]))
          : new Response(PNG, { headers: { 'content-type': 'image/png' } }),
    });
    const response = await post(handler, {
      model: 'gemini-flash-latest',
      input: [
        { role: 'user', content: [{ type: 'input_image', image_url: 'https://images.example/cat.png' }] },
        { type: 'function_call', call_id: 'c1', name: 'view_image', arguments: '{}' },
        {
          type: 'function_call_output',
          call_id: 'c1',
          output: [{ type: 'input_image', image_url: 'https://images.example/dog.png' }],
        },
      ],
    });
    expect(response.status).toBe(200);
    expect(calls.map((call) => call.url)).toEqual([
      'https://images.example/cat.png',
      'https://images.example/dog.png',
      expect.stringContaining(':generateContent'),
    ]);
    const upstream = JSON.parse(calls[2]?.body ?? '') as { contents: { parts: Record<string, unknown>[] }[] };
    const inline = { inlineData: { mimeType: 'image/png', data: btoa(String.fromCharCode(...PNG)) } };
    expect(upstream.contents[0]?.parts).toEqual([inline]);
    expect(upstream.contents[2]?.parts).toEqual([
      { functionResponse: { name: 'view_image', response: { result: '' } } },
      inline,
    ]);
  });

  it('refuses media URLs, naming the field, when the gateway does not fetch them', async () => {
    const { handler, calls } = gatewayWithStub({ env: { FETCH_MEDIA_URLS: 'false' } });
    const response = await post(handler, {
      model: 'gemini-flash-latest',
      input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'https://images.example/cat.png' }] }],
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { param: 'input[0].content[0].image_url', code: 'invalid_media_url' },
    });
    expect(calls).toHaveLength(0);
  });

  it('streams a custom tool call as custom_tool_call_input events', async () => {
    const chunk = answer([
      { functionCall: { name: 'apply_patch', args: { input: '*** Begin Patch\n*** End Patch' } } },
    ]);
    const { handler } = gatewayWithStub({
      fallback: () =>
        new Response(`data: ${JSON.stringify(chunk)}\r\n\r\n`, { headers: { 'content-type': 'text/event-stream' } }),
    });
    const response = await post(handler, {
      model: 'gemini-flash-latest',
      input: 'patch',
      stream: true,
      tools: [{ type: 'custom', name: 'apply_patch' }],
    });
    const events = (await response.text())
      .split('\n\n')
      .filter((block) => block.startsWith('event: '))
      .map(
        (block) =>
          JSON.parse(block.slice(block.indexOf('data: ') + 6)) as {
            type: string;
            item?: Record<string, unknown>;
            delta?: string;
            input?: string;
          },
      );
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[2]?.item).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch', input: '' });
    expect(events[4]?.input).toBe('*** Begin Patch\n*** End Patch');
    expect(events[5]?.item).toMatchObject({
      type: 'custom_tool_call',
      input: '*** Begin Patch\n*** End Patch',
      status: 'completed',
    });
  });

  it('echoes each request’s own tools, remembered ones and changed ones alike, whole or streamed', async () => {
    const { handler } = gatewayWithStub({
      fallback: (call: StubCall) =>
        call.url.includes('streamGenerateContent')
          ? new Response(`data: ${JSON.stringify(answer([{ text: 'ok' }]))}\r\n\r\n`, {
              headers: { 'content-type': 'text/event-stream' },
            })
          : jsonReply(answer([{ text: 'ok' }])),
    });
    const tool = (description: string) => ({
      type: 'function',
      name: 'read_file',
      description,
      parameters: { type: 'object', properties: { path: { type: 'string' } } },
    });
    const echoed = async (tools: unknown[], stream: boolean) => {
      const response = await post(handler, { model: 'gemini-flash-latest', input: 'hi', tools, stream });
      const text = await response.text();
      const last = stream
        ? JSON.parse(text.trim().split('\n').at(-1)?.slice('data: '.length) ?? '').response
        : JSON.parse(text);
      return (last as { tools: unknown }).tools;
    };
    const turns = [
      [tool('Reads a file.')],
      [tool('Reads a file.')],
      [tool('Reads a file!')],
      [],
      [tool('Reads a file.')],
    ];
    for (const stream of [false, true]) {
      for (const tools of turns) expect(await echoed(tools, stream)).toEqual(tools);
    }
  });
});
