// `launch-ready diff <before.json> <after.json>`: what changed between two audits.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diffReports, renderDiff } from '../report/diff.js';
import type { Report } from '../types.js';
import { UsageError } from '../errors.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

async function readReport(file: string, cwd: string): Promise<Report> {
  let parsed: Report;
  try {
    parsed = JSON.parse(await readFile(resolve(cwd, file), 'utf8')) as Report;
  } catch (err) {
    throw new UsageError(`${file}: cannot read a JSON report (${(err as Error).message})`);
  }
  if (parsed?.schemaVersion !== 1 || !Array.isArray(parsed.findings) || !Array.isArray(parsed.checks)) {
    throw new UsageError(`${file}: not a launch-ready JSON report (make one with audit --format json --output ${file})`);
  }
  return parsed;
}

/** Exit 1 when the later report has new findings at or above its fail-on severity, so CI can gate on regressions. */
export async function diffCommand(before: string, after: string, flags: { format: string }, streams: Streams, cwd: string): Promise<number> {
  try {
    const d = diffReports(await readReport(before, cwd), await readReport(after, cwd));
    streams.stdout.write(flags.format === 'json' ? `${JSON.stringify(d, null, 2)}\n` : renderDiff(d, flags.format === 'markdown' ? 'markdown' : 'text'));
    return d.newBlocking > 0 ? EXIT.noGo : EXIT.go;
  } catch (err) {
    return reportError(err, streams);
  }
}
