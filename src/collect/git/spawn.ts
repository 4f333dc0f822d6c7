// Runs git safely over a repository we do not trust: no pager, no external diff or textconv drivers, no fsmonitor
// hook, killed when the run's deadline passes, and with bounded output for commands whose output we buffer.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { onAbort } from '../abort.js';

// Repository config can name programs git would run (fsmonitor, diff drivers); reading a repo must run none of them.
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off', '-c', 'core.pager=cat'];

export class GitError extends Error {
  override name = 'GitError';
}

export function spawnGit(repo: string, args: readonly string[], signal?: AbortSignal): ChildProcessWithoutNullStreams {
  const child = spawn('git', [...SAFE_CONFIG, ...args], {
    cwd: repo,
    env: { ...process.env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // git may exit before reading its input (a failing command): that is its exit status's business, not a crash.
  child.stdin.on('error', () => {});
  if (signal) {
    if (signal.aborted) child.kill('SIGKILL');
    else {
      // One listener per signal however many git processes run on it (a history scan starts several at once).
      const stopWaiting = onAbort(signal, () => child.kill('SIGKILL'));
      child.once('close', stopWaiting);
    }
  }
  return child;
}

/** git may echo a remote URL with its token (https://user:token@host): an error message must not carry it. */
export function scrubUrlCredentials(text: string): string {
  return text.replace(/(\/\/[^:/@\s]*):[^@\s]+@/g, '$1:[redacted]@');
}

/** Waits for a spawned git to exit; rejects with its stderr (first lines) on failure. */
export function gitExit(child: ChildProcessWithoutNullStreams, args: readonly string[]): Promise<void> {
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { if (stderr.length < 4000) stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(new GitError(err.code === 'ENOENT' ? 'git is not installed (needed to scan the repository and its history)' : `git ${args[0]}: ${err.message}`));
    });
    child.once('close', (code, sig) => {
      if (code === 0) resolve();
      else reject(new GitError(`git ${args[0]} failed (${sig ?? `exit ${code}`}): ${scrubUrlCredentials(stderr.trim().split('\n').slice(0, 3).join(' '))}`));
    });
  });
}

/** Runs git and returns stdout as a Buffer, refusing output larger than maxBytes. */
export async function gitOutput(repo: string, args: readonly string[], opts: { signal?: AbortSignal; maxBytes?: number; input?: string } = {}): Promise<Buffer> {
  const child = spawnGit(repo, args, opts.signal);
  const max = opts.maxBytes ?? 64 * 1024 * 1024;
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  child.stdout.on('data', (d: Buffer) => {
    size += d.length;
    if (size > max) { tooBig = true; child.kill('SIGKILL'); return; }
    chunks.push(d);
  });
  child.stdin.end(opts.input ?? '');
  try {
    await gitExit(child, args);
  } catch (err) {
    if (tooBig) throw new GitError(`git ${args[0]} printed more than ${max} bytes`);
    throw err;
  }
  return Buffer.concat(chunks);
}

/** NUL-separated git output (ls-files -z) as a list. */
export function splitZ(buf: Buffer): string[] {
  return buf.toString('utf8').split('\0').filter(Boolean);
}
