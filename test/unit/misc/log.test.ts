import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/keys/fingerprint';
import { createLogger } from '../../../src/log';

function logger(secrets: string[] = []) {
  const lines: string[] = [];
  const log = createLogger({
    level: 'debug',
    sink: (line) => lines.push(line),
    now: () => 0,
    requestId: 'r1',
    secrets,
  });
  return { log, lines, last: () => JSON.parse(lines.at(-1) ?? 'null') as Record<string, unknown> };
}

describe('createLogger', () => {
  it('writes one JSON object per line, strings cut at 500 characters', () => {
    const { log, last } = logger();
    log.info('request', { path: '/v1/models', long: 'x'.repeat(600), nested: { list: ['a', 1, null] } });
    expect(last()).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      requestId: 'r1',
      event: 'request',
      path: '/v1/models',
      long: `${'x'.repeat(500)}…(600 chars)`,
      nested: { list: ['a', 1, null] },
    });
  });

  it('stamps each line with its own time, lines of one millisecond and of the next alike', () => {
    let now = Date.UTC(2026, 11, 1, 16, 0, 0, 1);
    const lines: string[] = [];
    const log = createLogger({ level: 'info', sink: (line) => lines.push(line), now: () => now });
    log.info('a');
    log.info('b');
    now += 1;
    log.info('c');
    now -= 86_400_000;
    log.info('d');
    expect(lines.map((line) => (JSON.parse(line) as { time: string }).time)).toEqual([
      '2026-12-01T16:00:00.001Z',
      '2026-12-01T16:00:00.001Z',
      '2026-12-01T16:00:00.002Z',
      '2026-11-30T16:00:00.002Z',
    ]);
  });

  it('withSecrets with no values keeps the secrets it had', () => {
    const { log, lines } = logger(['server-key']);
    log.withSecrets(['client-key']).withSecrets([]).info('e', { v: 'server-key client-key' });
    expect(JSON.parse(lines[0]!).v).toBe(`${fingerprint('server-key')} ${fingerprint('client-key')}`);
  });

  it('replaces a secret in any string value, however nested, by its fingerprint', () => {
    const key = 'AIzaSySecretKey000000000000000000000001';
    const { log, lines } = logger([key]);
    log.warn('attempt', { detail: `bad key ${key}!`, deep: [{ at: key }] });
    expect(lines[0]).not.toContain(key);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      detail: `bad key ${fingerprint(key)}!`,
      deep: [{ at: fingerprint(key) }],
    });
  });

  it('finds a secret whatever JSON escaping or percent-encoding makes of it', () => {
    const token = 'tok"with\\quote/and\nnewline';
    const { log, lines } = logger([token]);
    log.error('unhandled error', {
      raw: token,
      quotedInJson: JSON.stringify({ message: token }),
      inUrl: `https://x.test/?key=${encodeURIComponent(token)}`,
    });
    const line = lines[0]!;
    for (const form of [token, JSON.stringify(token).slice(1, -1), encodeURIComponent(token)])
      expect(line).not.toContain(form);
    expect(JSON.parse(line)).toMatchObject({ raw: fingerprint(token) });
  });

  it('a secret inside another is replaced whole, and fingerprints are never rewritten', () => {
    const { log, last } = logger(['abc', 'xabcx', 'k']);
    log.info('e', { v: 'xabcx abc k' });
    expect(last().v).toBe(`${fingerprint('xabcx')} ${fingerprint('abc')} ${fingerprint('k')}`);
  });

  it('withSecrets adds the keys a request really uses; the original logger is unchanged', () => {
    const { log, lines } = logger(['server-key']);
    const withClient = log.withSecrets(['client-key']);
    withClient.info('e', { v: 'server-key client-key' });
    log.info('e', { v: 'server-key client-key' });
    expect(JSON.parse(lines[0]!).v).toBe(`${fingerprint('server-key')} ${fingerprint('client-key')}`);
    expect(JSON.parse(lines[1]!).v).toBe(`${fingerprint('server-key')} client-key`);
  });

  it('keeps a field named __proto__, and survives cycles and unserialisable values', () => {
    const { log, lines } = logger();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    log.info('e', JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>);
    log.info('e', { cyclic });
    log.info('e', { big: 1n });
    expect(lines[0]).toContain('"event":"e","__proto__":{"x":1}}');
    expect(JSON.parse(lines[1]!)).toHaveProperty(['cyclic', 'a'], 1);
    expect(JSON.parse(lines[2]!)).toMatchObject({ note: 'fields not serialisable' });
  });

  it('every line is JSON holding no secret in any form, whatever the secrets and the values', () => {
    const secret = fc.string({
      minLength: 1,
      maxLength: 12,
      unit: fc.constantFrom('"', '\\', '\n', ':', ',', '{', 'a', 'b', '%', ' ', '\u0000', 'é', '给'),
    });
    fc.assert(
      fc.property(
        fc.array(secret, { minLength: 1, maxLength: 3 }),
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
        (secrets, noise) => {
          const { log, lines } = logger(secrets);
          const values = noise.map((text, i) => `${text}${secrets[i % secrets.length]}${text}`);
          log.info('request', { path: '/v1/models', values, json: JSON.stringify(values) });
          const line = lines[0]!;
          const record = JSON.parse(line) as { event: string; path: string; values: string[]; json: string };
          expect(record.event).toBe('request');
          // A short secret may be a fragment of a fingerprint: look between them (the values it was put in).
          for (const value of [...record.values, record.json]) {
            const outsideFingerprints = value.replace(/k-[0-9a-z]{8}/g, '|');
            for (const s of secrets)
              expect(outsideFingerprints.includes(s), `${JSON.stringify(s)} in ${line}`).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
