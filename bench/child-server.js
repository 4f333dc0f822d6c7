// A benchmark's server in its own process (so the load generator and the server do not share one event loop):
// runs the given script with `node -e`, which prints its port on its first line of output.
import { spawn } from 'node:child_process';

/** Starts `script` in a child Node process; resolves with the child and the port it printed. */
export function startServer(script) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', (d) => resolve({ child, port: Number(String(d).trim()) }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`benchmark server exited (${code}) before printing its port`)));
  });
}
