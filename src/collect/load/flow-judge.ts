// The judgement of a flow ramp, pure: whether a concurrency step passed (every flow step's p95 within its budget,
// flow errors under 1%), which flow step broke it and how, the bottleneck step, and the notes in words.
import type { StatementWindow } from '../../facts/latency.js';
import type { FlowBottleneck, FlowBrokeAt, FlowLoadStep, FlowQuery } from '../../facts/load.js';
import { scrubLiterals } from '../database/scrub.js';

/** A step fails at 1% errors, the same line as the endpoint ramp's. */
export const MAX_FLOW_ERROR_RATE = 0.01;

/** A flow step's p95 budget: its own, else the endpoint defaults (300 ms for reads, 700 ms for writes). */
export function stepBudgetMs(step: { method: string; budgetMs?: number }): number {
  if (step.budgetMs !== undefined) return step.budgetMs;
  return ['GET', 'HEAD', 'OPTIONS'].includes(step.method.toUpperCase()) ? 300 : 700;
}

export function flowStepOk(s: Pick<FlowLoadStep, 'errorRate' | 'stepP95Ms' | 'flows'>, budgets: Record<string, number>): boolean {
  if (s.flows === 0 || s.errorRate >= MAX_FLOW_ERROR_RATE) return false;
  return Object.entries(budgets).every(([name, budget]) => {
    // A step with no passing answer (null) or no figure at all is as slow as can be, as in flowBreak.
    return (s.stepP95Ms[name] ?? Infinity) <= budget;
  });
}

/** Which flow step broke a failed concurrency step, and how: errors first (they end flows), then latency. */
export function flowBreak(s: FlowLoadStep, budgets: Record<string, number>): Omit<FlowBrokeAt, 'concurrency'> {
  if (s.errorRate >= MAX_FLOW_ERROR_RATE || s.flows === 0) {
    const [name, st] = Object.entries(s.perStep).sort((a, b) => b[1].failed - a[1].failed)[0] ?? ['?', undefined];
    if (!st) return { step: name, reason: 'errors' };
    const r429 = st.statusCodes['429'] ?? 0;
    const otherFailures = st.failed - r429 - st.timeouts;
    if (r429 > 0 && r429 >= st.timeouts && r429 >= otherFailures) return { step: name, reason: 'rate-limited' };
    if (st.timeouts > 0 && st.timeouts >= otherFailures) return { step: name, reason: 'timeouts' };
    return { step: name, reason: 'errors' };
  }
  // The step furthest past its budget (no passing answer at all is the furthest).
  const over = Object.entries(budgets)
    .map(([name, budget]) => ({ name, ratio: (s.stepP95Ms[name] ?? Infinity) / budget }))
    .sort((a, b) => b.ratio - a.ratio)[0];
  return { step: over?.name ?? '?', reason: 'latency' };
}

/**
 * The step whose p95 grew most from the first to the last measured concurrency step. Growth is judged in added
 * milliseconds, not as a ratio: a 1 ms step that becomes 4 ms grew fourfold but no user feels it, while a 400 ms
 * step that doubles is what the user waits on. The ratio is reported beside it.
 */
export function flowBottleneck(steps: readonly FlowLoadStep[], names: readonly string[]): FlowBottleneck | null {
  const measured = steps.filter((s) => s.flows > 0 && !s.partial);
  if (measured.length < 2) return null;
  const first = measured[0]!;
  const last = measured.at(-1)!;
  let best: FlowBottleneck | null = null;
  let bestAdded = 0;
  for (const name of names) {
    const from = first.stepP95Ms[name];
    const to = last.stepP95Ms[name];
    if (from === null || from === undefined || to === null || to === undefined) continue;
    const added = to - from;
    if (added > bestAdded) {
      bestAdded = added;
      best = { step: name, growth: Math.round((to / Math.max(from, 0.001)) * 100) / 100, fromConcurrency: first.concurrency, fromMs: from, toConcurrency: last.concurrency, toMs: to };
    }
  }
  return best;
}

