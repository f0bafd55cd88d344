import type { LogLevel } from './config';

/**
 * JSON-lines logger: one object per line with timestamp, level, request id and the event's fields.
 * A level that is off costs one comparison: callers that build expensive fields check `enabled` first.
 */

const RANK: Readonly<Record<LogLevel, number>> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Longest string value written to a log line; longer ones are cut (prompts and replies can be megabytes). */
const MAX_STRING = 500;

export interface Logger {
  enabled(level: LogLevel): boolean;
  error(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  debug(event: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  level: LogLevel;
  sink: (line: string) => void;
  now: () => number;
  requestId?: string;
  /** Strings that must never appear in a line (the request's keys); replaced by their fingerprints. */
  secrets?: readonly { value: string; replacement: string }[];
}

export function createLogger(options: LoggerOptions): Logger {
  const threshold = RANK[options.level];
  const write = (level: LogLevel, event: string, fields: Record<string, unknown> | undefined) => {
    if (RANK[level] > threshold) return;
    const record = { time: new Date(options.now()).toISOString(), level, requestId: options.requestId, event, ...fields };
    let line: string;
    try {
      line = JSON.stringify(record, truncateStrings);
    } catch {
      line = JSON.stringify({ time: record.time, level, requestId: options.requestId, event, note: 'fields not serialisable' });
    }
    for (const secret of options.secrets ?? []) {
      if (line.includes(secret.value)) line = line.split(secret.value).join(secret.replacement);
    }
    options.sink(line);
  };
  return {
    enabled: (level) => RANK[level] <= threshold,
    error: (event, fields) => write('error', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    info: (event, fields) => write('info', event, fields),
    debug: (event, fields) => write('debug', event, fields),
  };
}

function truncateStrings(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.length > MAX_STRING) {
    return `${value.slice(0, MAX_STRING)}…(${value.length} chars)`;
  }
  return value;
}
