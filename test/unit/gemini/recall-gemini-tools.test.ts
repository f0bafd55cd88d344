import { describe, expect, it } from 'vitest';
import type { SchemaBudget } from '../../../src/gemini/create-schema-budget';
import { recallGeminiTools } from '../../../src/gemini/recall-gemini-tools';
import { toGeminiFunctionDeclaration } from '../../../src/gemini/to-gemini-function-declaration';
import { createContentMemo, rememberJson } from '../../../src/http/content-memo';
import type { ChatTool } from '../../../src/openai/chat/chat-request-schema';
import { toGeminiTools } from '../../../src/openai/chat/to-gemini-tools';
import { generateContentRequest } from '../../../src/upstream/generate-content-request';

const budget = (limit: number): SchemaBudget => ({ limit, left: limit });
/** An upstream body as text. */
const text = (body: string | Uint8Array | null | undefined) =>
  typeof body === 'string' ? body : new TextDecoder().decode(body ?? new Uint8Array());
const tool = (name: string): ChatTool => ({
  type: 'function',
  function: {
    name,
    description: 'Reads a file.',
    parameters: { type: 'object', properties: { path: { type: 'string', description: 'x'.repeat(200) } } },
  },
});
/** The chat surface's conversion, counting its runs. */
function counted() {
  const runs = { count: 0 };
  const convert = (tools: ChatTool[]) => (spend: SchemaBudget) => {
    runs.count++;
    return toGeminiTools(tools, undefined, false, spend);
  };
  return { runs, convert };
}

describe('recallGeminiTools', () => {
  it('converts a tool list once and charges every request what the conversion spent', () => {
    const memo = createContentMemo();
    const { runs, convert } = counted();
    const first = budget(1_000_000);
    const converted = recallGeminiTools(memo, 'k', [tool('read')], first, convert([tool('read')]));
    const spent = first.limit - first.left;
    expect(spent).toBeGreaterThan(200);
    const second = budget(1_000_000);
    expect(recallGeminiTools(memo, 'k', [tool('read')], second, convert([tool('read')]))).toBe(converted);
    expect(second.limit - second.left).toBe(spent);
    expect(runs.count).toBe(1);
    recallGeminiTools(memo, 'k', [tool('write')], budget(1_000_000), convert([tool('write')]));
    expect(runs.count).toBe(2);
  });

  it('refuses a request that cannot afford a remembered conversion with the conversion’s own error', () => {
    const memo = createContentMemo();
    const { convert } = counted();
    recallGeminiTools(memo, 'k', [tool('read')], budget(1_000_000), convert([tool('read')]));
    const direct = (() => {
      try {
        toGeminiFunctionDeclaration(tool('read').function, 'tools[0].function.parameters', budget(100));
      } catch (error) {
        return error;
      }
    })();
    expect(direct).toBeInstanceOf(Error);
    expect(() => recallGeminiTools(memo, 'k', [tool('read')], budget(100), convert([tool('read')]))).toThrow(
      (direct as Error).message,
    );
  });

  it('remembers no conversion that throws', () => {
    const memo = createContentMemo();
    let runs = 0;
    const failing = () => {
      runs++;
      throw new Error('bad schema');
    };
    expect(() => recallGeminiTools(memo, 'k', [1], budget(10), failing)).toThrow('bad schema');
    expect(() => recallGeminiTools(memo, 'k', [1], budget(10), failing)).toThrow('bad schema');
    expect(runs).toBe(2);
  });

  it('freezes what it remembers, and the request body splices its JSON: the same JSON value as serialising it', () => {
    const memo = createContentMemo();
    const { convert } = counted();
    const converted = recallGeminiTools(memo, 'k', [tool('read')], budget(1_000_000), convert([tool('read')]));
    const declared = converted.tools?.[0];
    expect(declared && 'functionDeclarations' in declared && Object.isFrozen(declared.functionDeclarations[0])).toBe(
      true,
    );
    const body = {
      contents: [{ role: 'user' as const, parts: [{ text: 'hi' }] }],
      systemInstruction: rememberJson(memo, 'system', { parts: [{ text: 'Be "brief".' }] }),
      ...(converted.tools ? { tools: converted.tools } : {}),
      generationConfig: { temperature: 0.5 },
    };
    const spliced = text(generateContentRequest('gemini-3-flash', body, false, memo).body);
    expect(spliced).not.toBe(JSON.stringify(body)); // the system instruction and tools come last: spliced
    expect(JSON.parse(spliced)).toEqual(JSON.parse(JSON.stringify(body)));
    // Parts the memo did not make are serialised as they are.
    const own = {
      contents: body.contents,
      tools: [{ googleSearch: {} }],
      systemInstruction: { parts: [{ text: 'x' }] },
    };
    expect(text(generateContentRequest('m', own, false, memo).body)).toBe(JSON.stringify(own));
  });

  it('converts every time without a memo', () => {
    const { runs, convert } = counted();
    recallGeminiTools(undefined, 'k', [tool('read')], budget(1_000_000), convert([tool('read')]));
    recallGeminiTools(undefined, 'k', [tool('read')], budget(1_000_000), convert([tool('read')]));
    expect(runs.count).toBe(2);
  });
});
