// `launch-ready audit`: loads config, merges flags, runs the audit, writes the report, maps the verdict to an exit code.
import { appendFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
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
import { ensureWritable, makeFolders } from './files.js';
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

/**
 * Where each format goes: a file, or stdout (at most one format). The one rule:
 * - `--output FILE` names the file of the only format (not with several formats, not with --output-dir);
 * - `--output FORMAT=FILE` names one format's file (once per format; the format must be in --format);
 * - `--output-dir DIR` puts every format not named that way in DIR/launch-ready.<ext>;
 * - whatever is left goes to stdout, and only one format can.
 */
export function planOutputs(formats: Format[], output: string | string[] | undefined, outputDir: string | undefined): Map<Format, string | undefined> {
  const plan = new Map<Format, string | undefined>();
  const outputs = output === undefined ? [] : Array.isArray(output) ? output : [output];
  const named = new Map<string, string>();
  const plain: string[] = [];
  for (const o of outputs) {
    const m = /^([a-z][a-z0-9]*)=(.*)$/i.exec(o);
    if (!m) { plain.push(o); continue; }
    const format = m[1]!.toLowerCase();
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--output ${o}: "${format}" is not a format (${FORMATS.join(', ')}); for a file whose name has "=", write ./${o}`);
    }
    if (!m[2]) throw new UsageError(`--output ${o}: no file after "${format}="`);
    if (named.has(format)) throw new UsageError(`--output names the ${format} file twice (${named.get(format)} and ${m[2]})`);
    named.set(format, m[2]);
  }
  if (plain.length > 1) throw new UsageError(`--output is given ${plain.length} files (${plain.join(', ')}) for one report: give one, or name each format: --output json=report.json --output sarif=report.sarif`);
  if (plain.length === 1 && formats.length > 1) {
    throw new UsageError('with several formats, name each output: --output json=report.json --output sarif=report.sarif (or use --output-dir)');
  }
  if (plain.length === 1 && outputDir !== undefined) {
    throw new UsageError(`--output ${plain[0]} and --output-dir ${outputDir} both say where the report goes: use one (--output <format>=<file> overrides --output-dir for one format)`);
  }
  for (const f of named.keys()) if (!formats.includes(f as Format)) throw new UsageError(`--output ${f}=... names a format not in --format ${formats.join(',')}`);
  for (const f of formats) plan.set(f, named.get(f) ?? (plain.length ? plain[0] : outputDir !== undefined ? join(outputDir, `launch-ready.${EXTENSION[f]}`) : undefined));
  const toStdout = formats.filter((f) => plan.get(f) === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(`${toStdout.join(' and ')} cannot both go to stdout: add --output-dir <dir> or --output <format>=<file>`);
  }
  return plan;
}

/** Every place the audit will write, checked before any traffic. */
export async function checkOutputs(flags: RenderOptions & { saveFacts?: string }, streams: Streams, cwd: string): Promise<void> {
  const plan = planOutputs(parseFormats(flags.format), flags.output, flags.outputDir);
  for (const [format, file] of plan) if (file) await ensureWritable(resolve(cwd, file), `--output for ${format}`);
  if (flags.saveFacts) await ensureWritable(join(resolve(cwd, flags.saveFacts), 'facts.json'), `--save-facts ${flags.saveFacts}`);
  const summary = streams.env.GITHUB_STEP_SUMMARY;
  if (summary) await ensureWritable(resolve(cwd, summary), 'GITHUB_STEP_SUMMARY');
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
      await makeFolders(dirname(path));
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

/** How many collectors the progress line names; the rest are counted, so the line fits a terminal. */
const NAMED_COLLECTORS = 3;

export function progressText(e: RunEvent, state: { collecting: Set<string>; done: number; total: number }): string {
  if (e.type === 'plan') state.total = e.checks;
  if (e.type === 'collect-start') state.collecting.add(e.key);
  if (e.type === 'collect-end') state.collecting.delete(e.key);
  if (e.type === 'check-end') { state.done = e.done; state.total = e.total; }
  const names = [...state.collecting];
  const more = names.length - NAMED_COLLECTORS;
  const collecting = names.slice(0, NAMED_COLLECTORS).join(', ') + (more > 0 ? ` and ${more} more` : '');
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
      ci: Boolean(streams.env.CI && streams.env.CI !== 'false' && streams.env.CI !== '0'),
      ...req,
      onEvent: (e) => progress.update(progressText(e, state)),
      onLog: (line) => { if (!req.flags.quiet) streams.stderr.write(`${line}\n`); },
    });
  } finally {
    progress.clear();
  }
}

export interface AuditHooks {
  /** Resolves when the audit should stop collecting (SIGINT by default). */
  interrupt?: Promise<void>;
}

/** The first Ctrl-C stops collecting and still prints the report (INCOMPLETE); a second one quits at once. */
function onCtrlC(streams: Streams): { interrupt: Promise<void>; dispose: () => void } {
  let handler: (() => void) | undefined;
  const interrupt = new Promise<void>((resolve) => {
    handler = () => {
      resolve();
      streams.stderr.write('\nlaunch-ready: interrupted: checking what was collected so far (Ctrl-C again to quit now)\n');
      process.removeListener('SIGINT', handler!);
      process.once('SIGINT', () => process.exit(130));
    };
    process.once('SIGINT', handler);
  });
  return { interrupt, dispose: () => { if (handler) process.removeListener('SIGINT', handler); } };
}

export async function auditCommand(domains: string[], flags: AuditFlags, streams: Streams, cwd: string, hooks: AuditHooks = {}): Promise<number> {
  let loaded: LoadedConfig | undefined;
  const ctrlC = hooks.interrupt ? undefined : onCtrlC(streams);
  const interrupt = hooks.interrupt ?? ctrlC!.interrupt;
  try {
    // Bad formats or unwritable outputs are usage errors before any network traffic.
    await checkOutputs(flags, streams, cwd);
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    const report = await auditWithProgress({ loaded, domains, flags, cwd, findRepo: true, interrupt }, streams);
    await writeReport(report, flags, streams, cwd, loaded);
    return exitCodeFor(report);
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  } finally {
    ctrlC?.dispose();
  }
}
