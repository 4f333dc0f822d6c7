// Readings of latency facts shared by the latency checks: the report figures, failure summaries, and where a slow
// endpoint's time goes (the phase of its slowest requests, the dependency its server time tracks).
import type { DependencyLatency, EndpointLatency, PhaseSplit } from '../facts/latency.js';

/** The figures `launch-ready diff`, the HTML latency chart and the handover read: keep these names. */
export function endpointFigures(e: EndpointLatency) {
  return { name: e.name, p50Ms: e.p50Ms, p95Ms: e.p95Ms, p99Ms: e.p99Ms, maxMs: e.maxMs, budgetP95Ms: e.budgetP95Ms };
}

export function failureSummary(e: EndpointLatency): string {
  const parts: string[] = [];
  if (e.errors.non2xx) parts.push(`${e.errors.non2xx} non-2xx (${Object.entries(e.errors.statusCodes).map(([c, n]) => `${n}× ${c}`).join(', ')})`);
  if (e.errors.timeouts) parts.push(`${e.errors.timeouts} timeouts`);
  if (e.errors.resets) parts.push(`${e.errors.resets} resets`);
  if (e.errors.other) parts.push(`${e.errors.other} other failures (${e.errors.examples.filter((x) => !x.startsWith('HTTP ')).join('; ')})`);
  return parts.join(', ');
}

/** Nearest-rank percentile of a small list (the trace of one endpoint); 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export type PhaseName = 'dns' | 'connect' | 'tls' | 'ttfb' | 'download';
const PHASE_KEYS: readonly [PhaseName, keyof PhaseSplit][] = [['dns', 'dnsMs'], ['connect', 'connectMs'], ['tls', 'tlsMs'], ['ttfb', 'ttfbMs'], ['download', 'downloadMs']];

export interface TailPhase {
  phase: PhaseName;
  /** Mean of that phase over the slow tail (the requests at or over p95), ms. */
  ms: number;
  /** Its share of those requests' total time, 0..1. */
  share: number;
  /** Every request opened a new connection (no keep-alive): setup is paid on each one. */
  everyRequestNew: boolean;
  /** Requests the reading is from: the slow tail of the trace, or the warm median when no trace was recorded. */
  from: 'p95 tail' | 'median';
}

/** Which phase (DNS, connect, TLS, time to first byte, download) the slowest requests spend most of their time in. */
export function tailPhase(e: EndpointLatency): TailPhase | undefined {
  const ok = (e.trace ?? []).filter((s) => s.phases && s.status !== undefined && s.status >= 200 && s.status < 300).map((s) => s.phases!);
  let split: PhaseSplit | null;
  let from: TailPhase['from'] = 'p95 tail';
  if (ok.length > 0 && e.p95Ms !== null) {
    const threshold = percentile(ok.map((s) => s.totalMs), 95);
    const tail = ok.filter((s) => s.totalMs >= threshold);
    const mean = (k: keyof PhaseSplit) => tail.reduce((a, s) => a + s[k], 0) / tail.length;
    split = { dnsMs: mean('dnsMs'), connectMs: mean('connectMs'), tlsMs: mean('tlsMs'), ttfbMs: mean('ttfbMs'), downloadMs: mean('downloadMs'), totalMs: mean('totalMs') };
  } else {
    split = e.warm ?? e.cold;
    from = 'median';
  }
  if (!split) return undefined;
  const parts = PHASE_KEYS.map(([phase, key]) => ({ phase, ms: split[key] }));
  const sum = parts.reduce((a, p) => a + p.ms, 0);
  const top = parts.sort((a, b) => b.ms - a.ms)[0]!;
  if (sum <= 0) return undefined;
  const c = e.connections;
  return {
    phase: top.phase, ms: Math.round(top.ms * 1000) / 1000, share: Math.round((top.ms / sum) * 100) / 100,
    everyRequestNew: Boolean(c && c.requests >= 3 && c.newConnections >= c.requests), from,
  };
}

/** Pearson correlation of two equally long series; null when either does not vary (nothing to track). */
export function correlation(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return null;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let sxy = 0; let sxx = 0; let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx; const dy = ys[i]! - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** A dependency is the cause when the endpoint's server time moves with it and it is a real part of that time. */
export const TRACKS_CORRELATION = 0.7;
export const TRACKS_SHARE = 0.25;
/** The probe goes from here, the endpoint's call from its server: some slack before "slower than the endpoint". */
const MAX_OVERSHOOT = 1.5;
/** Fewer paired requests than this say nothing about tracking. */
const MIN_PAIRS = 5;

export interface DependencyCause {
  name: string;
  /** Pearson correlation of the endpoint's TTFB with the dependency's probe time over the measured requests. */
  correlation: number;
  /** The dependency's median probe time, and its share of the endpoint's median TTFB. */
  p50Ms: number;
  share: number;
}

/** The configured dependency the endpoint's server time tracks most closely, when one does. */
export function dependencyCause(e: EndpointLatency, dependencies: readonly DependencyLatency[] | undefined): DependencyCause | undefined {
  const trace = (e.trace ?? []).filter((s) => s.phases && s.dependencyMs);
  let best: DependencyCause | undefined;
  (dependencies ?? []).forEach((d, i) => {
    const pairs = trace.flatMap((s) => (typeof s.dependencyMs![i] === 'number' ? [[s.phases!.ttfbMs, s.dependencyMs![i]!] as const] : []));
    if (pairs.length < MIN_PAIRS) return;
    const r = correlation(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
    const depP50 = percentile(pairs.map((p) => p[1]), 50);
    const ttfbP50 = percentile(pairs.map((p) => p[0]), 50);
    const share = ttfbP50 > 0 ? Math.min(1, depP50 / ttfbP50) : 0;
    // A dependency slower than the endpoint itself cannot be inside it: both only slowed down together (a busy host).
    if (r === null || r < TRACKS_CORRELATION || share < TRACKS_SHARE || depP50 > ttfbP50 * MAX_OVERSHOOT) return;
    if (!best || r > best.correlation) best = { name: d.name, correlation: Math.round(r * 100) / 100, p50Ms: Math.round(depP50 * 1000) / 1000, share: Math.round(share * 100) / 100 };
  });
  return best;
}

/** Core screens are the critical endpoints; when none is marked critical, every endpoint may be one. */
export function coreEndpoints<E extends { critical?: boolean }>(endpoints: readonly E[]): readonly E[] {
  return endpoints.some((e) => e.critical) ? endpoints.filter((e) => e.critical) : endpoints;
}
