import { describe, expect, it } from 'vitest';
import { DUMMY_THOUGHT_SIGNATURE, ensureThoughtSignature } from '../../../src/gemini/ensure-thought-signature';
import type { GeminiPart } from '../../../src/gemini/gemini-types';

const call = (name: string, thoughtSignature?: string): GeminiPart =>
  thoughtSignature ? { functionCall: { name, args: {} }, thoughtSignature } : { functionCall: { name, args: {} } };

describe('ensureThoughtSignature', () => {
  it('gives the first call the dummy when no call kept its signature', () => {
    expect(ensureThoughtSignature([{ text: 'hi' }, call('a'), call('b')], true)).toEqual([
      { text: 'hi' },
      call('a', DUMMY_THOUGHT_SIGNATURE),
      call('b'),
    ]);
  });

  it('never changes the parts it is given', () => {
    const parts = [call('a')];
    ensureThoughtSignature(parts, true);
    expect(parts).toEqual([call('a')]);
  });

  it('leaves a turn alone when a call has its signature, when none is required, and when it has no calls', () => {
    expect(ensureThoughtSignature([call('a'), call('b', 'c2ln')], true)).toEqual([call('a'), call('b', 'c2ln')]);
    expect(ensureThoughtSignature([call('a')], false)).toEqual([call('a')]);
    expect(ensureThoughtSignature([{ text: 'hi' }], true)).toEqual([{ text: 'hi' }]);
  });
});
