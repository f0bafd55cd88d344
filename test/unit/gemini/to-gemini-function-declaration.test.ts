import { describe, expect, it } from 'vitest';
import { createSchemaBudget } from '../../../src/gemini/create-schema-budget';
import { toGeminiFunctionDeclaration } from '../../../src/gemini/to-gemini-function-declaration';

const budget = () => createSchemaBudget(0, 4_500_000);

describe('toGeminiFunctionDeclaration', () => {
  it('converts the parameters and keeps a description', () => {
    const tool = {
      name: 'read',
      description: 'Reads a file.',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    };
    expect(toGeminiFunctionDeclaration(tool, 'tools[0].input_schema', budget())).toEqual({
      name: 'read',
      description: 'Reads a file.',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    });
  });

  it('leaves out an object schema without properties (Gemini refuses it; absent means no arguments)', () => {
    expect(
      toGeminiFunctionDeclaration(
        { name: 'now', description: null, parameters: { type: 'object', properties: {} } },
        'p',
        budget(),
      ),
    ).toEqual({ name: 'now' });
    expect(toGeminiFunctionDeclaration({ name: 'now' }, 'p', budget())).toEqual({ name: 'now' });
  });

  it("names the caller's field in a schema error", () => {
    expect(() =>
      toGeminiFunctionDeclaration(
        { name: 'f', parameters: { type: 'constructor' } },
        'tools[3].input_schema',
        budget(),
      ),
    ).toThrow(expect.objectContaining({ status: 400, param: expect.stringMatching(/^tools\[3\]\.input_schema/) }));
  });
});
