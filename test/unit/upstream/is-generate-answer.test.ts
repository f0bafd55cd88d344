import { describe, expect, it } from 'vitest';
import { isGenerateAnswer } from '../../../src/upstream/is-generate-answer';

const bytes = (body: string) => new TextEncoder().encode(body);

describe('isGenerateAnswer', () => {
  it.each([
    ['an answer', '{"candidates":[{"content":{"parts":[{"text":"hi"}]}}]}'],
    ['a blocked prompt', '{\n  "promptFeedback": {"blockReason": "SAFETY"}\n}\n'],
    [
      'an answer with the field late and padding around',
      '  \r\n{"usageMetadata":{},"modelVersion":"x","candidates":[]}\t\n',
    ],
    ['non-ASCII text', '{"candidates":[{"content":{"parts":[{"text":"你好，世界"}]}}]}'],
  ])('accepts %s', (_name, body) => {
    expect(isGenerateAnswer(bytes(body))).toBe(true);
  });

  it.each([
    ['an empty body', ''],
    ['blanks only', ' \n '],
    ['an HTML page', '<html><body>"candidates"</body></html>'],
    ['JSON without either field', '{"usageMetadata":{"promptTokenCount":1}}'],
    ['a cut-off answer', '{"candidates":[{"content":'],
    ['a field name only as a prefix', '{"candidate":1,"promptFeedbac":2}'],
    ['a lone brace', '{'],
  ])('refuses %s', (_name, body) => {
    expect(isGenerateAnswer(bytes(body))).toBe(false);
  });
});
