#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm ci builds dist/ through the prepare script).
import { readFileSync } from 'node:fs';

// A reader that goes away (`| head`) is not a failure of ours: the rest of the output is dropped quietly and the
// exit code stays the verdict's. Any other stream error (a full disk behind a redirect) loses the report: said
// once, without a stack trace, exit 4.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') return;
    if (stream === process.stdout) {
      try { process.stderr.write(`launch-ready failed: could not write to stdout (${err.code ?? err.message}): the report is lost\n`); } catch { /* stderr is gone too */ }
    }
    process.exit(4);
  });
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered before loading the CLI: scripts call this often and it should cost no more than node itself.
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(args, { stdout: process.stdout, stderr: process.stderr, env: process.env }, process.cwd());
}
