import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { jsonPlaces } from './json-places';

/**
 * What a hand-read fast path is tested with: it must give what the schema it stands in for gives (value or
 * thrown error, key order included) on every request, the recorded agents' requests mutated included.
 */

export interface Outcome {
  value?: unknown;
  error?: unknown;
}

/** What `run` does: its result, or the error it throws. */
export function outcomeOf(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    return { error };
  }
}

/** A recorded agent request's body as JSON text (test/agents/fixtures/NAME.json). */
export function recordedBody(name: string): string {
  const url = new URL(`../../agents/fixtures/${name}.json`, import.meta.url);
  const fixture = JSON.parse(readFileSync(url, 'utf8')) as { body: unknown };
  return JSON.stringify(typeof fixture.body === 'string' ? JSON.parse(fixture.body) : fixture.body);
}

/** One mutation at a place picked by `seed`: replaced (kind 0), deleted (1), or a key added beside it (2). */
export function mutateAt(json: unknown, seed: number, kind: number, value: unknown, key: string): void {
  const places = jsonPlaces(json);
  const place = places[seed % places.length];
  if (!place) return;
  const [container, at] = place;
  if (kind === 0) (container as Record<string | number, unknown>)[at] = value;
  else if (kind === 1) {
    if (Array.isArray(container)) container.splice(at as number, 1);
    else delete container[at as string];
  } else if (!Array.isArray(container)) container[key] = value;
  else container.splice(at as number, 0, value);
}

/**
 * `expectSame` (which asserts and returns whether the fast path took the request) on the recorded requests
 * mutated one to three times; enough of them must stay valid and read by hand for the run to mean something.
 */
export function checkMutatedRequests(options: {
  recorded: readonly string[];
  replacement: fc.Arbitrary<unknown>;
  keys: readonly string[];
  expectSame: (json: unknown) => boolean;
}): void {
  const { recorded, replacement, keys, expectSame } = options;
  let readByHand = 0;
  fc.assert(
    fc.property(
      fc.nat(recorded.length - 1),
      fc.array(fc.record({ seed: fc.nat(), kind: fc.nat(2), value: replacement, key: fc.constantFrom(...keys) }), {
        minLength: 1,
        maxLength: 3,
      }),
      (which, mutations) => {
        const json: unknown = JSON.parse(recorded[which] as string);
        for (const { seed, kind, value, key } of mutations) mutateAt(json, seed, kind, structuredClone(value), key);
        if (expectSame(json)) readByHand++;
      },
    ),
    { numRuns: 1000 },
  );
  expect(readByHand).toBeGreaterThan(100);
}
