import { describe, expect, it } from 'vitest';
import { isValidBase64, normalizeBase64 } from '../../../src/media/normalize-base64';

describe('isValidBase64', () => {
  it.each([
    ['', true],
    ['AAAA', true],
    ['AA', true],
    ['AAA', true],
    ['AA==', true],
    ['AAA=', true],
    ['Zm9vYmFy', true],
    ['-_8', true],
    ['-_8=', true],
    ['skip_thought_signature_validator', true],
    ['A', false],
    ['AAAAA', false],
    ['A===', false],
    ['====', false],
    ['=', false],
    ['AA=', false],
    ['AB=C', false],
    ['QQ==QQ==', false],
    ['ab+-', false],
    ['!!!!', false],
    ['abc%', false],
    [' AAA', false],
    ['éééé', false],
  ])('%j → %s', (text, expected) => {
    expect(isValidBase64(text)).toBe(expected);
  });
});

describe('normalizeBase64', () => {
  it.each([
    ['AAAA', 'AAAA'],
    ['YQ', 'YQ'],
    ['YQ==', 'YQ=='],
    ['UklG\r\nRg==\n', 'UklGRg=='],
    [' A A ', 'AA'],
    ['-_8', '+/8'],
    ['Eu8BCuwB Ab4-9vs_QQ==', 'Eu8BCuwBAb4+9vs/QQ=='],
    ['', ''],
  ])('%j → %j', (text, expected) => {
    expect(normalizeBase64(text)).toBe(expected);
  });

  it.each([['A'], ['AAAAA'], ['A A A A A'], ['QQ='], ['ab+-'], ['%%%%'], ['\u00a0AAAA'], ['QQ==QQ==']])(
    '%j is not base64',
    (text) => {
      expect(normalizeBase64(text)).toBeUndefined();
    },
  );

  // A guard against quadratic or exponential matching, not a benchmark: a linear scan takes well under a second.
  it('checks a multi-megabyte payload in one linear pass', () => {
    const valid = 'QUJD'.repeat(4 * 1024 * 1024);
    const started = performance.now();
    expect(normalizeBase64(valid)).toBe(valid);
    expect(normalizeBase64(`${valid}!`)).toBeUndefined();
    expect(normalizeBase64(`${valid}A`)).toBeUndefined();
    expect(normalizeBase64(`${valid}\n-`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
