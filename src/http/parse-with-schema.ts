import * as z from 'zod/mini';
import { GatewayError } from '../errors';

/**
 * Validates a client's JSON with a zod schema; the first problem becomes a 400 in OpenAI's wording
 * ("Missing required parameter: 'messages'.") whose `param` names the field as OpenAI does (`messages[2].role`),
 * so a client sees which part of its request to fix.
 */
export function parseWithSchema<T extends z.ZodMiniType>(schema: T, value: unknown): z.output<T> {
  const result = z.safeParse(schema, value, { reportInput: true });
  if (result.success) return result.data;
  const issue = mostSpecificIssue(result.error.issues[0]);
  return throwIssue(issue);
}

/** One zod issue, by the type zod/mini's own `safeParse` declares (zod's public API, not its core package). */
type Issue = NonNullable<ReturnType<z.ZodMiniType['safeParse']>['error']>['issues'][number];

/** Formats a zod path the way OpenAI names parameters: `messages[2].content[0].text`. */
export function formatParam(path: readonly PropertyKey[]): string {
  let param = '';
  for (const key of path) {
    if (typeof key === 'number') param += `[${key}]`;
    else param += param === '' ? String(key) : `.${String(key)}`;
  }
  return param;
}

/**
 * In a union, the branch that got furthest into the value explains the mistake best: a content array whose
 * part 0 has a bad `text` says so, and a `stop` list that is too long says that, rather than "expected
 * string or array". A branch scores by the depth of its first issue, and a little more when the value had
 * the branch's type but broke one of its rules.
 */
function mostSpecificIssue(issue: Issue | undefined): Issue | undefined {
  if (issue?.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  let best: Issue | undefined;
  let bestScore = 0;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const score = first.path.length * 2 + (first.code === 'invalid_type' || first.code === 'invalid_union' ? 0 : 1);
    if (score > bestScore) {
      best = first;
      bestScore = score;
    }
  }
  if (!best) return issue;
  const nested = mostSpecificIssue(best);
  return nested ? { ...nested, path: [...issue.path, ...nested.path] } : issue;
}

function throwIssue(issue: Issue | undefined): never {
  if (!issue) throw new GatewayError(400, 'The request is invalid.');
  const path = issue.path;
  const param = formatParam(path) || null;
  const where = param ? `'${param}'` : 'the request body';
  // An absent field fails its type, or every branch of its union (`input`, a message's `content`).
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined) {
    throw new GatewayError(400, `Missing required parameter: ${where}.`, { param, code: 'missing_required_parameter' });
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const unknownParam = formatParam([...path, key]);
      const message =
        path.length === 0
          ? `Unrecognized request argument supplied: ${key}`
          : `Unrecognized argument '${key}' in '${formatParam(path)}'.`;
      throw new GatewayError(400, message, { param: unknownParam });
    }
    case 'invalid_type':
      throw new GatewayError(
        400,
        `Invalid type for ${where}: expected ${describeExpected(issue.expected)}, but got ${describeValue(issue.input)} instead.`,
        {
          param,
          code: 'invalid_type',
        },
      );
    case 'invalid_value':
      throw new GatewayError(
        400,
        `Invalid value for ${where}: ${quoteValue(issue.input)}. Supported values are: ${issue.values.map((v) => `'${String(v)}'`).join(', ')}.`,
        {
          param,
          code: 'invalid_value',
        },
      );
    case 'invalid_union':
      // zod 4 reports a bad discriminator as a union issue naming it and its accepted values (typed fields).
      if (issue.discriminator !== undefined && 'options' in issue && issue.options !== undefined) {
        const { discriminator, options } = issue;
        const value =
          typeof issue.input === 'object' && issue.input !== null
            ? (issue.input as Record<string, unknown>)[discriminator]
            : undefined;
        if (value === undefined)
          throw new GatewayError(400, `Missing required parameter: ${where}.`, {
            param,
            code: 'missing_required_parameter',
          });
        const supported = options.map((option) => `'${String(option)}'`).join(', ');
        throw new GatewayError(
          400,
          `Invalid value for ${where}: ${quoteValue(value)}. Supported values are: ${supported}.`,
          { param, code: 'invalid_value' },
        );
      }
      throw new GatewayError(
        400,
        `Invalid type for ${where}: got ${describeValue(issue.input)}, which matches none of the accepted forms.`,
        {
          param,
          code: 'invalid_type',
        },
      );
    case 'too_big':
    case 'too_small':
      throw new GatewayError(400, `Invalid ${where}: ${customMessage(issue) ?? describeBound(issue)}.`, {
        param,
        code: 'invalid_value',
      });
    default:
      throw new GatewayError(400, `Invalid ${where}: ${customMessage(issue) ?? 'the value is not accepted'}.`, {
        param,
        code: 'invalid_value',
      });
  }
}

/** zod/mini loads no locale: its own messages are all "Invalid input", so only a schema's own message is worth quoting. */
function customMessage(issue: Issue): string | undefined {
  return issue.message && issue.message !== 'Invalid input' ? issue.message : undefined;
}

function describeBound(issue: Extract<Issue, { code: 'too_big' | 'too_small' }>): string {
  const big = issue.code === 'too_big';
  const limit = String(
    big ? (issue as { maximum: number | bigint }).maximum : (issue as { minimum: number | bigint }).minimum,
  );
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'array':
    case 'set':
      return `expected ${big ? 'at most' : 'at least'} ${limit} item${limit === '1' ? '' : 's'}`;
    case 'string':
      return `expected ${big ? 'at most' : 'at least'} ${limit} character${limit === '1' ? '' : 's'}`;
    default:
      return `expected a value ${big ? '<' : '>'}${inclusive ? '=' : ''} ${limit}`;
  }
}

function describeExpected(expected: string): string {
  return expected === 'int' ? 'an integer' : /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/**
 * A refused value as the message quotes it: scalars as JSON, cut short; arrays and objects by their kind,
 * because the client's value may be megabytes or thousands of levels deep (JSON.stringify would overflow).
 */
function quoteValue(value: unknown): string {
  if (typeof value === 'object' && value !== null) return describeValue(value);
  const text = JSON.stringify(value) ?? describeValue(value);
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE)}…` : text;
}

const MAX_QUOTE = 200;

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}
