import { execFile } from 'node:child_process';
import { cp, link, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const EXCLUDED = ['node_modules', '.git', '.vercel'];

/**
 * Copies what a clone of the repository would hold, with the working tree's edits: tracked files plus
 * untracked ones that .gitignore does not exclude. Outside a git checkout, the whole tree is copied.
 */
export async function copyRepository(from: string, to: string): Promise<number> {
  const files = await listFiles(from);
  for (const file of files) {
    const source = join(from, file);
    const stat = await lstat(source).catch(() => undefined);
    if (!stat) continue; // deleted in the working tree, not yet in the index
    await mkdir(dirname(join(to, file)), { recursive: true });
    await cp(source, join(to, file), { verbatimSymlinks: true });
  }
  return files.length;
}

/**
 * Gives the copy its own node_modules made of hard links (fast, no network). Not a symlink: Vercel's file
 * tracer follows a symlinked node_modules out of the project and then leaves the dependencies out of the
 * function. Falls back to a real copy across file systems.
 */
export async function linkNodeModules(from: string, to: string): Promise<void> {
  try {
    await hardLinkTree(join(from, 'node_modules'), join(to, 'node_modules'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(join(from, 'node_modules'), join(to, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  }
}

async function listFiles(root: string): Promise<string[]> {
  try {
    const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    return [...new Set(stdout.split('\0').filter(Boolean))].filter(
      (file) => !EXCLUDED.some((name) => file === name || file.startsWith(`${name}/`)),
    );
  } catch {
    return walk(root, '');
  }
}

async function walk(root: string, prefix: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (EXCLUDED.includes(entry.name)) continue;
    if (entry.isDirectory()) files.push(...(await walk(root, path)));
    else files.push(path);
  }
  return files;
}

async function hardLinkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await hardLinkTree(source, target);
    else if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else await link(source, target);
  }
}
