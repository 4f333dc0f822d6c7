// The load ramp as a table: one block per endpoint, one line per concurrency step, the known safe concurrency.
import type { LoadResult, LoadStep } from '../facts/load.js';

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
    const safe = e.safeConcurrency ?? (e.brokeAt ? 'none (even concurrency 1 fails)' : `not known (${e.stopped ?? 'no full step ran'})`);
    out.push(`  known safe concurrency: ${safe}${e.brokeAt ? `; broke at ${e.brokeAt.concurrency} (${e.brokeAt.reason})` : ''}`);
    if (e.stopped) out.push(`  stopped: ${e.stopped}`);
    for (const n of e.notes) out.push(`  - ${n}`);
    out.push('');
  }
  out.push(`Steps of ${r.stepDurationSec} s, concurrency 1 to ${r.maxConcurrency}; latency recorded per answer in microseconds.${r.interrupted ? ' INTERRUPTED: figures cover what was measured until then.' : ''}`);
  return `${out.join('\n')}\n`;
}
