import { GatewayError } from '../errors';
import { readPlainNativePath } from './read-plain-native-path';

/**
 * The upstream path for a native request: the client's path, segment by segment, under one of Gemini's API
 * roots. No segment may be `.` or `..` in any spelling (`%2e%2e`, `%2E.`), hold an encoded slash or
 * backslash, or be empty (`//host`), so the configured origin plus this path can only name a resource of
 * that origin under its API version — never another host or a path outside the API.
 */
const API_ROOTS = [['v1beta'], ['v1'], ['v1alpha'], ['upload', 'v1beta']] as const;

export function toNativeUpstreamPath(rawPathname: string): string {
  return readPlainNativePath(rawPathname) ?? toNativeUpstreamPathBySegment(rawPathname);
}

/** The whole check, segment by segment: for every path readPlainNativePath does not take (exported for its test). */
export function toNativeUpstreamPathBySegment(rawPathname: string): string {
  const segments = rawPathname.split('/').slice(1);
  const decoded = segments.map((segment, index) => {
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      throw badPath(`segment ${index + 1} is not valid percent-encoding`);
    }
    if (value === '' && index < segments.length - 1) throw badPath('empty path segments are not allowed');
    if (value === '.' || value === '..') throw badPath('dot segments are not allowed');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this check refuses
    if (/[/\\?#\u0000-\u001f\u007f]/.test(value)) throw badPath('a path segment holds a reserved character');
    return value;
  });
  if (decoded.at(-1) === '') decoded.pop();
  const root = API_ROOTS.find((prefix) => prefix.every((part, i) => decoded[i] === part));
  if (!root || decoded.length === root.length) throw new GatewayError(404, `No Gemini API method at ${rawPathname}.`);
  return `/${decoded.map(encodeSegment).join('/')}`;
}

/** Re-encode what a path segment must not hold raw, keeping `:` (`models/x:generateContent`) readable. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%3A/gi, ':').replace(/%40/g, '@');
}

function badPath(reason: string): GatewayError {
  return new GatewayError(400, `Invalid request path: ${reason}.`, { code: 'invalid_path' });
}
