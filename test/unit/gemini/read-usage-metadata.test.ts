import { describe, expect, it } from 'vitest';
import { readUsageMetadata } from '../../../src/gemini/read-usage-metadata';

const bytes = (text: string) => new TextEncoder().encode(text);
const usage = {
  promptTokenCount: 12,
  candidatesTokenCount: 30,
  thoughtsTokenCount: 7,
  totalTokenCount: 49,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12 }],
};

describe('readUsageMetadata', () => {
  it('reads usage cut between a stream’s last two chunks, a multi-byte character cut too', () => {
    const event = `data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: '你好' }] } }], usageMetadata: usage })}\r\n\r\n`;
    const whole = bytes(event);
    const expected = { promptTokenCount: 12, candidatesTokenCount: 30, thoughtsTokenCount: 7 };
    const cuts = [whole.indexOf(0xe4) + 1, event.indexOf('usageMetadata') + 3, whole.length - 5];
    for (const cut of cuts) expect(readUsageMetadata(whole.subarray(cut), whole.subarray(0, cut))).toEqual(expected);
    expect(readUsageMetadata(whole.subarray(whole.length - 5), bytes('x'.repeat(9000)))).toBeNull();
  });

  it('reads a whole answer’s usage without parsing the answer', () => {
    const answer = {
      candidates: [
        { content: { role: 'model', parts: [{ text: 'a "usageMetadata" {quoted} in text' }] }, finishReason: 'STOP' },
      ],
      usageMetadata: usage,
      modelVersion: 'gemini-3.8-flash',
    };
    expect(readUsageMetadata(bytes(JSON.stringify(answer, null, 2)))).toEqual({
      promptTokenCount: 12,
      candidatesTokenCount: 30,
      thoughtsTokenCount: 7,
    });
  });

  it('takes the last chunk’s (cumulative) usage of a stream, SSE or JSON array', () => {
    const chunk = (n: number) =>
      JSON.stringify({
        candidates: [{ content: { parts: [{ text: 'x'.repeat(5000) }] } }],
        usageMetadata: { promptTokenCount: 12, candidatesTokenCount: n },
      });
    expect(readUsageMetadata(bytes([1, 2, 3].map((n) => `data: ${chunk(n)}\r\n\r\n`).join('')))).toMatchObject({
      candidatesTokenCount: 3,
    });
    expect(readUsageMetadata(bytes(`[${[1, 2].map(chunk).join(',\r\n')}]`))).toMatchObject({ candidatesTokenCount: 2 });
  });

  it.each([
    '',
    '{"candidates": []}',
    '{"usageMetadata": {"promptTokenCount": 3',
    '{"usageMetadata": 5}',
    '{"usageMetadata": {"promptTokenCount": "x"}}',
  ])('finds nothing usable in %j', (text) => {
    const read = readUsageMetadata(bytes(text));
    expect(read === null || (read.promptTokenCount === null && read.candidatesTokenCount === null)).toBe(true);
  });
});
