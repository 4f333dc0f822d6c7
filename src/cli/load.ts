// `launch-ready load`: the opt-in, bounded step ramp against critical endpoints, printing the known safe
// concurrency and bottleneck notes; or `--export k6` to write the same ramp as a k6 script. Refuses any
// non-loopback target not confirmed by name. Ctrl-C stops the ramp and still prints what was measured.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { targetEndpoint } from '../config/target.js';
import type { TargetEndpoint } from '../facts/latency.js';
import type { LoadResult, LoadStep } from '../facts/load.js';
import { UsageError } from '../run.js';
import { reportError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { networkFor, type NetworkFlags } from './network.js';
import type { Streams } from './output.js';

export interface LoadFlags extends NetworkFlags {
  config?: string;
  endpoint: string[];
  maxConcurrency?: number;
  stepDuration?: number;
  maxRequests?: number;
  format: string;
  confirmLoad: string[];
  export?: string;
  output?: string;
  quiet?: boolean;
}

export interface LoadHooks {
  /** Resolves when the ramp should stop (SIGINT by default). */
  stop?: Promise<void>;
}

/** The endpoints to ramp: the named ones, else those marked critical. */
export function selectLoadEndpoints(all: readonly TargetEndpoint[], names: readonly string[]): TargetEndpoint[] {
  if (names.length) {
    const unknown = names.filter((n) => !all.some((e) => e.name === n));
    if (unknown.length) throw new UsageError(`--endpoint ${unknown.join(', ')}: not in the config's endpoints (${all.map((e) => e.name).join(', ') || 'none'})`);
    return all.filter((e) => names.includes(e.name));
  }
  const critical = all.filter((e) => e.critical);
  if (critical.length === 0) throw new UsageError('nothing to load-test: mark endpoints of critical flows with "critical": true in the config, or name them with --endpoint <name>');
  return critical;
}

const fmt = (v: number | null) => (v === null ? '—' : v >= 100 ? String(Math.round(v)) : v.toFixed(2));

export function stepLine(s: LoadStep): string {
  return `${String(s.concurrency).padStart(6)}  ${String(s.rps).padStart(9)}  ${fmt(s.p50Ms).padStart(8)}  ${fmt(s.p95Ms).padStart(8)}  ${fmt(s.p99Ms).padStart(8)}  ${`${(s.errorRate * 100).toFixed(1)}%`.padStart(7)}  ${s.ok ? 'ok' : 'FAIL'}${s.partial ? ' (partial)' : ''}`;
}

export function renderLoadTable(r: LoadResult): string {
  const out: string[] = [];
  for (const e of r.endpoints) {
    out.push(`${e.name}  ${e.method} ${e.url}  (p95 budget ${e.budgetP95Ms} ms, errors < 1%)`);
    out.push('  conc      req/s   p50 ms    p95 ms    p99 ms   errors');
    for (const s of e.steps) out.push(stepLine(s));
    out.push(`  known safe concurrency: ${e.safeConcurrency ?? 'none (even concurrency 1 fails)'}${e.brokeAt ? `; broke at ${e.brokeAt.concurrency} (${e.brokeAt.reason})` : ''}`);
    if (e.stopped) out.push(`  stopped: ${e.stopped}`);
    for (const n of e.notes) out.push(`  - ${n}`);
    out.push('');
  }
  out.push(`Steps of ${r.stepDurationSec} s, concurrency 1 to ${r.maxConcurrency}; latency recorded per answer in microseconds.${r.interrupted ? ' INTERRUPTED: figures cover what was measured until then.' : ''}`);
  return `${out.join('\n')}\n`;
}

export async function loadCommand(flags: LoadFlags, streams: Streams, cwd: string, hooks: LoadHooks = {}): Promise<number> {
  let loaded: LoadedConfig | undefined;
  let onSigint: (() => void) | undefined;
  try {
    if (flags.format !== 'table' && flags.format !== 'json') throw new UsageError(`--format ${flags.format}: choose table or json`);
    if (flags.export !== undefined && flags.export !== 'k6') throw new UsageError(`--export ${flags.export}: only k6 is supported`);
    loaded = await loadConfig({ ...(flags.config ? { file: flags.config } : {}), cwd, env: streams.env });
    const { config } = loaded;
    const { confirmationProblem, normalizeHosts, runLoad } = await import('../collect/load/index.js');
    const { maxConcurrency, stepDurationSec, confirm } = await auditLoadOptions(flags, config);
    const endpoints = selectLoadEndpoints(config.endpoints.map(targetEndpoint), flags.endpoint);
    const redact = (text: string) => loaded!.redactor.redact(text);

    if (flags.export) {
      const { envReferences, k6Script } = await import('../collect/load/k6.js');
      const script = envReferences(redact(k6Script(endpoints, { maxConcurrency, stepDurationSec })));
      if (flags.output) {
        const file = resolve(cwd, flags.output);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, script);
        if (!flags.quiet) streams.stderr.write(`k6 script written to ${flags.output}: run it with k6 run ${flags.output}\n`);
      } else {
        streams.stdout.write(script);
      }
      return EXIT.go;
    }

    const net = await networkFor(flags, loaded, cwd, 4);
    const controller = new AbortController();
    const ctx = net.context(controller.signal);
    const confirmed = normalizeHosts(confirm);
    // Every host is checked before the first request of the ramp.
    for (const ep of endpoints) {
      const problem = await confirmationProblem(ctx, ep, confirmed);
      if (problem) throw new UsageError(problem);
    }
    const stop = hooks.stop ?? new Promise<void>((res) => { onSigint = () => res(); process.once('SIGINT', onSigint); });
    void stop.then(() => controller.abort());
    const say = (line: string) => { if (!flags.quiet) streams.stderr.write(`${redact(line)}\n`); };
    say(`launch-ready load: ${endpoints.map((e) => e.name).join(', ')}: concurrency 1 to ${maxConcurrency}, ${stepDurationSec} s per step. Ctrl-C stops and prints what was measured.`);
    const result = await runLoad(ctx, {
      endpoints, maxConcurrency, stepDurationSec,
      ...(flags.maxRequests ? { maxTotalRequests: flags.maxRequests } : {}),
      onStep: (name, s) => say(`${name}: ${stepLine(s).trim()}`),
    });
    controller.abort();
    streams.stdout.write(redact(flags.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderLoadTable(result)));
    if (result.interrupted) return EXIT.incomplete;
    return result.endpoints.some((e) => e.safeConcurrency === null) ? EXIT.noGo : EXIT.go;
  } catch (err) {
    return reportError(err, streams, loaded?.redactor);
  } finally {
    if (onSigint) process.removeListener('SIGINT', onSigint);
  }
}

