import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContentMemo, rememberJson, sameJson } from '../../../src/http/content-memo';
import { mutateAt, recordedBody } from '../support/fast-path';

/** JSON text with every object's keys sorted: the same for values that differ only in their keys' order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

describe('sameJson', () => {
  it('finds a parsed copy the same, and one with its keys reordered different', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = JSON.parse(JSON.stringify(value)) as unknown;
        expect(sameJson(value, copy, 0)).toBe(true);
        const sorted = JSON.parse(canonical(value)) as unknown;
        expect(sameJson(copy, sorted, 0)).toBe(JSON.stringify(copy) === JSON.stringify(sorted));
      }),
    );
  });

  it('says "same" only of values with the same JSON text (random pairs, and one change to a recorded tool list)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        if (sameJson(a, b, 0)) expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
    );
    const tools = (JSON.parse(recordedBody('codex-first-request')) as { tools: unknown }).tools;
    fc.assert(
      fc.property(fc.nat(), fc.nat(2), fc.jsonValue(), fc.string(), (seed, kind, value, key) => {
        const changed = structuredClone(tools);
        mutateAt(changed, seed, kind, value, key);
        expect(sameJson(tools, changed, 0)).toBe(JSON.stringify(tools) === JSON.stringify(changed));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a __proto__ member against a missing one', JSON.parse('{"__proto__":{}}'), { x: 1 }],
    ['the same members in another order', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['an array against an object', [], {}],
    ['null against an object', null, {}],
    ['a member against an absent one', { a: 1 }, {}],
    ['NaN', Number.NaN, Number.NaN],
  ])('counts %s as different', (_name, a, b) => {
    expect(sameJson(a, b, 0)).toBe(false);
  });

  it('counts nesting deeper than any tool list as different instead of overflowing', () => {
    let deep: unknown = 1;
    let copy: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
      copy = [copy];
    }
    expect(sameJson(deep, copy, 0)).toBe(false);
  });
});

describe('createContentMemo', () => {
  const derived = (calls: string[]) => (input: unknown) => () => {
    calls.push(JSON.stringify(input));
    return JSON.stringify(input);
  };
  const length = (text: string) => text.length;

  it('derives once for the same content, again for other content or another kind', () => {
    const memo = createContentMemo();
    const calls: string[] = [];
    const derive = derived(calls);
    const tools = [{ name: 'a', parameters: { type: 'object' } }];
    expect(memo.recall('k', tools, derive(tools), length)).toBe('[{"name":"a","parameters":{"type":"object"}}]');
    const again = structuredClone(tools);
    expect(memo.recall('k', again, derive(again), length)).toBe('[{"name":"a","parameters":{"type":"object"}}]');
    expect(calls).toHaveLength(1);
    const other = [{ name: 'b' }];
    expect(memo.recall('k', other, derive(other), length)).toBe('[{"name":"b"}]');
    expect(memo.recall('j', tools, derive(tools), length)).toBe('[{"name":"a","parameters":{"type":"object"}}]');
    expect(calls).toHaveLength(3);
  });

  it('keeps the four most recently used contents of a kind', () => {
    const memo = createContentMemo();
    const calls: string[] = [];
    const derive = derived(calls);
    for (const name of ['a', 'b', 'c', 'd']) memo.recall('k', [name], derive([name]), length);
    memo.recall('k', ['a'], derive(['a']), length); // used again: the most recent
    memo.recall('k', ['e'], derive(['e']), length); // pushes out the least recent, 'b'
    expect(calls).toHaveLength(5);
    for (const name of ['a', 'c', 'd', 'e']) memo.recall('k', [name], derive([name]), length);
    expect(calls).toHaveLength(5);
    memo.recall('k', ['b'], derive(['b']), length);
    expect(calls).toHaveLength(6);
  });

  it('keeps nothing heavier than its room, and stays within it', () => {
    const memo = createContentMemo();
    const calls: string[] = [];
    const big = ['x'.repeat(1024 * 1024 + 1)];
    memo.recall('k', big, derived(calls)(big), length);
    memo.recall('k', structuredClone(big), derived(calls)(big), length);
    expect(calls).toHaveLength(2);
    const halves = ['a', 'b', 'c'].map((name) => [name.repeat(400 * 1024)]);
    for (const half of halves) memo.recall(half[0]?.[0] ?? '', half, derived(calls)(half), length);
    // The third 400 K value pushed the oldest out: 800 K fit, 1.2 M do not.
    memo.recall('a', halves[0], derived(calls)(halves[0]), length);
    memo.recall('c', halves[2], derived(calls)(halves[2]), length);
    expect(calls).toHaveLength(6);
  });
});

describe('rememberJson', () => {
  it('hands back the remembered part for the same content: frozen, its JSON recorded', () => {
    const memo = createContentMemo();
    const first = { parts: [{ text: 'Be brief.' }] };
    expect(rememberJson(memo, 'system', first)).toBe(first);
    expect(Object.isFrozen(first.parts[0])).toBe(true);
    expect(memo.jsonOf(first)).toBe(JSON.stringify(first));
    expect(new TextDecoder().decode(memo.bytesOf(first))).toBe(JSON.stringify(first));
    expect(rememberJson(memo, 'system', { parts: [{ text: 'Be brief.' }] })).toBe(first);
    const other = { parts: [{ text: 'Be thorough.' }] };
    expect(rememberJson(memo, 'system', other)).toBe(other);
  });

  it('leaves the part alone without a memo', () => {
    const part = { parts: [{ text: 'Be brief.' }] };
    expect(rememberJson(undefined, 'system', part)).toBe(part);
    expect(Object.isFrozen(part)).toBe(false);
  });
});

/** The pieces arrayBytes gives, joined and decoded. */
function joined(pieces: Uint8Array[]): string {
  return pieces.map((piece) => new TextDecoder().decode(piece)).join('');
}

