// The repository source: the run's repository (--repo, repo.path, or the one the command runs in) read for host
// names in its deploy and config files. Git lists the files (tracked and untracked-but-not-ignored); the files that
// say most about hosts are read first, each under a size cap, at most MAX_REPO_FILES of them.
import type { Candidate } from './dns-data.js';
import { forEachLimited, listTree, readTreeFile, workTreeRoot } from '../git/files.js';
import { KIND_ORDER, repoFileKind, repoFileNames, type RepoFileKind } from './repo-names.js';

/** Files read at most; past it the rest are counted in the errors. */
export const MAX_REPO_FILES = 1000;
/** Bytes read per file, at most; larger files are skipped (and counted). */
export const MAX_REPO_FILE_BYTES = 256 * 1024;
/** Names taken from the repository, at most. */
export const MAX_REPO_NAMES = 2000;

export interface RepositoryNames {
  candidates: Candidate[];
  /** Files read. */
  files: number;
  errors: string[];
}

export async function repositoryCandidates(dir: string, domains: readonly string[], signal?: AbortSignal): Promise<RepositoryNames> {
  const errors: string[] = [];
  let root: string;
  let listed: { path: string; kind: RepoFileKind }[];
  try {
    root = await workTreeRoot(dir, signal);
    listed = (await listTree(root, signal)).flatMap((f) => {
      const kind = repoFileKind(f.path);
      return kind ? [{ path: f.path, kind }] : [];
    });
  } catch (err) {
    return { candidates: [], files: 0, errors: [`repository: ${(err as Error).message.slice(0, 200)}`] };
  }
  listed.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.path.localeCompare(b.path));
  if (listed.length > MAX_REPO_FILES) errors.push(`repository: ${listed.length} config files, only the first ${MAX_REPO_FILES} read`);
  const files = listed.slice(0, MAX_REPO_FILES);
  const candidates: Candidate[] = [];
  const tooLarge: string[] = [];
  const unreadable: string[] = [];
  await forEachLimited(files, 8, async ({ path, kind }) => {
    if (candidates.length >= MAX_REPO_NAMES) return;
    const r = await readTreeFile(root, path, MAX_REPO_FILE_BYTES);
    if (r.status === 'too-large') { tooLarge.push(path); return; }
    if (r.status === 'unreadable') { unreadable.push(path); return; }
    if (r.status !== 'ok' || r.data.includes(0)) return;
    for (const { name, line } of repoFileNames(kind, r.data.toString('utf8'), domains)) {
      if (candidates.length < MAX_REPO_NAMES) candidates.push({ name, via: { source: 'repository', from: `${path}:${line}` } });
    }
  }, signal);
  if (tooLarge.length) errors.push(`repository: ${tooLarge.length} file${tooLarge.length === 1 ? '' : 's'} over ${MAX_REPO_FILE_BYTES / 1024} KiB not read (${tooLarge.slice(0, 3).join(', ')}${tooLarge.length > 3 ? ', ...' : ''})`);
  if (unreadable.length) errors.push(`repository: ${unreadable.length} file${unreadable.length === 1 ? '' : 's'} unreadable (${unreadable.slice(0, 3).join(', ')}${unreadable.length > 3 ? ', ...' : ''})`);
  if (candidates.length >= MAX_REPO_NAMES) errors.push(`repository: names cut at ${MAX_REPO_NAMES}`);
  // Files are read side by side: the candidates come in path order whatever finished first.
  candidates.sort((a, b) => a.via.from!.localeCompare(b.via.from!, undefined, { numeric: true }));
  return { candidates, files: files.length - tooLarge.length - unreadable.length, errors };
}