/** The ramp's options (`load`, and `audit --load` for the target), within the hard caps (a usage error past them). */
export async function auditLoadOptions(flags: { confirmLoad?: string[]; maxConcurrency?: number; stepDuration?: number }, config: LoadedConfig['config']): Promise<NonNullable<import('../facts/index.js').TargetFacts['load']>> {
  const { DEFAULT_MAX_CONCURRENCY, DEFAULT_STEP_DURATION_SEC, LOAD_CAPS } = await import('../collect/load/index.js');
  const maxConcurrency = flags.maxConcurrency ?? config.load?.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const stepDurationSec = flags.stepDuration ?? config.load?.stepDurationSec ?? DEFAULT_STEP_DURATION_SEC;
  if (maxConcurrency > LOAD_CAPS.maxConcurrency) throw new UsageError(`--max-concurrency ${maxConcurrency}: the hard cap is ${LOAD_CAPS.maxConcurrency}`);
  if (stepDurationSec > LOAD_CAPS.maxStepDurationSec) throw new UsageError(`--step-duration ${stepDurationSec}: the hard cap is ${LOAD_CAPS.maxStepDurationSec} s`);
  return { maxConcurrency, stepDurationSec, confirm: [...(flags.confirmLoad ?? []), ...(config.load?.confirm ?? [])] };
}
