// `launch-ready audit`: loads config, merges flags, runs the audit, writes the report, maps the verdict to an exit code.
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { allChecks } from '../checks/index.js';
import { findGitRoot } from '../collect/git.js';
import { loadFacts, saveFacts } from '../collect/facts-store.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { buildTarget, isProductionEnvironment } from '../config/target.js';
import { renderJson } from '../report/json.js';
import { renderHtml } from '../report/html.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { renderTable } from '../report/table.js';
import { runAudit, selectChecks, UsageError, type RunEvent } from '../run.js';
import type { Report, Severity } from '../types.js';
import type { FactKey, TargetFacts } from '../facts/index.js';
import { reportError } from './errors.js';
import { networkFor } from './network.js';
import { EXIT } from './exit-codes.js';
import type { AuditFlags } from './main.js';
import { TOOL } from './main.js';
import { Progress, useColor, wantsProgress, type Streams } from './output.js';

export { DEFAULT_TIMEOUT_MS } from './network.js';

export function exitCodeFor(report: Report): number {
  return report.verdict === 'go' ? EXIT.go : report.verdict === 'no-go' ? EXIT.noGo : EXIT.incomplete;
}

export const FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];
const EXTENSION: Record<Format, string> = { table: 'txt', json: 'json', sarif: 'sarif', junit: 'junit.xml', markdown: 'md', html: 'html' };

export interface RenderOptions {
  /** One format or a comma-separated list. */
  format: string;
  /** `file` (one format) or `format=file`, repeatable. */
  output?: string | string[];
  outputDir?: string;
  color?: boolean;
  quiet?: boolean;
}

export function parseFormats(spec: string): Format[] {
  const list = spec.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = list.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (bad.length || list.length === 0) {
    throw new UsageError(`unknown format "${bad.join(', ') || spec}": choose from ${FORMATS.join(', ')} (several: --format json,sarif)`);
  }
  return [...new Set(list)] as Format[];
}

/** Where each format goes: a file, or stdout (at most one format). */
export function planOutputs(formats: Format[], output: string | string[] | undefined, outputDir: string | undefined): Map<Format, string | undefined> {
  const plan = new Map<Format, string | undefined>();
  const outputs = output === undefined ? [] : Array.isArray(output) ? output : [output];
  const named = new Map<string, string>();
  const plain: string[] = [];
  for (const o of outputs) {
    const m = /^([a-z]+)=(.+)$/.exec(o);
    if (m && (FORMATS as readonly string[]).includes(m[1]!)) named.set(m[1]!, m[2]!);
    else plain.push(o);
  }
  if (plain.length > 1 || (plain.length === 1 && formats.length > 1)) {
    throw new UsageError('with several formats, name each output: --output json=report.json --output sarif=report.sarif (or use --output-dir)');
  }
  for (const f of formats) plan.set(f, named.get(f) ?? (plain.length ? plain[0] : outputDir ? `${outputDir}/launch-ready.${EXTENSION[f]}` : undefined));
  for (const f of named.keys()) if (!formats.includes(f as Format)) throw new UsageError(`--output ${f}=... names a format not in --format ${formats.join(',')}`);
  const toStdout = formats.filter((f) => plan.get(f) === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(`${toStdout.join(' and ')} cannot both go to stdout: add --output-dir <dir> or --output <format>=<file>`);
  }
  return plan;
}

export function render(report: Report, format: Format, opts: { color: boolean; width: number }): string {
  switch (format) {
    case 'json': return renderJson(report);
    case 'sarif': return renderSarif(report);
    case 'junit': return renderJunit(report);
    case 'markdown': return renderMarkdown(report);
    case 'html': return renderHtml(report);
    case 'table': return renderTable(report, opts);
  }
}

/** Renders, redacts and writes the report in every asked format: stdout carries only the report. */
export async function writeReport(report: Report, flags: RenderOptions, streams: Streams, cwd: string, loaded?: LoadedConfig): Promise<void> {
  const plan = planOutputs(parseFormats(flags.format), flags.output, flags.outputDir);
  const width = Math.max(60, Math.min(streams.stdout.columns ?? 100, 160));
  for (const [format, file] of plan) {
    const text = render(report, format, { color: !file && useColor(streams.stdout, streams.env, flags.color), width });
    const safe = loaded ? loaded.redactor.redact(text) : text;
    if (file) {
      const path = resolve(cwd, file);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, safe);
      if (!flags.quiet) streams.stderr.write(`${report.verdict.toUpperCase()}: ${format} report written to ${file}\n`);
    } else {
      streams.stdout.write(safe);
    }
  }
  // In GitHub Actions the Markdown summary lands on the run's page without any extra step.
  const summary = streams.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    const md = renderMarkdown(report);
    await appendFile(summary, `${loaded ? loaded.redactor.redact(md) : md}\n`);
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
/** Facts about domains and their hosts: checks that need them have nothing to do without a domain. */
const DOMAIN_FACTS = /^(dns|tls|http|email)\./;

async function readBaseline(file: string, cwd: string): Promise<{ file: string; fingerprints: Set<string> }> {
  let parsed: { findings?: { fingerprint?: unknown }[] };
  try {
    parsed = JSON.parse(await readFile(resolve(cwd, file), 'utf8')) as typeof parsed;
  } catch (err) {
    throw new UsageError(`--baseline ${file}: cannot read a JSON report from it (${(err as Error).message}). Make one with --format json --output ${file}`);
  }
  if (!Array.isArray(parsed.findings)) throw new UsageError(`--baseline ${file}: not a launch-ready JSON report (no findings array)`);
  return { file, fingerprints: new Set(parsed.findings.map((f) => f.fingerprint).filter((x): x is string => typeof x === 'string')) };
}

