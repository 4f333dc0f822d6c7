// `launch-ready audit`: loads config, merges flags, runs the audit, writes the report, maps the verdict to an exit code.
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { renderJson } from '../report/json.js';
import { renderHtml } from '../report/html.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { renderTable } from '../report/table.js';
import type { RunEvent } from '../run/audit.js';
import type { AuditFlags } from '../run/flags.js';
import { audit, type AuditRequest } from '../run/plan.js';
import type { Report } from '../types.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { Progress, useColor, wantsProgress, type Streams } from './output.js';

export { DEFAULT_TIMEOUT_MS } from '../run/network.js';
export type { AuditFlags };

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
export async function writeReport(raw: Report, flags: RenderOptions, streams: Streams, cwd: string, loaded?: LoadedConfig): Promise<void> {
  const plan = planOutputs(parseFormats(flags.format), flags.output, flags.outputDir);
  // Redacted before rendering too: a renderer that wraps or truncates text would split a secret past the text scrub.
  const report = loaded && loaded.redactor.size > 0 ? (JSON.parse(loaded.redactor.redact(JSON.stringify(raw))) as Report) : raw;
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

/** Runs an audit through the front door with the live progress line; shared by `audit`, `demo` and `handover`. */
export async function auditWithProgress(
  req: Omit<AuditRequest, 'onEvent' | 'onLog'>, streams: Streams,
): Promise<Report> {
  const progress = new Progress(streams.stderr, wantsProgress(streams, Boolean(req.flags.quiet)));
  const state = { collecting: new Set<string>(), done: 0, total: 0 };
  try {
    return await audit({
      ...req,
      onEvent: (e) => progress.update(progressText(e, state)),
      onLog: (line) => { if (!req.flags.quiet) streams.stderr.write(`${line}\n`); },
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
    const report = await auditWithProgress({ loaded, domains, flags, cwd, findRepo: true }, streams);
    await writeReport(report, flags, streams, cwd, loaded);
    return exitCodeFor(report);
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  }
}
