import { describe, expect, it } from 'vitest';
import packageJson from '../../../package.json';
import { NAME, VERSION } from '../../../src/version';

describe('version', () => {
  it('matches package.json, which the edge bundle cannot read at run time', () => {
    expect(VERSION).toBe(packageJson.version);
    expect(NAME).toBe(packageJson.name);
  });
});
