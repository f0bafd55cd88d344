import type { LogLevel } from './config';
import { fingerprint } from './keys/fingerprint';

/**
 * JSON-lines logger: one object per line with timestamp, level, request id and the event's fields.
 * A level that is off costs one comparison: callers that build expensive fields check `enabled` first.
 */

const RANK: Readonly<Record<LogLevel, number>> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Longest string value written to a log line; longer ones are cut (prompts and replies can be megabytes). */
const MAX_STRING = 500;
/** Deepest nesting written; deeper values (and cycles) become a note. Log fields are a few levels deep. */
const MAX_DEPTH = 64;

export interface Logger {
  enabled(level: LogLevel): boolean;
  error(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  debug(event: string, fields?: Record<string, unknown>): void;
  /** The same logger, also scrubbing `values` (the keys a request really uses, once they are known). */
  withSecrets(values: readonly string[]): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  sink: (line: string) => void;
  now: () => number;
  requestId?: string;
  /** Strings that must never appear in a line (server keys, access tokens); replaced by their fingerprints. */
  secrets?: readonly string[];
}

export function createLogger(options: LoggerOptions): Logger {
  return new JsonLogger(options, options.secrets ?? []);
}

/**
 * A class rather than an object of closures: every request makes one or two loggers (docs/performance.md),
 * and methods on a prototype cost nothing to make. Secrets are only listed here; they are sorted out when
 * the first line is written, and most loggers write one line.
 */
class JsonLogger implements Logger {
  private readonly threshold: number;
  private scrub: ((text: string) => string) | undefined;

  constructor(
    private readonly options: LoggerOptions,
    private readonly secrets: readonly string[],
  ) {
    this.threshold = RANK[options.level];
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] <= this.threshold;
  }

  error(event: string, fields?: Record<string, unknown>): void {
    this.write('error', event, fields);
  }

  warn(event: string, fields?: Record<string, unknown>): void {
    this.write('warn', event, fields);
  }

  info(event: string, fields?: Record<string, unknown>): void {
    this.write('info', event, fields);
  }

  debug(event: string, fields?: Record<string, unknown>): void {
    this.write('debug', event, fields);
  }

  withSecrets(values: readonly string[]): Logger {
    return values.length === 0 ? this : new JsonLogger(this.options, [...this.secrets, ...values]);
  }

  private write(level: LogLevel, event: string, fields: Record<string, unknown> | undefined): void {
    if (RANK[level] > this.threshold) return;
    const { options } = this;
    this.scrub ??= createScrubber(this.secrets);
    let line: string;
    try {
      // The fields' values are scrubbed one by one before serialising: a secret is found whatever JSON
      // escaping would make of it, and a client's "secret" can never rewrite the line's syntax.
      const record: Record<string, unknown> = {
        time: isoTime(options.now()),
        level,
        requestId: options.requestId,
        event,
      };
      if (fields === undefined) line = JSON.stringify(record);
      else if (Array.isArray(fields) || typeof fields.toJSON === 'function')
        line = JSON.stringify({ ...record, ...(cleanValue(fields, this.scrub, 0) as Record<string, unknown>) });
      // Copied straight into the line's object: a copy of the fields to spread into it was a second copy.
      else line = JSON.stringify(copyClean(fields, record, this.scrub, 0));
    } catch {
      line = JSON.stringify({
        time: isoTime(options.now()),
        level,
        requestId: options.requestId,
        event,
        note: 'fields not serialisable',
      });
    }
    options.sink(line);
  }
}

let lastTime = Number.NaN;
let lastIso = '';

/** The line's timestamp: lines come many to a millisecond under load, and formatting a Date costs ~1 µs. */
function isoTime(time: number): string {
  if (time !== lastTime) {
    lastIso = new Date(time).toISOString();
    lastTime = time;
  }
  return lastIso;
}

/**
 * One pass over a string replacing every secret — as it is, JSON-escaped and percent-encoded, the forms an
 * upstream message or a URL may quote it in — by its fingerprint. Longest first, so a secret that contains
 * another is replaced whole; one pass, so a fingerprint is never rewritten by a later secret.
 */
function createScrubber(listed: readonly string[]): (text: string) => string {
  const secrets = listed.filter((secret) => secret !== '');
  if (secrets.length === 0) return unchanged;
  const forms = new Set<string>();
  for (const secret of secrets) for (const form of secretForms(secret)) forms.add(form);
  // The pattern is compiled on the first text that holds a secret: most lines hold none, and compiling it
  // on every request's line was the larger part of that line's cost (docs/performance.md).
  let replace: ((text: string) => string) | undefined;
  return (text) => {
    let found = false;
    for (const form of forms) {
      if (text.includes(form)) {
        found = true;
        break;
      }
    }
    if (!found) return text;
    replace ??= createReplacer(secrets);
    return replace(text);
  };
}

const unchanged = (text: string) => text;

function secretForms(secret: string): string[] {
  // A key's usual characters are the same in every form: one form to look for, not three.
  if (PLAIN_SECRET.test(secret)) return [secret];
  return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
}

/** Characters that neither JSON escaping nor percent-encoding changes. */
const PLAIN_SECRET = /^[A-Za-z0-9._~-]*$/;

function createReplacer(secrets: readonly string[]): (text: string) => string {
  const replacements = new Map<string, string>();
  for (const secret of secrets) {
    const replacement = fingerprint(secret);
    for (const form of secretForms(secret)) replacements.set(form, replacement);
  }
  const forms = [...replacements.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, (match) => replacements.get(match) ?? match);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * A copy of `value` as JSON would see it, every string value scrubbed, then cut to MAX_STRING. Property names
 * are left alone: they are the code's own (or, at debug, the client's schema), and a short key scrubbed out
 * of them would garble the field names of its request's lines.
 */
function cleanValue(value: unknown, scrub: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return truncate(scrub(value));
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '…(nested too deep)';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return cleanValue(toJSON.call(value) as unknown, scrub, depth + 1);
  if (Array.isArray(value)) return value.map((item: unknown) => cleanValue(item, scrub, depth + 1));
  return copyClean(value as Record<string, unknown>, {}, scrub, depth);
}

function copyClean(
  value: Record<string, unknown>,
  copy: Record<string, unknown>,
  scrub: (text: string) => string,
  depth: number,
): Record<string, unknown> {
  for (const key of Object.keys(value)) {
    const item = cleanValue(value[key], scrub, depth + 1);
    // Defined, not assigned: a field named `__proto__` stays a field.
    if (key === '__proto__')
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}

function truncate(text: string): string {
  return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…(${text.length} chars)` : text;
}