describe('arrayBytes', () => {
  /** Content-like elements from a small set, so that arrays share prefixes often. */
  const element = fc.oneof(
    fc.constantFrom('user', 'model').map((role) => ({ role, parts: [{ text: 'hi' }] })),
    fc.record({ role: fc.constantFrom('user', 'model'), parts: fc.array(fc.record({ text: fc.string() })) }),
    fc.record({ role: fc.constant('model'), parts: fc.constant([{ functionCall: { name: 'f', args: { a: [1] } } }]) }),
  );

  it('gives exactly JSON.stringify of every array, whatever was remembered before', () => {
    fc.assert(
      fc.property(
        fc.array(element, { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(6), fc.array(element, { maxLength: 3 }), fc.constantFrom('a', 'b')), {
          maxLength: 12,
        }),
        (start, steps) => {
          const memo = createContentMemo();
          let conversation: unknown[] = start;
          for (const [keep, more, kind] of steps) {
            // A conversation continued, cut back (an edited turn) or started over, as a fresh parse each time.
            conversation = [...conversation.slice(0, keep), ...more];
            const items = JSON.parse(JSON.stringify(conversation)) as object[];
            expect(joined(memo.arrayBytes(kind, items))).toBe(JSON.stringify(conversation));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('freezes what it remembers and reuses the remembered elements for a longer conversation', () => {
    const memo = createContentMemo();
    const turn = (text: string) => ({ role: 'user', parts: [{ text }] });
    const first = [turn('a'), turn('b')];
    memo.arrayBytes('contents', first);
    expect(Object.isFrozen(first[1]?.parts[0])).toBe(true);
    const longer = [turn('a'), turn('b'), turn('c')];
    expect(joined(memo.arrayBytes('contents', longer))).toBe(JSON.stringify(longer));
    expect(Object.isFrozen(longer[2]?.parts)).toBe(true);
    expect(Object.isFrozen(longer[0])).toBe(false); // remembered in its place: first[0]
  });

  it('keeps no array heavier than its room, and still answers it exactly', () => {
    const memo = createContentMemo();
    const big = [{ text: 'x'.repeat(2 * 1024 * 1024) }];
    expect(joined(memo.arrayBytes('contents', big))).toBe(JSON.stringify(big));
    const again = [{ text: 'x'.repeat(2 * 1024 * 1024) }];
    expect(joined(memo.arrayBytes('contents', again))).toBe(JSON.stringify(again));
    expect(Object.isFrozen(again[0])).toBe(false);
  });
});
