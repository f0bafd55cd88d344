import { describe, expect, it } from 'vitest';
import { checkGenerateResponse } from '../../../src/upstream/check-generate-response';

const answer = (body: string) => new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'x-test': 'kept' } });

describe('checkGenerateResponse', () => {
  it.each([
    ['an answer', '{"candidates":[{"content":{"parts":[{"text":"hi"}]}}]}'],
    ['a blocked prompt', '{\n  "promptFeedback": {"blockReason": "SAFETY"}\n}\n'],
    ['an answer with the field late and padding around', '  \r\n{"usageMetadata":{},"modelVersion":"x","candidates":[]}\t\n'],
    ['non-ASCII text', '{"candidates":[{"content":{"parts":[{"text":"你好，世界"}]}}]}'],
  ])('accepts %s and hands on the same bytes and headers', async (_name, body) => {
    const accepted = await checkGenerateResponse(answer(body));
    expect(accepted).not.toBeNull();
    expect(await accepted?.text()).toBe(body);
    expect(accepted?.headers.get('x-test')).toBe('kept');
    expect(accepted?.status).toBe(200);
  });

  it.each([
    ['an empty body', ''],
    ['blanks only', ' \n '],
    ['an HTML page', '<html><body>"candidates"</body></html>'],
    ['JSON without either field', '{"usageMetadata":{"promptTokenCount":1}}'],
    ['a cut-off answer', '{"candidates":[{"content":'],
    ['a field name only as a prefix', '{"candidate":1,"promptFeedbac":2}'],
    ['a lone brace', '{'],
  ])('refuses %s', async (_name, body) => {
    expect(await checkGenerateResponse(answer(body))).toBeNull();
  });
});
