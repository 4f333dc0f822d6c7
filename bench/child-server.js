// A benchmark's server in its own process (so the load generator and the server do not share one event loop):
// runs the given script with `node -e`, which prints its port on its first line of output.
import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Where the machine allows (Linux taskset, two CPUs or more): the server on CPU 1 and this process, every thread of
 * it, on CPU 0, so the two never take turns on one CPU and a ratio measures the client, not the scheduler.
 */
export function pinApart() {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts `script` in a child Node process (on CPU 1 when `pinned`); resolves with the child and the port it printed. */
export function startServer(script, { pinned = false } = {}) {
  return new Promise((resolve, reject) => {
    const [cmd, args] = pinned ? ['taskset', ['-c', '1', process.execPath, '-e', script]] : [process.execPath, ['-e', script]];
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', (d) => resolve({ child, port: Number(String(d).trim()) }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`benchmark server exited (${code}) before printing its port`)));
  });
}
