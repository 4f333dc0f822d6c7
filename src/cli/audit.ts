// `launch-ready audit`: loads config, merges flags, runs the audit, writes the report, maps the verdict to an exit code.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { allChecks } from '../checks/index.js';
import { findGitRoot } from '../collect/git.js';
import { prepareNetwork } from '../collect/setup.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { buildTarget } from '../config/target.js';
import { renderJson } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { runAudit, selectChecks, UsageError, type RunEvent } from '../run.js';
import type { Report, Severity } from '../types.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { AuditFlags } from './main.js';
import { TOOL } from './main.js';
import { Progress, useColor, wantsProgress, type Streams } from './output.js';

export const DEFAULT_TIMEOUT_MS = 5000;

export function exitCodeFor(report: Report): number {
  return report.verdict === 'go' ? EXIT.go : report.verdict === 'no-go' ? EXIT.noGo : EXIT.incomplete;
}

export interface RenderOptions {
  format: string;
  output?: string;
  color?: boolean;
  quiet?: boolean;
}

/** Renders, redacts and writes the report: stdout carries only the report. */
export async function writeReport(report: Report, flags: RenderOptions, streams: Streams, cwd: string, loaded?: LoadedConfig): Promise<void> {
  const toFile = Boolean(flags.output);
  const text = flags.format === 'json'
    ? renderJson(report)
    : renderTable(report, {
        color: !toFile && useColor(streams.stdout, streams.env, flags.color),
        width: Math.max(60, Math.min(streams.stdout.columns ?? 100, 160)),
      });
  const safe = loaded ? loaded.redactor.redact(text) : text;
  if (flags.output) {
    await writeFile(resolve(cwd, flags.output), safe);
    if (!flags.quiet) streams.stderr.write(`${report.verdict.toUpperCase()}: report written to ${flags.output}\n`);
  } else {
    streams.stdout.write(safe);
  }
}

function progressText(e: RunEvent, state: { collecting: Set<string>; done: number; total: number }): string {
  if (e.type === 'collect-start') state.collecting.add(e.key);
  if (e.type === 'collect-end') state.collecting.delete(e.key);
  if (e.type === 'check-end') { state.done = e.done; state.total = e.total; }
  const collecting = [...state.collecting].join(', ');
  return `launch-ready: ${state.done}/${state.total} checks done${collecting ? ` · collecting ${collecting}` : ''}`;
}

/** Runs an audit from a loaded config and the audit flags; shared by `audit` and `demo`. */
export async function auditWith(loaded: LoadedConfig, domains: readonly string[], flags: AuditFlags, streams: Streams, cwd?: string): Promise<Report> {
  const { config } = loaded;
  const target = buildTarget(config, domains, new Date(), loaded.file);
  if (target.domains.length === 0) {
    throw new UsageError('no domain to audit: run `launch-ready audit example.com`, or list domains in the config (`launch-ready init example.com`)');
  }
  const checks = selectChecks(allChecks, flags.only.length ? flags.only : config.only, flags.skip.length ? flags.skip : config.skip);
  const failOn = (flags.failOn ?? config.failOn ?? 'high') as Severity;
  const net = await prepareNetwork({
    resolver: flags.resolver ?? config.network?.resolver,
    // Command-line rules come first: the first matching rule wins.
    connectTo: [...flags.connectTo, ...(config.network?.connectTo ?? [])],
    timeoutMs: flags.timeout ?? config.network?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    concurrency: flags.concurrency,
  });
  if (net.servers.length === 0) {
    throw new UsageError('no DNS server found in /etc/resolv.conf: pass --resolver <ip[:port]>');
  }
  const progress = new Progress(streams.stderr, wantsProgress(streams, Boolean(flags.quiet)));
  const state = { collecting: new Set<string>(), done: 0, total: checks.length };
  // --repo, then the config, then the repository the command runs in (none for the demo).
  const repo = flags.repo ?? config.repo?.path ?? (cwd ? findGitRoot(cwd) : undefined);
  try {
    return await runAudit({
      checks,
      target,
      failOn,
      context: net.context,
      deadlineMs: flags.deadline,
      tool: TOOL,
      reportTarget: {
        domains: target.domains.map((d) => d.name),
        hosts: target.domains.flatMap((d) => d.hosts.map((h) => h.name)),
        ...(loaded.file ? { config: loaded.file } : {}),
        ...(repo ? { repo } : {}),
      },
      onEvent: (e) => progress.update(progressText(e, state)),
    });
  } finally {
    progress.clear();
  }
}

export async function auditCommand(domains: string[], flags: AuditFlags, streams: Streams, cwd: string): Promise<number> {
  let loaded: LoadedConfig | undefined;
  try {
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    const report = await auditWith(loaded, domains, flags, streams, cwd);
    await writeReport(report, flags, streams, cwd, loaded);
    return exitCodeFor(report);
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  }
}
