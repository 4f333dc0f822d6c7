// The working tree as git sees it: tracked files plus untracked files that .gitignore does not exclude, read with
// a size cap and a small number of reads in flight, so memory stays bounded on any repository.
import { lstat, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GitError, gitOutput, splitZ } from './spawn.js';

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface TreeFile {
  path: string;
  tracked: boolean;
}

/**
 * The top folder of the work tree that holds `dir` (so tree paths and history paths agree even when --repo names a
 * subfolder). Throws with git's own words when it is not a repository, git cannot read it, or git is missing.
 */
export async function workTreeRoot(dir: string, signal?: AbortSignal): Promise<string> {
  // Checked first: spawning in a missing folder fails like a missing git binary (ENOENT).
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new GitError(`${dir} is not a folder: pass --repo <dir> of a git repository`);
  try {
    const out = await gitOutput(dir, ['rev-parse', '--show-toplevel'], { ...(signal ? { signal } : {}) });
    return out.toString('utf8').trim() || dir;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/not installed/.test(message)) throw err;
    throw new GitError(`${dir} is not a git repository that git can read (${message.replace(/^git rev-parse failed \([^)]*\): /, '')})`);
  }
}

export async function listTree(repo: string, signal?: AbortSignal): Promise<TreeFile[]> {
  const opts = signal ? { signal } : {};
  const [tracked, untracked] = await Promise.all([
    gitOutput(repo, ['ls-files', '-z', '--cached'], { ...opts, maxBytes: 512 * 1024 * 1024 }),
    gitOutput(repo, ['ls-files', '-z', '--others', '--exclude-standard'], { ...opts, maxBytes: 512 * 1024 * 1024 }),
  ]);
  const seen = new Set<string>();
  const files: TreeFile[] = [];
  for (const path of splitZ(tracked)) if (!seen.has(path)) { seen.add(path); files.push({ path, tracked: true }); }
  for (const path of splitZ(untracked)) if (!seen.has(path)) { seen.add(path); files.push({ path, tracked: false }); }
  return files;
}

export type FileRead =
  | { status: 'ok'; data: Buffer }
  | { status: 'too-large'; size: number }
  | { status: 'unreadable' }
  | { status: 'absent' };

/** Reads one working-tree file if it is a regular file under the cap (symlinks are not followed out of the repo). */
export async function readTreeFile(repo: string, path: string, maxBytes: number): Promise<FileRead> {
  const full = join(repo, path);
  try {
    const st = await lstat(full);
    if (!st.isFile()) return { status: 'absent' };
    if (st.size > maxBytes) return { status: 'too-large', size: st.size };
    return { status: 'ok', data: await readFile(full) };
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { status: 'absent' } : { status: 'unreadable' };
  }
}

/** Runs `fn` over items with at most `limit` in flight; stops starting new ones once the signal aborts. */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
