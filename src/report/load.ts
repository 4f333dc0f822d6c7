// The load ramp as a table: one block per endpoint, one line per concurrency step, the known safe concurrency.
import type { FlowLoad, FlowLoadStep, LoadResult, LoadStep } from '../facts/load.js';

const fmt = (v: number | null) => (v === null ? '—' : v >= 100 ? String(Math.round(v)) : v.toFixed(2));

export function stepLine(s: LoadStep): string {
  return `${String(s.concurrency).padStart(6)}  ${String(s.rps).padStart(9)}  ${fmt(s.p50Ms).padStart(8)}  ${fmt(s.p95Ms).padStart(8)}  ${fmt(s.p99Ms).padStart(8)}  ${`${(s.errorRate * 100).toFixed(1)}%`.padStart(7)}  ${s.ok ? 'ok' : 'FAIL'}${s.partial ? ' (partial)' : ''}`;
}

export function flowStepLine(s: FlowLoadStep): string {
  const steps = Object.entries(s.stepP95Ms).map(([n, v]) => `${n} ${fmt(v)}`).join(', ');
  return `${String(s.concurrency).padStart(6)}  ${String(s.flowsPerSec).padStart(9)}  ${fmt(s.p50Ms).padStart(8)}  ${fmt(s.p95Ms).padStart(8)}  ${fmt(s.p99Ms).padStart(8)}  ${`${(s.errorRate * 100).toFixed(1)}%`.padStart(7)}  ${s.ok ? 'ok  ' : 'FAIL'}  ${steps}${s.partial ? ' (partial)' : ''}`;
}

/** The database's side of a flow ramp: its dominant query, or why there is none. */
export function databaseLine(d: NonNullable<FlowLoad['database']>): string {
  if (d.status === 'error') return `database: not watched (${d.message})`;
  if (!d.query) return 'database: no statement ran during the ramp';
  const q = d.query;
  return `dominant query: ${q.query} (${Math.round(q.share * 100)}% of database time, ${q.calls} calls, mean ${fmt(q.meanMs)} ms)`;
}

function flowBlock(f: FlowLoad): string[] {
  const out: string[] = [];
  out.push(`flow ${f.name} (${f.template}; p95 budgets ${Object.entries(f.budgets).map(([n, b]) => `${n} ${b} ms`).join(', ')}; flow errors < 1%)`);
  out.push('  users  flows/s   p50 ms    p95 ms    p99 ms   errors        p95 ms per step');
  for (const s of f.steps) {
    out.push(flowStepLine(s));
    const limited = Object.entries(s.perStep).filter(([, st]) => st.failed > 0)
      .map(([n, st]) => `${n}: ${st.failed} failed${Object.keys(st.statusCodes).length ? ` (${Object.entries(st.statusCodes).map(([c, k]) => `${k}× ${c}`).join(', ')})` : ''}${st.timeouts ? `, ${st.timeouts} timeouts` : ''}`);
    if (limited.length) out.push(`          ${limited.join('; ')}`);
  }
  const safe = f.safeConcurrency ?? (f.brokeAt ? 'none (even 1 user fails)' : `not known (${f.stopped ?? 'no full step ran'})`);
  out.push(`  known safe concurrency: ${safe}${f.brokeAt ? `; broke at ${f.brokeAt.concurrency} at "${f.brokeAt.step}" (${f.brokeAt.reason})` : ''}`);
  if (f.bottleneck) out.push(`  bottleneck: "${f.bottleneck.step}" (p95 ×${f.bottleneck.growth} from ${f.bottleneck.fromConcurrency} to ${f.bottleneck.toConcurrency} users)`);
  if (f.database) out.push(`  ${databaseLine(f.database)}`);
  if (f.stopped) out.push(`  stopped: ${f.stopped}`);
  for (const n of f.notes) out.push(`  - ${n}`);
  out.push('');
  return out;
}

export function renderLoadTable(r: LoadResult): string {
  const out: string[] = [];
  for (const e of r.endpoints) {
    out.push(`${e.name}  ${e.method} ${e.url}  (p95 budget ${e.budgetP95Ms} ms, errors < 1%)`);
    out.push('  conc      req/s   p50 ms    p95 ms    p99 ms   errors');
    for (const s of e.steps) out.push(stepLine(s));
    const safe = e.safeConcurrency ?? (e.brokeAt ? 'none (even concurrency 1 fails)' : `not known (${e.stopped ?? 'no full step ran'})`);
    out.push(`  known safe concurrency: ${safe}${e.brokeAt ? `; broke at ${e.brokeAt.concurrency} (${e.brokeAt.reason})` : ''}`);
    if (e.stopped) out.push(`  stopped: ${e.stopped}`);
    for (const n of e.notes) out.push(`  - ${n}`);
    out.push('');
  }
  for (const f of r.flows ?? []) out.push(...flowBlock(f));
  out.push(`Steps of ${r.stepDurationSec} s, concurrency 1 to ${r.maxConcurrency}; latency recorded per answer in microseconds.${r.interrupted ? ' INTERRUPTED: figures cover what was measured until then.' : ''}`);
  return `${out.join('\n')}\n`;
}
