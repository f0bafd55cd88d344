// measured: run `npm run bench` before changing (docs/performance.md).
/**
 * The upstream path of a plain native path — an API root, then segments of letters, digits and `-._~:@`
 * only, none `.` or `..` — which is the path itself, without a trailing slash: every client's
 * `/v1beta/models/gemini-…:generateContent`. Decoding such a segment and encoding it again
 * (toNativeUpstreamPath) changes nothing, so it is not done; undefined for anything else, which takes the
 * segment-by-segment check. A property test holds the two to the same answers.
 */
export function readPlainNativePath(rawPathname: string): string | undefined {
  if (!PLAIN_PATH.test(rawPathname) || DOT_SEGMENT.test(rawPathname)) return undefined;
  return rawPathname.endsWith('/') ? rawPathname.slice(0, -1) : rawPathname;
}

/** One of Gemini's API roots, at least one segment under it, an optional trailing slash. */
const PLAIN_PATH = /^\/(?:v1beta|v1|v1alpha|upload\/v1beta)(?:\/[A-Za-z0-9._~:@-]+)+\/?$/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;
