import { describe, expect, it } from 'vitest';
import { gatewayWithStub, jsonReply } from '../support/stub-upstream';

/**
 * Each surface converts a tool list once per gateway instance (recall-gemini-tools.ts) and remembers the system
 * instruction's JSON (content-memo.ts): what reaches Gemini must be what a fresh instance would send for the
 * same request, for tools and system prompts met before, changed or new.
 */
const answer = {
  candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1 },
};
const schema = (field: string) => ({
  type: 'object',
  properties: { [field]: { type: 'string', description: 'Where.' }, depth: { type: 'integer', minimum: 0 } },
  required: [field],
});
const surfaces = {
  chat: {
    path: '/v1/chat/completions',
    body: (field: string, system: string) => ({
      model: 'gemini-flash-latest',
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: 'hi' },
      ],
      tools: [{ type: 'function', function: { name: 'read', description: 'Reads.', parameters: schema(field) } }],
    }),
  },
  anthropic: {
    path: '/v1/messages',
    body: (field: string, system: string) => ({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system,
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ name: 'read', description: 'Reads.', input_schema: schema(field) }],
    }),
  },
  responses: {
    path: '/v1/responses',
    body: (field: string, system: string) => ({
      model: 'gemini-flash-latest',
      instructions: system,
      input: 'hi',
      tools: [{ type: 'function', name: 'read', description: 'Reads.', parameters: schema(field) }],
    }),
  },
} as const;

function post(handler: (request: Request) => Promise<Response>, path: string, body: unknown) {
  return handler(
    new Request(`https://gw.test${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer k1', 'x-api-key': 'k1', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

describe.each(Object.entries(surfaces))('remembered tools and system prompt on %s', (_name, surface) => {
  it('sends Gemini what a fresh instance sends, for parts met before, changed or new', async () => {
    const { handler, calls } = gatewayWithStub({ fallback: () => jsonReply(answer) });
    const turns = [
      ['path', 'Be brief.'],
      ['path', 'Be brief.'],
      ['file', 'Be brief.'],
      ['path', 'Be thorough.'],
      ['folder', 'Be brief.'],
      ['folder', 'Be thorough.'],
    ] as const;
    for (const [field, system] of turns) {
      const response = await post(handler, surface.path, surface.body(field, system));
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      const fresh = gatewayWithStub({ fallback: () => jsonReply(answer) });
      await (await post(fresh.handler, surface.path, surface.body(field, system))).arrayBuffer();
      expect(JSON.parse(calls.at(-1)?.body ?? '')).toEqual(JSON.parse(fresh.calls[0]?.body ?? ''));
      expect(calls.at(-1)?.body).toContain(`"${field}"`);
      expect(calls.at(-1)?.body).toContain(system);
    }
  });
});

/** A conversation of alternating user and assistant texts, as each surface's request. */
const conversations = {
  chat: (turns: string[]) => ({
    path: '/v1/chat/completions',
    body: {
      model: 'gemini-flash-latest',
      messages: turns.map((text, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: text })),
    },
  }),
  anthropic: (turns: string[]) => ({
    path: '/v1/messages',
    body: {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: turns.map((text, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: text })),
    },
  }),
  responses: (turns: string[]) => ({
    path: '/v1/responses',
    body: {
      model: 'gemini-flash-latest',
      input: turns.map((text, i) =>
        i % 2 === 0
          ? { role: 'user', content: [{ type: 'input_text', text }] }
          : { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] },
      ),
    },
  }),
} as const;

describe.each(Object.entries(conversations))('remembered conversation turns on %s', (_name, conversation) => {
  it('sends Gemini the same bytes as a fresh instance while a conversation grows, branches and starts over', async () => {
    const { handler, calls } = gatewayWithStub({ fallback: () => jsonReply(answer) });
    const steps = [
      ['q1'],
      ['q1', 'a1', 'q2'],
      ['q1', 'a1', 'q2', 'a2', 'q3'],
      ['q1', 'a1', 'q2 edited'],
      ['q1', 'a1', 'q2', 'a2', 'q3', 'a3', 'q4'],
      ['other'],
      ['q1', 'a1', 'q2 edited', 'b2', 'r3'],
    ];
    for (const turns of steps) {
      const { path, body } = conversation(turns);
      const response = await post(handler, path, body);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      const fresh = gatewayWithStub({ fallback: () => jsonReply(answer) });
      await (await post(fresh.handler, path, body)).arrayBuffer();
      expect(calls.at(-1)?.body).toBe(fresh.calls[0]?.body);
      expect(calls.at(-1)?.body).toContain(`"${turns.at(-1)}"`);
    }
  });
});