/** Runs an audit from a loaded config and the audit flags; shared by `audit` and `demo`. */
export async function auditWith(
  loaded: LoadedConfig, domains: readonly string[], flags: AuditFlags, streams: Streams, cwd?: string,
  /** Receives every collected fact once the run has them (the handover builds its map from them). */
  capture?: (facts: Partial<Record<FactKey, unknown>>) => void,
): Promise<Report> {
  const { config } = loaded;
  const here = cwd ?? process.cwd();
  const recorded = flags.fromFacts ? await loadFacts(resolve(here, flags.fromFacts)) : undefined;
  // A replay audits exactly what was recorded, at the recorded time, so its findings match the original run.
  const target: TargetFacts = recorded ? (recorded.facts.target as TargetFacts) : buildTarget(config, domains, new Date(), loaded.file);
  // --load is opt-in: without it the load.ramp collector sends nothing.
  if (flags.load && !recorded) target.load = await (await import('./load.js')).auditLoadOptions(flags, config);
  const checks = selectChecks(allChecks, flags.only.length ? flags.only : config.only, flags.skip.length ? flags.skip : config.skip);
  const failOn = (flags.failOn ?? config.failOn ?? 'high') as Severity;
  const net = await networkFor(flags, loaded, here, flags.concurrency, { offline: Boolean(recorded) });
  const baseline = flags.baseline ? await readBaseline(flags.baseline, here) : undefined;
  const progress = new Progress(streams.stderr, wantsProgress(streams, Boolean(flags.quiet)));
  const state = { collecting: new Set<string>(), done: 0, total: checks.length };
  // --repo, then the config, then the repository the command runs in (none for the demo).
  const repo = flags.repo ?? config.repo?.path ?? (cwd ? findGitRoot(cwd) : undefined);
  if (repo && !recorded) {
    // A relative --repo is from the working directory; a relative repo.path is from the config file.
    const base = flags.repo || !loaded.file ? here : dirname(resolve(here, loaded.file));
    target.repo = resolve(base, repo);
    const { apiUrl } = config.repo ?? {};
    // Hosts of non-production environments count as staging hosts that production code must not point at.
    const stagingHosts = [...new Set([
      ...(config.repo?.stagingHosts ?? []),
      ...(config.environments ?? []).filter((e) => !isProductionEnvironment(e)).flatMap((e) => e.hosts),
    ])];
    if (apiUrl || stagingHosts.length) target.repoOptions = { ...(apiUrl ? { apiUrl } : {}), ...(stagingHosts.length ? { stagingHosts } : {}) };
  }
  // Without a domain, the domain checks have nothing to look at; the run is still worth it for the repository,
  // the database or the endpoints, but not when there is nothing at all.
  const noDomain = target.domains.length === 0;
  const domainCheck = (c: (typeof checks)[number]) => c.requires.some((k) => DOMAIN_FACTS.test(k));
  const somethingElse = Boolean(target.repo || target.database) || config.endpoints.length > 0 || config.flows.length > 0 || config.ai.length > 0;
  if (noDomain && !somethingElse) {
    throw new UsageError('nothing to audit: give a domain (`launch-ready audit example.com`, or `launch-ready init example.com` for a config), a repository (--repo), endpoints, flows, ai or a database (database.url) in the config');
  }
  if (noDomain && checks.every((c) => domainCheck(c) || c.area === 'config')) {
    throw new UsageError('no domain to audit: the selected checks look at domains. Run `launch-ready audit example.com`, or list domains in the config');
  }
  try {
    return await runAudit({
      checks,
      target,
      ...(noDomain ? { inapplicable: (c: (typeof checks)[number]) => (domainCheck(c) ? 'no domain to audit: give one on the command line or in the config' : undefined) } : {}),
      failOn,
      context: net.context,
      deadlineMs: flags.deadline,
      tool: TOOL,
      reportTarget: {
        domains: target.domains.map((d) => d.name),
        hosts: target.domains.flatMap((d) => d.hosts.map((h) => h.name)),
        ...(loaded.file ? { config: loaded.file } : {}),
        ...(target.repo ? { repo: target.repo } : {}),
      },
      onEvent: (e) => progress.update(progressText(e, state)),
      ...(recorded ? { recordedFacts: recorded.facts } : {}),
      ...(baseline ? { baseline } : {}),
      ...(flags.saveFacts || capture ? {
        onFacts: async (facts: Partial<Record<FactKey, unknown>>) => {
          capture?.(facts);
          if (!flags.saveFacts) return;
          const file = await saveFacts(resolve(here, flags.saveFacts), facts, TOOL, loaded.redactor);
          if (!flags.quiet) streams.stderr.write(`facts recorded in ${file}\n`);
        },
      } : {}),
    });
  } finally {
    progress.clear();
  }
}

export async function auditCommand(domains: string[], flags: AuditFlags, streams: Streams, cwd: string): Promise<number> {
  let loaded: LoadedConfig | undefined;
  try {
    // Bad formats or outputs are usage errors before any network traffic.
    planOutputs(parseFormats(flags.format), flags.output, flags.outputDir);
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    const report = await auditWith(loaded, domains, flags, streams, cwd);
    await writeReport(report, flags, streams, cwd, loaded);
    return exitCodeFor(report);
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  }
}
