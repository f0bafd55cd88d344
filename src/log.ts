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
  const threshold = RANK[options.level];
  const secrets = [...new Set(options.secrets ?? [])].filter((secret) => secret !== '');
  let scrub: ((text: string) => string) | undefined;
  const write = (level: LogLevel, event: string, fields: Record<string, unknown> | undefined) => {
    if (RANK[level] > threshold) return;
    // Built on the first line written: most loggers write one line, many write none.
    scrub ??= createScrubber(secrets);
    let line: string;
    try {
      // The fields' values are scrubbed one by one before serialising: a secret is found whatever JSON
      // escaping would make of it, and a client's "secret" can never rewrite the line's syntax.
      const clean = fields === undefined ? {} : (cleanValue(fields, scrub, 0) as Record<string, unknown>);
      line = JSON.stringify({
        time: new Date(options.now()).toISOString(),
        level,
        requestId: options.requestId,
        event,
        ...clean,
      });
    } catch {
      line = JSON.stringify({
        time: new Date(options.now()).toISOString(),
        level,
        requestId: options.requestId,
        event,
        note: 'fields not serialisable',
      });
    }
    options.sink(line);
  };
  return {
    enabled: (level) => RANK[level] <= threshold,
    error: (event, fields) => write('error', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    info: (event, fields) => write('info', event, fields),
    debug: (event, fields) => write('debug', event, fields),
    withSecrets: (values) =>
      values.length === 0 ? createLogger(options) : createLogger({ ...options, secrets: [...secrets, ...values] }),
  };
}

/**
 * One pass over a string replacing every secret — as it is, JSON-escaped and percent-encoded, the forms an
 * upstream message or a URL may quote it in — by its fingerprint. Longest first, so a secret that contains
 * another is replaced whole; one pass, so a fingerprint is never rewritten by a later secret.
 */
function createScrubber(secrets: readonly string[]): (text: string) => string {
  if (secrets.length === 0) return (text) => text;
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

function secretForms(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
}

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
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = cleanValue((value as Record<string, unknown>)[key], scrub, depth + 1);
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
