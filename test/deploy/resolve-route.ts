/**
 * Where Vercel's router sends a path, computed from the Build Output's `config.json` routes. It follows the
 * Build Output API's phases as far as this project needs them: routes before `handle: filesystem`, the
 * filesystem check, the routes after it (rewrites; `check: true` re-checks the filesystem and falls to the
 * `miss` phase), and a 404. Headers, `has`/`missing` conditions and redirects are not modelled.
 * https://vercel.com/docs/build-output-api/configuration#routes
 */

export interface OutputRoute {
  src?: string;
  dest?: string;
  status?: number;
  check?: boolean;
  continue?: boolean;
  methods?: string[];
  handle?: string;
}

export type Resolution =
  | { kind: 'function'; name: string }
  | { kind: 'static'; file: string }
  | { kind: 'status'; status: number };

export interface OutputFilesystem {
  /** The function serving `path` (e.g. `/api/index` → `api/index`), if one exists. */
  functionAt(path: string): string | undefined;
  /** The static file serving `path`, if one exists. */
  staticAt(path: string): string | undefined;
}

export function resolveRoute(
  routes: readonly OutputRoute[],
  pathname: string,
  fs: OutputFilesystem,
  method = 'GET',
): Resolution {
  const phases = splitPhases(routes);
  let path = pathname;

  for (const route of phases.get(null) ?? []) {
    const match = matchRoute(route, path, method);
    if (!match) continue;
    if (route.status !== undefined && route.dest === undefined && !route.continue)
      return { kind: 'status', status: route.status };
    if (route.dest !== undefined) path = substitute(route.dest, match);
    if (!route.continue) break;
  }

  const hit = lookup(path, fs);
  if (hit) return hit;

  for (const route of phases.get('filesystem') ?? []) {
    const match = matchRoute(route, path, method);
    if (!match) continue;
    if (route.status !== undefined && route.dest === undefined && !route.continue)
      return { kind: 'status', status: route.status };
    const dest = route.dest === undefined ? path : substitute(route.dest, match);
    if (route.continue) {
      path = dest;
      continue;
    }
    const found = lookup(dest, fs);
    if (found) return found;
    if (route.check) return resolveMiss(phases.get('miss') ?? [], dest, fs, method);
    return { kind: 'status', status: 404 };
  }
  return resolveMiss(phases.get('miss') ?? [], path, fs, method);
}

function resolveMiss(routes: readonly OutputRoute[], path: string, fs: OutputFilesystem, method: string): Resolution {
  for (const route of routes) {
    const match = matchRoute(route, path, method);
    if (!match || route.dest === undefined) continue;
    const found = lookup(substitute(route.dest, match), fs);
    if (found) return found;
  }
  return { kind: 'status', status: 404 };
}

function splitPhases(routes: readonly OutputRoute[]): Map<string | null, OutputRoute[]> {
  const phases = new Map<string | null, OutputRoute[]>([[null, []]]);
  let phase: string | null = null;
  for (const route of routes) {
    if (route.handle !== undefined) {
      phase = route.handle;
      if (!phases.has(phase)) phases.set(phase, []);
      continue;
    }
    phases.get(phase)?.push(route);
  }
  return phases;
}

function matchRoute(route: OutputRoute, path: string, method: string): RegExpExecArray | null {
  if (route.src === undefined) return null;
  if (route.methods && !route.methods.includes(method)) return null;
  // `src` is matched against the whole pathname, as Vercel does.
  return new RegExp(`^(?:${route.src})$`).exec(path);
}

/** `$1` and `$name` in `dest` become the match's groups. */
function substitute(dest: string, match: RegExpExecArray): string {
  return dest.replace(/\$(\d+|[A-Za-z_]\w*)/g, (whole, ref: string) =>
    /^\d+$/.test(ref) ? (match[Number(ref)] ?? '') : (match.groups?.[ref] ?? whole),
  );
}

function lookup(path: string, fs: OutputFilesystem): Resolution | undefined {
  const name = fs.functionAt(path);
  if (name !== undefined) return { kind: 'function', name };
  const file = fs.staticAt(path);
  return file === undefined ? undefined : { kind: 'static', file };
}
