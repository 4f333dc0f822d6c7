// Server-Timing (W3C): parses the header the endpoint sends and splits its server time into the phases it names
// (db, cache, external, app...), at p50 and p95 over the measured requests.
import type { SampleTrace } from '../facts/latency.js';
import { percentile } from './latency.js';

export interface TimingMetric {
  name: string;
  durMs?: number;
  desc?: string;
}

const MAX_METRICS = 32;

/** Splits on a separator outside quoted strings (descriptions may hold commas and semicolons). */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && quoted && i + 1 < s.length) { cur += s[++i]; continue; }
    if (c === '"') { quoted = !quoted; continue; }
    if (c === sep && !quoted) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** Untrusted input: malformed entries are skipped, never thrown on; names are lower-cased. */
export function parseServerTiming(header: string): TimingMetric[] {
  const metrics: TimingMetric[] = [];
  for (const entry of splitOutsideQuotes(header, ',')) {
    const [rawName, ...params] = splitOutsideQuotes(entry, ';');
    const name = rawName?.trim().toLowerCase() ?? '';
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) continue;
    const m: TimingMetric = { name };
    for (const p of params) {
      const eq = p.indexOf('=');
      const key = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
      const value = eq < 0 ? '' : p.slice(eq + 1).trim();
      if (key === 'dur' && m.durMs === undefined) {
        const n = Number(value);
        if (value !== '' && Number.isFinite(n) && n >= 0) m.durMs = n;
      } else if (key === 'desc' && m.desc === undefined) {
        m.desc = value.slice(0, 100);
      }
    }
    metrics.push(m);
    if (metrics.length >= MAX_METRICS) break;
  }
  return metrics;
}

export interface TimingPhase {
  name: string;
  p50Ms: number;
  p95Ms: number;
  /** p95 of this phase over the p95 of the server's time (TTFB): 0..1. */
  share: number;
}

export interface ServerTimingSplit {
  /** Answered requests that carried a Server-Timing header with durations. */
  samples: number;
  /** Named phases, largest p95 first ("total" excluded: it is the whole, not a part). */
  phases: TimingPhase[];
  dominant?: TimingPhase;
}

/** A phase is named the endpoint's cause from this share of its server time at p95. */
export const DOMINANT_PHASE_SHARE = 0.4;

const round = (n: number) => Math.round(n * 1000) / 1000;

export function serverTimingSplit(trace: readonly SampleTrace[] | undefined): ServerTimingSplit | undefined {
  const answered = (trace ?? []).filter((s) => s.phases && s.serverTiming);
  const perSample = answered.map((s) => {
    // A phase named twice (two queries) is one phase: its durations add up.
    const sums = new Map<string, number>();
    for (const m of parseServerTiming(s.serverTiming!)) {
      if (m.durMs === undefined || m.name === 'total') continue;
      sums.set(m.name, (sums.get(m.name) ?? 0) + m.durMs);
    }
    return { ttfb: s.phases!.ttfbMs, sums };
  }).filter((x) => x.sums.size > 0);
  if (perSample.length === 0) return undefined;
  const names = [...new Set(perSample.flatMap((x) => [...x.sums.keys()]))];
  const ttfbP95 = percentile(perSample.map((x) => x.ttfb), 95);
  const phases = names.map((name) => {
    const values = perSample.map((x) => x.sums.get(name) ?? 0);
    const p95 = percentile(values, 95);
    return { name, p50Ms: round(percentile(values, 50)), p95Ms: round(p95), share: ttfbP95 > 0 ? Math.min(1, Math.round((p95 / ttfbP95) * 100) / 100) : 0 };
  }).sort((a, b) => b.p95Ms - a.p95Ms || a.name.localeCompare(b.name));
  const top = phases[0];
  return { samples: perSample.length, phases, ...(top && top.share >= DOMINANT_PHASE_SHARE ? { dominant: top } : {}) };
}
