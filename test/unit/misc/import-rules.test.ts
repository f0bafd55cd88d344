import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layout's rules, read from the import graph of `src/` (docs/README.en.md, "Project structure"):
 * - a client surface never imports another surface (each is a thin adapter over the shared core);
 * - the shared core (`gemini`, `media`, `keys`, `upstream`, `http`) imports no surface;
 * - nothing but the local server (`src/local`) imports Node's modules: the rest runs on Vercel Edge;
 * - zod is used through its public entry points (`zod`, `zod/mini`), never its internals (`zod/v4/core`).
 */

const SRC = fileURLToPath(new URL('../../../src', import.meta.url));

/** Client surfaces; the OpenAI one is split by endpoint, and its endpoints share only `src/openai/*.ts`. */
const SURFACES = ['openai', 'anthropic', 'responses', 'native'] as const;
const CORE = ['gemini', 'media', 'keys', 'upstream', 'http'] as const;
const NODE_BUILTINS = new Set([
  'fs',
  'path',
  'http',
  'https',
  'net',
  'url',
  'stream',
  'os',
  'crypto',
  'child_process',
  'util',
  'events',
  'buffer',
  'zlib',
]);

interface Edge {
  from: string;
  /** A path under src/ for relative imports, else the package specifier. */
  to: string;
  external: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every static `import … from '…'` / `export … from '…'` and `import('…')` specifier of a file. */
function specifiers(code: string): string[] {
  const found: string[] = [];
  for (const match of code.matchAll(
    /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
  )) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier) found.push(specifier);
  }
  return found;
}

function edges(): Edge[] {
  return sourceFiles(SRC).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).map((specifier) => ({
      from: relative(SRC, file),
      to: specifier.startsWith('.') ? relative(SRC, resolve(dirname(file), specifier)) : specifier,
      external: !specifier.startsWith('.'),
    })),
  );
}

/** `openai/chat`, `openai` (shared OpenAI files), `anthropic`, … or undefined when not in a surface. */
function surfaceOf(path: string): string | undefined {
  const [top, sub, ...rest] = path.split('/');
  if (!top || !(SURFACES as readonly string[]).includes(top)) return undefined;
  return top === 'openai' && rest.length > 0 ? `openai/${sub}` : top;
}

const isNodeModule = (specifier: string) =>
  specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0] ?? '');

describe('import rules of src/', () => {
  const graph = edges();

  it('reads a real graph', () => {
    expect(graph.length).toBeGreaterThan(100);
    expect(graph.some((edge) => edge.from.startsWith('gemini/'))).toBe(true);
  });

  it('no surface imports another surface', () => {
    const crossings = graph.filter(({ from, to, external }) => {
      if (external) return false;
      const source = surfaceOf(from);
      const target = surfaceOf(to);
      if (source === undefined || target === undefined || source === target) return false;
      // A surface's index.ts is its entry: it names what the gateway routes to, its own endpoints.
      if (from === `${source}/index.ts` && target.startsWith(`${source}/`)) return false;
      // An OpenAI endpoint may use what the OpenAI endpoints share.
      return !(target === 'openai' && source.startsWith('openai/'));
    });
    expect(crossings).toEqual([]);
  });

  it('the shared core imports no surface', () => {
    const upward = graph.filter(
      ({ from, to, external }) =>
        !external && (CORE as readonly string[]).includes(from.split('/')[0] ?? '') && surfaceOf(to) !== undefined,
    );
    expect(upward).toEqual([]);
  });

  it("only the local server imports Node's modules", () => {
    const nodeImports = graph.filter(
      ({ from, to, external }) => external && !from.startsWith('local/') && isNodeModule(to),
    );
    expect(nodeImports).toEqual([]);
  });

  it('zod only through its public entry points', () => {
    const internal = graph.filter(
      ({ to, external }) =>
        external &&
        (to === 'zod/v4/core' || to.startsWith('zod/v4/core/') || to === 'zod/v4' || to.startsWith('zod/v3')),
    );
    expect(internal).toEqual([]);
  });
});