const r = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(Math.round(v)));

export function flowNotes(
  steps: readonly FlowLoadStep[], budgets: Record<string, number>, brokeAt: FlowBrokeAt | null, bottleneck: FlowBottleneck | null, query: FlowQuery | null = null,
): string[] {
  const notes: string[] = [];
  const full = steps.filter((s) => s.flows > 0 && !s.partial);
  for (let i = 1; i < full.length; i++) {
    const a = full[i - 1]!;
    const b = full[i]!;
    if (b.flowsPerSec < a.flowsPerSec * 1.15 && (b.p95Ms ?? 0) > (a.p95Ms ?? 0) * 1.5) {
      notes.push(`Throughput stops growing at ${a.concurrency} concurrent users (~${a.flowsPerSec} flows/s): from ${b.concurrency} on, flows queue and their p95 rises from ${r(a.p95Ms)} ms to ${r(b.p95Ms)} ms.`);
      break;
    }
  }
  if (brokeAt) {
    const s = steps.find((x) => x.concurrency === brokeAt.concurrency)!;
    const st = s.perStep[brokeAt.step];
    const at = `At ${s.concurrency} concurrent users`;
    if (brokeAt.reason === 'latency') notes.push(`${at}, "${brokeAt.step}" has p95 ${r(s.stepP95Ms[brokeAt.step])} ms, past its ${budgets[brokeAt.step]} ms budget.`);
    else {
      const codes = Object.entries(st?.statusCodes ?? {}).map(([c, n]) => `${n}× ${c}`).join(', ');
      const what = brokeAt.reason === 'rate-limited' ? 'it is rate limited (429): users who share a limit, or retry, are turned away'
        : brokeAt.reason === 'timeouts' ? `${st?.timeouts ?? 0} requests got no answer before the timeout`
          : 'the server rejects or mis-answers it under load';
      notes.push(`${at}, ${Math.round(s.errorRate * 1000) / 10}% of flows failed, at "${brokeAt.step}"${codes ? ` (${codes})` : ''}: ${what}.`);
    }
  }
  if (bottleneck && bottleneck.toMs - bottleneck.fromMs >= 1) {
    notes.push(`Bottleneck: "${bottleneck.step}", whose p95 grows ${bottleneck.growth}× from ${r(bottleneck.fromMs)} ms at ${bottleneck.fromConcurrency} to ${r(bottleneck.toMs)} ms at ${bottleneck.toConcurrency} concurrent users: something behind it serializes (a small pool, a lock, a queue of few workers).`);
  }
  if (query) {
    notes.push(`Database: during the ramp, ${Math.round(query.share * 100)}% of its statement time went to ${query.query} (${query.calls} calls, mean ${Math.round(query.meanMs * 100) / 100} ms).`);
  }
  return notes;
}

/** A flow's dominant query is named in at most this many characters. */
export const FLOW_QUERY_CHARS = 200;

/**
 * The statement with the most total time between the snapshots around a flow ramp, or null when no statement took
 * any time. Its text is normalized by PostgreSQL; any literal left (a utility statement) is replaced as well.
 */
export function flowQuery(window: StatementWindow): FlowQuery | null {
  const top = window.statements.filter((s) => s.calls > 0 && s.totalMs > 0).sort((a, b) => b.totalMs - a.totalMs)[0];
  if (!top) return null;
  const share = window.totalMs > 0 ? Math.min(1, top.totalMs / window.totalMs) : 1;
  return {
    queryId: top.queryId,
    query: scrubLiterals(top.query, FLOW_QUERY_CHARS),
    calls: top.calls,
    meanMs: Math.round((top.totalMs / top.calls) * 1000) / 1000,
    totalMs: Math.round(top.totalMs * 1000) / 1000,
    share: Math.round(share * 1000) / 1000,
  };
}
