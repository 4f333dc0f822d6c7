// Finds the git repository to scan: the nearest folder at or above a directory that holds .git.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export function findGitRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** What a --repo path is: a folder to scan, or why it cannot be (missing, a file, a bare repository). */
export function repoPathProblem(dir: string): 'missing' | 'file' | 'bare' | undefined {
  let st;
  try { st = statSync(dir); } catch { return 'missing'; }
  if (!st.isDirectory()) return 'file';
  // A bare repository has HEAD, objects and refs at its top and no working tree to scan.
  if (!existsSync(join(dir, '.git')) && existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')) && existsSync(join(dir, 'refs'))) return 'bare';
  return undefined;
}
