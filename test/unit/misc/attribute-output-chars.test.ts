import { describe, expect, it } from 'vitest';
import { attributeOutputChars } from '../../bench/attribute-output-chars';

// The bundle benchmark's per-part sizes rest on this reading of a source map's mappings.
describe('attributeOutputChars', () => {
  it('gives each character the source of the segment it falls in, up to the next segment', () => {
    // line 0: column 0 → source 0, column 2 → source 1; line 1: column 0 → source 1 (unchanged), column 1 → none
    expect([...attributeOutputChars('abcd\nef', 'AAAA,ECAA;AAAA,C')]).toEqual([0, 0, 1, 1, 1, 1, -1]);
  });

  it('reads negative and multi-digit deltas, and leaves lines without mappings unowned', () => {
    // 'ADAA': source 1 → 0; 'gBCAA': column +16, source +1
    const code = `${'x'.repeat(20)}\n\nyy`;
    const owners = attributeOutputChars(code, 'ACAA;;ADAA,gBCAA');
    expect(owners.slice(0, 21).every((owner) => owner === 1)).toBe(true);
    expect(owners[21]).toBe(-1);
    expect([...owners.slice(22)]).toEqual([0, 0]);
  });
});
