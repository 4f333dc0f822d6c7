// Runs the real CLI (bin/launch-ready.js over dist/) as a child process, the way a user or a CI job does.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export const BIN = join(import.meta.dirname, '../../bin/launch-ready.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? process.cwd(),
      // Loopback-only stays on (set in test/setup.ts): the CLI refuses any other destination.
      env: { ...process.env, CI: 'true', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`CLI did not finish in ${opts.timeoutMs ?? 15000} ms: ${args.join(' ')}\n${stderr}`)); }, opts.timeoutMs ?? 15000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** A writable that keeps what was written, as a string (stdout/stderr of in-process runs). */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void { this.text += chunk.toString(); cb(); }
}

/** Runs main() in this process (for tests that watch what the process does, e.g. which modules it calls). */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, env: { ...process.env, CI: 'true', ...env } }, cwd);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
