import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMessagesRequest } from '../../../src/anthropic/parse-messages-request';
import { toGeminiRequest as toGeminiFromMessages } from '../../../src/anthropic/to-gemini-request';
import { parseChatRequest } from '../../../src/openai/chat/parse-chat-request';
import { toGeminiRequest as toGeminiFromChat } from '../../../src/openai/chat/to-gemini-request';
import { parseResponsesRequest } from '../../../src/responses/parse-responses-request';
import { toGeminiRequest as toGeminiFromResponses } from '../../../src/responses/to-gemini-request';
import { asChatRequest, surfaceOf } from '../../bench/as-chat-request';

/** The bench's chat twin of a recorded request (test/bench/as-chat-request.ts) is the same conversation. */
describe('asChatRequest', () => {
  it.each([
    'claude-code-first-request',
    'claude-code-tool-result-request',
    'codex-first-request',
    'codex-tool-turn-request',
    'codex-own-model-request',
  ])('%s becomes a chat request asking Gemini the same: text, turns and function declarations', (name) => {
    const fixture = JSON.parse(
      readFileSync(new URL(`../../agents/fixtures/${name}.json`, import.meta.url), 'utf8'),
    ) as {
      url?: string;
      body: unknown;
    };
    const body = (typeof fixture.body === 'string' ? JSON.parse(fixture.body) : fixture.body) as Record<
      string,
      unknown
    >;
    const surface = name.startsWith('codex') ? 'responses' : 'anthropic';
    if (fixture.url !== undefined) expect(surfaceOf(fixture.url)).toBe(surface);
    const options = { model: 'gemini-3.8-flash', media: new Map() };
    const own =
      surface === 'anthropic'
        ? toGeminiFromMessages(parseMessagesRequest(body), options)
        : toGeminiFromResponses(parseResponsesRequest(body), options).body;
    const twin = toGeminiFromChat(parseChatRequest(asChatRequest(surface, body)), options);

    const declarations = (request: typeof own) =>
      (request.tools ?? []).flatMap((tool) =>
        'functionDeclarations' in tool ? (tool.functionDeclarations ?? []) : [],
      );
    expect(declarations(twin).map((declaration) => declaration.parameters)).toEqual(
      declarations(own).map((declaration) => declaration.parameters),
    );
    const texts = (request: typeof own) =>
      [request.systemInstruction, ...request.contents]
        .flatMap((content) => content?.parts ?? [])
        .flatMap((part) => ('text' in part && typeof part.text === 'string' ? [part.text] : []))
        .join('')
        .replace(/\s/g, '');
    expect(texts(twin)).toBe(texts(own));
    expect(twin.contents.map((content) => content.role)).toEqual(own.contents.map((content) => content.role));
  });
});
