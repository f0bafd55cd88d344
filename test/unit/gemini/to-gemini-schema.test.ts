import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GatewayError } from '../../../src/errors';
import { toGeminiSchema } from '../../../src/gemini/to-gemini-schema';

const convert = (schema: unknown) => toGeminiSchema(schema, 'response_format.json_schema.schema');

describe('toGeminiSchema', () => {
  it.each([
    ['copies supported keywords', { type: 'string', description: 'd', title: 't', minLength: 1, maxLength: 9, pattern: '^a', default: 'a' }, { type: 'string', title: 't', description: 'd', minLength: 1, maxLength: 9, pattern: '^a', default: 'a' }],
    ['drops $schema, additionalProperties, strict, examples', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { a: { type: 'string', examples: ['x'] } }, additionalProperties: false, strict: true }, { type: 'object', properties: { a: { type: 'string' } } }],
    ['const → enum', { type: 'string', const: 'math' }, { type: 'string', enum: ['math'] }],
    ['type list with null → nullable', { type: ['string', 'null'] }, { type: 'string', nullable: true }],
    ['anyOf with null → nullable, merged', { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }], description: 'age' }, { description: 'age', type: 'integer', minimum: 0, nullable: true }],
    ['several types → anyOf', { type: ['string', 'number'] }, { anyOf: [{ type: 'string' }, { type: 'number' }] }],
    ['oneOf → anyOf', { oneOf: [{ type: 'string' }, { type: 'boolean' }] }, { anyOf: [{ type: 'string' }, { type: 'boolean' }] }],
    ['allOf of one → merged', { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }], description: 'x' }, { description: 'x', type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }],
    [
      'allOf of objects → one object',
      { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'object', properties: { b: { type: 'number' } }, required: ['b'] }] },
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a', 'b'] },
    ],
    ['enum with null → nullable', { type: ['string', 'null'], enum: ['a', 'b', null] }, { type: 'string', enum: ['a', 'b'], nullable: true }],
    ['numeric enum → description', { type: 'integer', enum: [1, 2, 3] }, { type: 'integer', description: '(Allowed values: 1, 2, 3)' }],
    ['unsupported string format → description', { type: 'string', format: 'email', description: 'Contact' }, { type: 'string', description: 'Contact (format: email)' }],
    ['supported formats kept', { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, n: { type: 'number', format: 'double' } } }, { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, n: { type: 'number', format: 'double' } }, propertyOrdering: ['at', 'n'] }],
    ['exclusive bounds dropped', { type: 'number', exclusiveMinimum: 0, maximum: 5 }, { type: 'number', maximum: 5 }],
    ['array keywords', { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3, uniqueItems: true }, { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 }],
    ['required filtered to known properties', { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost'] }, { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }],
    ['type inferred from properties', { properties: { a: { type: 'string' } } }, { type: 'object', properties: { a: { type: 'string' } } }],
    ['given propertyOrdering kept', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, propertyOrdering: ['b', 'a'] }, { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, propertyOrdering: ['b', 'a'] }],
    ['boolean schema → empty', true, {}],
  ])('%s', (_name, input, expected) => {
    expect(convert(input)).toEqual(expected);
  });

  it('takes Gemini\'s upper-case type names as JSON Schema\'s', () => {
    expect(convert({ type: 'OBJECT', properties: { a: { type: ['STRING', 'NULL'], minLength: 2 } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'string', minLength: 2, nullable: true } },
    });
  });

  it.each(['bogus', 'str', 'constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'])('refuses the type name %s, which Gemini would refuse, naming the field', (type) => {
    for (const schema of [{ type, format: 'x' }, { type: ['null', type] }, { type: 'object', properties: { a: { type } } }]) {
      expect(() => convert(schema)).toThrow(GatewayError);
      expect(() => convert(schema)).toThrow(`Invalid schema in 'response_format.json_schema.schema': '${type}' is not a JSON Schema type`);
    }
  });

  it('resolves $defs and definitions references, with sibling keywords winning', () => {
    const schema = {
      type: 'object',
      properties: {
        home: { $ref: '#/$defs/Address', description: 'Where they live' },
        work: { $ref: '#/definitions/Address' },
        odd: { $ref: '#/$defs/a~1b%20c' },
      },
      $defs: { Address: { type: 'object', description: 'An address', properties: { city: { type: 'string' } }, required: ['city'] }, 'a/b c': { type: 'boolean' } },
      definitions: { Address: { type: 'object', properties: { zip: { type: 'string' } } } },
    };
    expect(convert(schema)).toEqual({
      type: 'object',
      properties: {
        home: { type: 'object', description: 'Where they live', properties: { city: { type: 'string' } }, required: ['city'] },
        work: { type: 'object', properties: { zip: { type: 'string' } } },
        odd: { type: 'boolean' },
      },
      propertyOrdering: ['home', 'work', 'odd'],
    });
  });

  it('unrolls a recursive definition twice and cuts it to its type below', () => {
    const schema = {
      $ref: '#/definitions/Node',
      definitions: { Node: { type: 'object', description: 'A node', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/definitions/Node' } } } } },
    };
    const level = (children: unknown) => ({
      type: 'object',
      description: 'A node',
      properties: { name: { type: 'string' }, children: { type: 'array', items: children } },
      propertyOrdering: ['name', 'children'],
    });
    expect(convert(schema)).toEqual(level(level({ type: 'object', description: 'A node' })));
  });

  // toEqual ignores key order, but the order is the JSON Gemini receives.
  it.each([
    [
      { description: 'Where', anyOf: [{ type: 'string', format: 'email', minLength: 1 }, { type: 'null' }], default: null, title: 'Dir' },
      '{"type":"string","minLength":1,"description":"Where","title":"Dir","default":null,"nullable":true}',
    ],
    [
      { type: ['integer', 'string'], format: 'uuid', enum: [1, 'a', null], allOf: [{ description: 'from allOf', maximum: 3 }] },
      '{"description":"from allOf (format: uuid) (format: uuid) (Allowed values: 1, \\"a\\")","anyOf":[{"type":"integer"},{"type":"string"}],"nullable":true}',
    ],
  ])('writes keys in a fixed order: %j', (input, json) => {
    expect(JSON.stringify(convert(input))).toBe(json);
  });

  it('handles a self reference to the root', () => {
    const schema = { type: 'object', properties: { next: { $ref: '#' } } };
    const out = convert(schema);
    expect(out.properties?.next?.properties?.next?.properties?.next).toEqual({ type: 'object' });
  });

  it.each([
    ['remote $ref', { $ref: 'https://example.com/schema.json' }, "$ref 'https://example.com/schema.json'"],
    ['missing $ref', { $ref: '#/$defs/Nope' }, "$ref '#/$defs/Nope'"],
    ['non-object schema', { type: 'object', properties: { a: 5 } }, 'every schema must be an object'],
  ])('refuses a %s with a 400 naming the field', (_name, schema, fragment) => {
    let error: GatewayError | undefined;
    try {
      convert(schema);
    } catch (caught) {
      error = caught as GatewayError;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error?.status).toBe(400);
    expect(error?.param).toBe('response_format.json_schema.schema');
    expect(error?.message).toContain(fragment);
  });

  it('refuses a schema whose references fan out beyond the limit', () => {
    const defs: Record<string, unknown> = { L0: { type: 'string' } };
    for (let i = 1; i <= 6; i++) {
      defs[`L${i}`] = { type: 'object', properties: Object.fromEntries(Array.from({ length: 6 }, (_, k) => [`p${k}`, { $ref: `#/$defs/L${i - 1}` }])) };
    }
    expect(() => convert({ $ref: '#/$defs/L6', $defs: defs })).toThrowError(/more than 5000 schemas/);
  });

  it('never mutates its input', () => {
    const schema = { type: ['string', 'null'], const: 'x', $schema: 's', additionalProperties: false };
    const copy = structuredClone(schema);
    convert(schema);
    expect(schema).toEqual(copy);
  });

  it("converts what the openai SDK's zodResponseFormat produces into keywords Gemini accepts", () => {
    const Address = z.object({ city: z.string(), zip: z.string().nullable() });
    const TreeNode: z.ZodType<{ name: string; children: { name: string; children: unknown[] }[] }> = z.object({
      name: z.string(),
      get children() {
        return z.array(TreeNode);
      },
    }) as never;
    const Answer = z.object({
      steps: z.array(z.object({ explanation: z.string(), output: z.string() })),
      kind: z.literal('math'),
      mood: z.enum(['calm', 'tense']),
      home: Address,
      work: Address,
      score: z.number().int().nullable(),
      either: z.union([z.string(), z.number()]),
      shape: z.discriminatedUnion('t', [z.object({ t: z.literal('circle'), r: z.number() }), z.object({ t: z.literal('dot') })]),
      tree: TreeNode,
    });
    const format = zodResponseFormat(Answer, 'answer');
    const out = toGeminiSchema(format.json_schema.schema, 'response_format.json_schema.schema');

    const allowed = new Set(['type', 'format', 'title', 'description', 'nullable', 'enum', 'default', 'items', 'minItems', 'maxItems', 'properties', 'required', 'propertyOrdering', 'minProperties', 'maxProperties', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'anyOf']);
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        expect(allowed.has(key), `keyword ${key}`).toBe(true);
        if (key === 'properties') Object.values(value as object).forEach(walk);
        else if (key === 'items') walk(value);
        else if (key === 'anyOf') (value as unknown[]).forEach(walk);
        else if (key === 'type') expect(typeof value).toBe('string');
      }
    };
    walk(out);
    expect(out.properties?.kind).toEqual({ type: 'string', enum: ['math'] });
    expect(out.properties?.home?.properties?.zip).toEqual({ type: 'string', nullable: true });
    expect(out.properties?.score).toEqual({ type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991, nullable: true });
    expect(out.properties?.either).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
    expect(out.properties?.shape?.anyOf?.[1]).toEqual({ type: 'object', properties: { t: { type: 'string', enum: ['dot'] } }, required: ['t'] });
    expect(out.properties?.tree?.properties?.children?.items?.properties?.children?.items).toEqual({ type: 'object' });
    expect(out.propertyOrdering).toEqual(['steps', 'kind', 'mood', 'home', 'work', 'score', 'either', 'shape', 'tree']);
    expect(out.required).toEqual(out.propertyOrdering);
  });
});
