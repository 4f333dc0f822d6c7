// The front door of `budget`: finds the watch history (next to the config by default), reads it and its rotated
// files, and computes the error budget. Damage is never guessed around: only a torn last line (a crash mid-write)
// is skipped, and said; any other bad line, an empty history or one with nothing in the window is a usage error.
import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { KnownError, UsageError } from '../errors.js';
import { computeBudget, type BudgetReport } from '../watch/budget.js';
import { HistoryFormatError, parseHistory, type HistoryRecord } from '../watch/history.js';
import type { BudgetFlags } from './flags.js';
import { defaultHistoryFile } from './watch.js';

/** A history that cannot be read as one: exit 2, with the file and line. */
export class HistoryError extends KnownError {
  override name = 'HistoryError';
}

export interface BudgetRequest {
  loaded: LoadedConfig;
  flags: BudgetFlags;
  cwd: string;
  warn: (line: string) => void;
  now?: number;
}

export async function runBudget(req: BudgetRequest): Promise<BudgetReport> {
  const file = req.flags.history ? resolve(req.cwd, req.flags.history) : defaultHistoryFile(req.loaded, req.cwd);
  const { readHistoryFiles } = await import('../collect/history.js');
  const files = await readHistoryFiles(file);
  if (files.length === 0) {
    throw new UsageError(`no watch history at ${file}: \`launch-ready watch\` writes one there as it runs (or pass --history <file>)`);
  }
  const records: HistoryRecord[] = [];
  for (const f of files) {
    try {
      const parsed = parseHistory(f.text);
      // Not push(...records): a month of history is more arguments than a call can take.
      for (const r of parsed.records) records.push(r);
      if (parsed.tornTail) req.warn(`${f.file}: skipped its last line, cut short by an interrupted write`);
    } catch (err) {
      if (err instanceof HistoryFormatError) {
        throw new HistoryError(`${f.file} is damaged at ${err.message}; a budget computed around it would be a guess (move the bad lines out, or start a new history)`);
      }
      throw err;
    }
  }
  if (records.length === 0) throw new HistoryError(`the watch history ${file} is empty: nothing has been recorded yet`);
  const until = req.flags.until ?? req.now ?? Date.now();
  const report = computeBudget(records, { slo: req.flags.slo, windowMs: req.flags.window, until });
  if (report.monitors.length === 0) {
    const last = records.reduce((a, r) => (r.time > a ? r.time : a), '');
    throw new HistoryError(`no probe in ${file} falls in the window (${report.from} → ${report.until}); the latest is from ${last}`);
  }
  return report;
}
