// Finds the git repository to scan: the nearest folder at or above a directory that holds .git.
import { existsSync } from 'node:fs';
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
