import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureJson } from '../../../src/gemini/measure-json';

/** `depth` arrays or objects inside each other, built without recursion. */
function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

describe('measureJson', () => {
  it.each([
    [1, 'array', 1],
    [3, 'array', 3],
    [3, 'object', 3],
    [64, 'object', 64],
  ] as const)('takes %d levels of %s within a limit of %d', (depth, kind, limit) => {
    expect(measureJson(nested(depth, kind), limit)).toBeGreaterThan(0);
  });

  it.each([
    [2, 'array', 1],
    [65, 'object', 64],
    [100_000, 'array', 64],
    [100_000, 'object', 64],
  ] as const)('refuses %d levels of %s over a limit of %d, without overflowing the stack', (depth, kind, limit) => {
    expect(measureJson(nested(depth, kind), limit)).toBeUndefined();
  });

  it('counts scalars without a depth', () => {
    expect(measureJson('x', 0)).toBeGreaterThan(0);
    expect(measureJson([], 0)).toBeUndefined();
  });

  it('is at least the length of the JSON, for values without characters JSON escapes', () => {
    const safeText = fc.string({ unit: fc.constantFrom(...'abcxyz _-:/.0123456789'), maxLength: 20 });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        safeText,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(safeText, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(measureJson(value, 1_000)).toBeGreaterThanOrEqual(JSON.stringify(value).length);
      }),
    );
  });
});
