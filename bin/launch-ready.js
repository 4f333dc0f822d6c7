#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm ci builds dist/ through the prepare script).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered before loading the CLI: scripts call this often and it should cost no more than node itself.
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');
  process.exitCode = await main(args, { stdout: process.stdout, stderr: process.stderr, env: process.env }, process.cwd());
}
