// The error budget from the watch history: per monitor, availability over the window, the downtime the SLO allows
// and what is left of it, burn rates over the last hour and day, incidents and latency percentiles. Pure: records
// in, numbers out. Time is weighted, not counted: each probe stands for the time until the next one, and a gap
// longer than twice the usual interval (the watch was not running) counts as unobserved, never as up.
import type { FailureClass, MonitorKind } from './engine.js';
import type { HistoryRecord } from './history.js';

export interface BudgetOptions {
  /** Percent, 0 < slo < 100. */
  slo: number;
  windowMs: number;
  /** End of the window, ms since the epoch. */
  until: number;
}

export interface Incident {
  start: string;
  /** When the first good probe came back; null while it lasts. */
  end: string | null;
  durationSec: number;
  /** The failure class seen most often during the incident. */
  cause: FailureClass | 'unknown';
  probes: number;
}

export interface MonitorBudget {
  name: string;
  kind: MonitorKind;
  target: string;
  /** Percent of the observed time the monitor was up; null when nothing was observed. */
  availability: number | null;
  /** Percent of the error budget left (negative once overspent). */
  budgetRemaining: number;
  /** The downtime the SLO allows over the window, seconds. */
  budgetSec: number;
  downSec: number;
  budgetRemainingSec: number;
  observedSec: number;
  /** Error rate over the period divided by the rate the SLO allows: 1 spends the budget exactly by the window's end. */
  burnRate1h: number | null;
  burnRate24h: number | null;
  spent: boolean;
  incidents: Incident[];
  p50Ms: number | null;
  p95Ms: number | null;
  probes: number;
}

export interface BudgetReport {
  slo: number;
  window: string;
  windowSec: number;
  from: string;
  until: string;
  monitors: MonitorBudget[];
}

const HOUR = 3_600_000;

/** Nearest-rank percentile (the value a reader can find in the data). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

interface Span { start: number; ms: number; up: boolean; rec: HistoryRecord }

/** Each probe's share of time: until the next probe, or one usual interval when the gap says the watch was off. */
function spans(records: HistoryRecord[], until: number): Span[] {
  const times = records.map((r) => Date.parse(r.time));
  const step = median(times.slice(1).map((t, i) => t - times[i]!).filter((d) => d > 0)) ?? 60_000;
  return records.map((rec, i) => {
    const gap = (i + 1 < times.length ? times[i + 1]! : until) - times[i]!;
    return { start: times[i]!, ms: Math.max(0, gap <= 2 * step ? gap : step), up: rec.up, rec };
  });
}

function burn(list: Span[], from: number, allowed: number): number | null {
  let seen = 0;
  let down = 0;
  for (const s of list) {
    const overlap = Math.max(0, s.start + s.ms - Math.max(s.start, from));
    seen += overlap;
    if (!s.up) down += overlap;
  }
  return seen > 0 ? down / seen / allowed : null;
}

function incidentsOf(list: Span[]): Incident[] {
  const out: Incident[] = [];
  let cur: { start: number; ms: number; causes: Map<string, number>; probes: number } | undefined;
  const close = (end: number | null) => {
    if (!cur) return;
    const cause = [...cur.causes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'unknown';
    out.push({ start: new Date(cur.start).toISOString(), end: end === null ? null : new Date(end).toISOString(), durationSec: cur.ms / 1000, cause: cause as Incident['cause'], probes: cur.probes });
    cur = undefined;
  };
  for (const s of list) {
    if (s.up) { close(s.start); continue; }
    cur ??= { start: s.start, ms: 0, causes: new Map(), probes: 0 };
    cur.ms += s.ms;
    cur.probes++;
    const c = s.rec.error ?? 'unknown';
    cur.causes.set(c, (cur.causes.get(c) ?? 0) + 1);
  }
  close(null);
  return out;
}

export function formatWindow(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', HOUR], ['m', 60_000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms / 1000}s`;
}

export function computeBudget(records: readonly HistoryRecord[], opts: BudgetOptions): BudgetReport {
  const from = opts.until - opts.windowMs;
  const allowed = 1 - opts.slo / 100;
  // Whole milliseconds: 1 - 99.9/100 is not exactly 0.001 in floating point, and a budget is read to the second.
  const budgetMs = Math.round(allowed * opts.windowMs);
  const byMonitor = new Map<string, HistoryRecord[]>();
  for (const r of records) {
    const t = Date.parse(r.time);
    if (t < from || t >= opts.until) continue;
    let list = byMonitor.get(r.monitor);
    if (!list) byMonitor.set(r.monitor, (list = []));
    list.push(r);
  }
  const monitors = [...byMonitor].map(([name, list]): MonitorBudget => {
    list.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    const s = spans(list, opts.until);
    const observed = s.reduce((n, x) => n + x.ms, 0);
    const down = s.reduce((n, x) => n + (x.up ? 0 : x.ms), 0);
    const latencies = list.filter((r) => r.up && r.latencyMs !== undefined).map((r) => r.latencyMs!).sort((a, b) => a - b);
    const last = list.at(-1)!;
    const remaining = budgetMs - down;
    return {
      name, kind: last.kind, target: last.target,
      availability: observed > 0 ? 100 * (1 - down / observed) : null,
      budgetRemaining: 100 * remaining / budgetMs,
      budgetSec: budgetMs / 1000,
      downSec: down / 1000,
      budgetRemainingSec: remaining / 1000,
      observedSec: observed / 1000,
      burnRate1h: burn(s, opts.until - HOUR, allowed),
      burnRate24h: burn(s, opts.until - 24 * HOUR, allowed),
      spent: down > 0 && down >= budgetMs,
      incidents: incidentsOf(s),
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      probes: list.length,
    };
  });
  // The monitors burning their budget fastest lead: that is where the next hour's attention goes.
  const rate = (x: number | null) => x ?? -1;
  monitors.sort((a, b) => rate(b.burnRate1h) - rate(a.burnRate1h) || rate(b.burnRate24h) - rate(a.burnRate24h) || a.budgetRemaining - b.budgetRemaining || a.name.localeCompare(b.name));
  return {
    slo: opts.slo, window: formatWindow(opts.windowMs), windowSec: opts.windowMs / 1000,
    from: new Date(from).toISOString(), until: new Date(opts.until).toISOString(), monitors,
  };
}
