// `launch-ready budget`: the error budget from the watch history, as a table, JSON or a self-contained HTML page.
// Exit 1 when any monitor has spent its budget (cron and CI gate on it), 0 otherwise, 2 for a missing, empty or
// damaged history.
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { BudgetFlags } from '../run/flags.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { Streams } from './output.js';

export async function budgetCommand(flags: BudgetFlags, streams: Streams, cwd: string): Promise<number> {
  let loaded: LoadedConfig | undefined;
  try {
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    const { runBudget } = await import('../run/budget.js');
    const report = await runBudget({ loaded, flags, cwd, warn: (line) => streams.stderr.write(`${line}\n`) });
    const { renderBudgetHtml, renderBudgetJson, renderBudgetTable } = await import('../report/budget.js');
    const render = flags.format === 'json' ? renderBudgetJson : flags.format === 'html' ? renderBudgetHtml : renderBudgetTable;
    streams.stdout.write(render(report));
    return report.monitors.some((m) => m.spent) ? EXIT.noGo : EXIT.go;
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  }
}
