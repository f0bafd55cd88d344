import fc from 'fast-check';
import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GatewayError } from '../../../src/errors';
import { createSchemaBudget, type SchemaBudget } from '../../../src/gemini/create-schema-budget';
import { toGeminiSchema } from '../../../src/gemini/to-gemini-schema';

const convert = (schema: unknown) =>
  toGeminiSchema(schema, 'response_format.json_schema.schema', createSchemaBudget(0, 4_500_000));

describe('toGeminiSchema', () => {
  it.each([
    [
      'copies supported keywords',
      { type: 'string', description: 'd', title: 't', minLength: 1, maxLength: 9, pattern: '^a', default: 'a' },
      { type: 'string', title: 't', description: 'd', minLength: 1, maxLength: 9, pattern: '^a', default: 'a' },
    ],
    [
      'drops $schema, additionalProperties, strict, examples',
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { a: { type: 'string', examples: ['x'] } },
        additionalProperties: false,
        strict: true,
      },
      { type: 'object', properties: { a: { type: 'string' } } },
    ],
    [
      'drops a count Gemini holds as int64 unless it is a whole number a double holds exactly',
      {
        type: 'object',
        properties: {
          s: { type: 'string', minLength: 1.5, maxLength: 2 ** 53 + 2 },
          a: { type: 'array', minItems: 0, maxItems: 1e308 },
          n: { type: 'number', minimum: 0.5, maximum: 2 ** 53 + 2 },
        },
        minProperties: -1,
        maxProperties: 2.5,
      },
      {
        type: 'object',
        properties: {
          s: { type: 'string' },
          a: { type: 'array', minItems: 0 },
          n: { type: 'number', minimum: 0.5, maximum: 2 ** 53 + 2 },
        },
        propertyOrdering: ['s', 'a', 'n'],
        minProperties: -1,
      },
    ],
    ['const → enum', { type: 'string', const: 'math' }, { type: 'string', enum: ['math'] }],
    ['type list with null → nullable', { type: ['string', 'null'] }, { type: 'string', nullable: true }],
    [
      'anyOf with null → nullable, merged',
      { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }], description: 'age' },
      { description: 'age', type: 'integer', minimum: 0, nullable: true },
    ],
    ['several types → anyOf', { type: ['string', 'number'] }, { anyOf: [{ type: 'string' }, { type: 'number' }] }],
    [
      'oneOf → anyOf',
      { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
      { anyOf: [{ type: 'string' }, { type: 'boolean' }] },
    ],
    [
      'allOf of one → merged',
      { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }], description: 'x' },
      { description: 'x', type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    ],
    [
      'allOf of objects → one object',
      {
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { type: 'object', properties: { b: { type: 'number' } }, required: ['b'] },
        ],
      },
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a', 'b'] },
    ],
    [
      'enum with null → nullable',
      { type: ['string', 'null'], enum: ['a', 'b', null] },
      { type: 'string', enum: ['a', 'b'], nullable: true },
    ],
    [
      'numeric enum → description',
      { type: 'integer', enum: [1, 2, 3] },
      { type: 'integer', description: '(Allowed values: 1, 2, 3)' },
    ],
    [
      'unsupported string format → description',
      { type: 'string', format: 'email', description: 'Contact' },
      { type: 'string', description: 'Contact (format: email)' },
    ],
    [
      'supported formats kept',
      {
        type: 'object',
        properties: { at: { type: 'string', format: 'date-time' }, n: { type: 'number', format: 'double' } },
      },
      {
        type: 'object',
        properties: { at: { type: 'string', format: 'date-time' }, n: { type: 'number', format: 'double' } },
        propertyOrdering: ['at', 'n'],
      },
    ],
    ['exclusive bounds dropped', { type: 'number', exclusiveMinimum: 0, maximum: 5 }, { type: 'number', maximum: 5 }],
    [
      'array keywords',
      { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3, uniqueItems: true },
      { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
    ],
    [
      'required filtered to known properties',
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost'] },
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    ],
    [
      'type inferred from properties',
      { properties: { a: { type: 'string' } } },
      { type: 'object', properties: { a: { type: 'string' } } },
    ],
    [
      'given propertyOrdering kept',
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, propertyOrdering: ['b', 'a'] },
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, propertyOrdering: ['b', 'a'] },
    ],
    ['boolean schema → empty', true, {}],
  ])('%s', (_name, input, expected) => {
    expect(convert(input)).toEqual(expected);
  });

  it("takes Gemini's upper-case type names as JSON Schema's", () => {
    expect(convert({ type: 'OBJECT', properties: { a: { type: ['STRING', 'NULL'], minLength: 2 } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'string', minLength: 2, nullable: true } },
    });
  });

  it.each(['bogus', 'str', 'constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'])(
    'refuses the type name %s, which Gemini would refuse, naming the field',
    (type) => {
      for (const schema of [
        { type, format: 'x' },
        { type: ['null', type] },
        { type: 'object', properties: { a: { type } } },
      ]) {
        expect(() => convert(schema)).toThrow(GatewayError);
        expect(() => convert(schema)).toThrow(
          `Invalid schema in 'response_format.json_schema.schema': '${type}' is not a JSON Schema type`,
        );
      }
    },
  );

  it('resolves $defs and definitions references, with sibling keywords winning', () => {
    const schema = {
      type: 'object',
      properties: {
        home: { $ref: '#/$defs/Address', description: 'Where they live' },
        work: { $ref: '#/definitions/Address' },
        odd: { $ref: '#/$defs/a~1b%20c' },
      },
      $defs: {
        Address: {
          type: 'object',
          description: 'An address',
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
        'a/b c': { type: 'boolean' },
      },
      definitions: { Address: { type: 'object', properties: { zip: { type: 'string' } } } },
    };
    expect(convert(schema)).toEqual({
      type: 'object',
      properties: {
        home: {
          type: 'object',
          description: 'Where they live',
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
        work: { type: 'object', properties: { zip: { type: 'string' } } },
        odd: { type: 'boolean' },
      },
      propertyOrdering: ['home', 'work', 'odd'],
    });
  });

  it('unrolls a recursive definition twice and cuts it to its type below', () => {
    const schema = {
      $ref: '#/definitions/Node',
      definitions: {
        Node: {
          type: 'object',
          description: 'A node',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/definitions/Node' } } },
        },
      },
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
      {
        description: 'Where',
        anyOf: [{ type: 'string', format: 'email', minLength: 1 }, { type: 'null' }],
        default: null,
        title: 'Dir',
      },
      '{"type":"string","minLength":1,"description":"Where","title":"Dir","default":null,"nullable":true}',
    ],
    [
      {
        type: ['integer', 'string'],
        format: 'uuid',
        enum: [1, 'a', null],
        allOf: [{ description: 'from allOf', maximum: 3 }],
      },
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
      defs[`L${i}`] = {
        type: 'object',
        properties: Object.fromEntries(Array.from({ length: 6 }, (_, k) => [`p${k}`, { $ref: `#/$defs/L${i - 1}` }])),
      };
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
      shape: z.discriminatedUnion('t', [
        z.object({ t: z.literal('circle'), r: z.number() }),
        z.object({ t: z.literal('dot') }),
      ]),
      tree: TreeNode,
    });
    const format = zodResponseFormat(Answer, 'answer');
    const out = toGeminiSchema(
      format.json_schema.schema,
      'response_format.json_schema.schema',
      createSchemaBudget(0, 4_500_000),
    );

    const allowed = new Set([
      'type',
      'format',
      'title',
      'description',
      'nullable',
      'enum',
      'default',
      'items',
      'minItems',
      'maxItems',
      'properties',
      'required',
      'propertyOrdering',
      'minProperties',
      'maxProperties',
      'minimum',
      'maximum',
      'minLength',
      'maxLength',
      'pattern',
      'anyOf',
    ]);
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
    expect(out.properties?.score).toEqual({
      type: 'integer',
      minimum: -9007199254740991,
      maximum: 9007199254740991,
      nullable: true,
    });
    expect(out.properties?.either).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
    expect(out.properties?.shape?.anyOf?.[1]).toEqual({
      type: 'object',
      properties: { t: { type: 'string', enum: ['dot'] } },
      required: ['t'],
    });
    expect(out.properties?.tree?.properties?.children?.items?.properties?.children?.items).toEqual({ type: 'object' });
    expect(out.propertyOrdering).toEqual(['steps', 'kind', 'mood', 'home', 'work', 'score', 'either', 'shape', 'tree']);
    expect(out.required).toEqual(out.propertyOrdering);
  });

  describe('the output budget', () => {
    const budget = (limit: number): SchemaBudget => ({ limit, left: limit });
    const failure = (run: () => unknown): GatewayError => {
      try {
        run();
      } catch (error) {
        if (error instanceof GatewayError) return error;
        throw error;
      }
      throw new Error('expected a GatewayError');
    };
    /** One definition with a long description, referenced by `uses` properties: the issue-12 amplification. */
    const fanOut = (uses: number, descriptionLength: number) => ({
      type: 'object',
      $defs: { D: { type: 'string', description: 'x'.repeat(descriptionLength) } },
      properties: Object.fromEntries(Array.from({ length: uses }, (_, i) => [`p${i}`, { $ref: '#/$defs/D' }])),
    });

    it('refuses a $ref fan-out past the budget naming the field, having built no more than one node past it', () => {
      const schema = fanOut(2_400, 20_000); // 90 kB of JSON that would become 48 MB
      expect(JSON.stringify(schema).length).toBeLessThan(100_000);
      const spent = budget(1_000_000);
      const error = failure(() => toGeminiSchema(schema, 'tools[3].function.parameters', spent));
      expect(error.status).toBe(400);
      expect(error.param).toBe('tools[3].function.parameters');
      expect(error.code).toBe('invalid_schema');
      expect(error.message).toContain('more than 1000000 characters once converted');
      expect(spent.left).toBeGreaterThan(-20_100);
    });

    it('is shared: schemas that each fit refuse together, naming the one that ran out', () => {
      const shared = budget(1_000_000);
      const schema = fanOut(20, 10_000); // about 200 kB converted
      for (let t = 0; t < 4; t++) toGeminiSchema(schema, `tools[${t}].function.parameters`, shared);
      expect(failure(() => toGeminiSchema(schema, 'tools[4].function.parameters', shared)).param).toBe(
        'tools[4].function.parameters',
      );
    });

    it('fits what a real request converts, and grows with the request up to MAX_BODY_BYTES beyond it', () => {
      expect(createSchemaBudget(10_000, 4_500_000).limit).toBe(1024 * 1024);
      expect(createSchemaBudget(100_000, 4_500_000).limit).toBe(1_600_000);
      expect(createSchemaBudget(4_000_000, 4_500_000).limit).toBe(8_500_000);
      expect(createSchemaBudget(1_000, 50_000).limit).toBe(51_000);
    });

    /** Characters that JSON writes as themselves, so the JSON's length is what the budget counts. */
    const plain = fc.string({ unit: fc.constantFrom(...'abcdxyz _-:.0123456789'), maxLength: 30 });
    const value = fc.oneof(
      plain,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(plain, { maxLength: 3 }),
    );
    const schemaNode: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { maxDepth: 4, depthIdentifier: 'node' },
        fc.constantFrom({ $ref: '#/$defs/A' }, { $ref: '#/$defs/B' }, { $ref: '#' }, { type: 'string' }, true),
        fc.record(
          {
            type: fc.constantFrom(
              'object',
              'string',
              'number',
              'array',
              ['string', 'null'],
              ['object', 'array', 'integer'],
            ),
            description: plain,
            title: plain,
            properties: fc.dictionary(plain, tie('node'), { maxKeys: 4 }),
            required: fc.array(plain, { maxLength: 3 }),
            items: fc.oneof(tie('node'), fc.array(tie('node'), { maxLength: 3 })),
            anyOf: fc.array(tie('node'), { maxLength: 3 }),
            allOf: fc.array(tie('node'), { maxLength: 2 }),
            enum: fc.array(value, { maxLength: 4 }),
            const: value,
            default: value,
            $ref: fc.constantFrom('#/$defs/A', '#/$defs/B'),
            format: fc.constantFrom('date-time', 'email', 'int64'),
            minimum: fc.double({ noNaN: true, noDefaultInfinity: true }),
            pattern: plain,
          },
          { requiredKeys: [] },
        ),
      ),
    })).node;
    const schemaWithDefs = fc
      .record({ root: schemaNode, a: schemaNode, b: schemaNode })
      .map(({ root, a, b }) => (typeof root === 'object' && root !== null ? { ...root, $defs: { A: a, B: b } } : root));

    it('charges at least the length of the JSON it produces, however the references fan out', {
      timeout: 30_000,
    }, () => {
      fc.assert(
        fc.property(schemaWithDefs, (schema) => {
          const spent = budget(Number.MAX_SAFE_INTEGER);
          let out: unknown;
          try {
            out = toGeminiSchema(schema, 'p', spent);
          } catch (error) {
            if (error instanceof GatewayError && error.status === 400) return;
            throw error;
          }
          // Escapes (a quoted enum value in a description) count as the one character they stand for.
          const length = JSON.stringify(out).replaceAll(/\\(u[0-9a-fA-F]{4}|.)/g, '_').length;
          expect(spent.limit - spent.left).toBeGreaterThanOrEqual(length);
        }),
        { numRuns: 200 },
      );
    });
  });

  it.each([
    ['default', (deep: unknown) => ({ type: 'object', properties: { a: { type: 'array', default: deep } } })],
    ['enum', (deep: unknown) => ({ type: 'object', properties: { a: { enum: ['x', deep] } } })],
    ['const', (deep: unknown) => ({ type: 'object', properties: { a: { const: deep } } })],
  ])(
    'refuses a %s value nested thousands of levels deep with a 400 naming the field, not a stack overflow',
    (keyword, build) => {
      let deep: unknown = [];
      for (let i = 0; i < 10_000; i++) deep = [deep];
      let error: unknown;
      try {
        convert(build(deep));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({
        status: 400,
        param: 'response_format.json_schema.schema',
        message: `Invalid schema in 'response_format.json_schema.schema': '${keyword}' holds a value nested more than 64 levels deep.`,
      });
      let shallow: unknown = [];
      for (let i = 0; i < 10; i++) shallow = [shallow];
      expect(() => JSON.stringify(convert(build(shallow)))).not.toThrow();
    },
  );

  it('keeps a property named __proto__ in properties, as required still names it', () => {
    const schema = JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"string"},"b":{"type":"number"}},"required":["__proto__","b"]}',
    ) as unknown;
    const out = convert(schema);
    expect(Object.hasOwn(out.properties ?? {}, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out.properties)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe(
      '{"type":"object","properties":{"__proto__":{"type":"string"},"b":{"type":"number"}},"required":["__proto__","b"],"propertyOrdering":["__proto__","b"]}',
    );
    // Merged from allOf and through a $ref it stays too.
    const merged = convert({ allOf: [schema, { type: 'object', properties: { c: { type: 'string' } } }] });
    expect(Object.keys(merged.properties ?? {})).toEqual(['__proto__', 'b', 'c']);
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });
});
