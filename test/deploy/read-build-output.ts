import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { OutputFilesystem, OutputRoute } from './resolve-route';

export interface BuiltFunction {
  /** Path under `functions/` without `.func`, e.g. `api/index`. */
  name: string;
  dir: string;
  vcConfig: Record<string, unknown>;
  /** Every file in the function, relative to `dir`. */
  files: string[];
}

export interface BuildOutput {
  dir: string;
  config: { version?: unknown; routes?: OutputRoute[] } & Record<string, unknown>;
  functions: BuiltFunction[];
  /** Files under `static/`, relative to it. */
  staticFiles: string[];
  fs: OutputFilesystem;
}

/** Reads `.vercel/output` (the Build Output API v3 layout) into plain data. */
export function readBuildOutput(dir: string): BuildOutput {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as BuildOutput['config'];
  const functionsDir = join(dir, 'functions');
  const functions = existsSync(functionsDir)
    ? findFuncDirs(functionsDir).map((funcDir) => ({
        name: toPosix(relative(functionsDir, funcDir)).replace(/\.func$/, ''),
        dir: funcDir,
        vcConfig: JSON.parse(readFileSync(join(funcDir, '.vc-config.json'), 'utf8')) as Record<string, unknown>,
        files: listFiles(funcDir),
      }))
    : [];
  const staticDir = join(dir, 'static');
  const staticFiles = existsSync(staticDir) ? listFiles(staticDir) : [];
  const staticSet = new Set(staticFiles);
  const functionNames = new Set(functions.map((fn) => fn.name));

  const fs: OutputFilesystem = {
    functionAt: (path) => {
      const name = decode(path).replace(/^\/+/, '').replace(/\/+$/, '');
      return functionNames.has(name) ? name : undefined;
    },
    staticAt: (path) => {
      const name = decode(path).replace(/^\/+/, '');
      const candidates = name === '' || name.endsWith('/') ? [`${name}index.html`] : [name, `${name}/index.html`];
      return candidates.find((candidate) => staticSet.has(candidate));
    },
  };
  return { dir, config, functions, staticFiles, fs };
}

function findFuncDirs(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name.endsWith('.func') && (entry.isDirectory() || statSync(path).isDirectory())) found.push(path);
    else if (entry.isDirectory()) found.push(...findFuncDirs(path));
  }
  return found;
}

function listFiles(root: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(root, path));
    else files.push(path);
  }
  return files;
}

function decode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
