// Compares two JSON reports: new, fixed and changed findings, verdict change, and latency per endpoint before → after.
import { atOrAbove, fingerprintsOf } from '../rank/index.js';
import type { Finding, Report } from '../types.js';

/** null or absent: not measured (the endpoint failed, or the report did not time it), never 0 ms. */
export interface EndpointLatency {
  name: string;
  p50Ms?: number | null;
  p95Ms?: number | null;
  budgetP95Ms?: number;
}

export interface LatencyChange {
  name: string;
  before?: EndpointLatency;
  after?: EndpointLatency;
  /** after.p95 - before.p95, when both exist. */
  deltaP95Ms?: number;
}

export interface ReportDiff {
  before: { startedAt: string; verdict: Report['verdict'] };
  after: { startedAt: string; verdict: Report['verdict'] };
  verdictChanged: boolean;
  new: Finding[];
  fixed: Finding[];
  changed: { before: Finding; after: Finding; what: string[] }[];
  unchanged: number;
  latency: LatencyChange[];
  /** New unaccepted findings at or above the later report's fail-on severity. */
  newBlocking: number;
}

/**
 * Endpoint latency from the report's typed measurements; a report written before measurements existed falls back
 * to what latency checks published in their details.
 */
export function latencyOf(report: Report): Map<string, EndpointLatency> {
  const out = new Map<string, EndpointLatency>();
  const measured = (report as Partial<Report>).measurements?.endpoints;
  if (measured) {
    for (const e of measured) if (!out.has(e.name)) out.set(e.name, { name: e.name, p50Ms: e.p50Ms, p95Ms: e.p95Ms, budgetP95Ms: e.budgetP95Ms });
    return out;
  }
  for (const c of report.checks) {
    if (c.area !== 'latency') continue;
    const endpoints = (c.details as { endpoints?: unknown } | undefined)?.endpoints;
    if (!Array.isArray(endpoints)) continue;
    for (const e of endpoints as EndpointLatency[]) if (e && typeof e.name === 'string' && !out.has(e.name)) out.set(e.name, e);
  }
  return out;
}

/** Each fingerprint a report's findings answer to (their own, their places', what they explain), to its finding. */
function byFingerprint(findings: readonly Finding[]): Map<string, Finding> {
  const out = new Map<string, Finding>();
  for (const f of findings) for (const fp of fingerprintsOf(f)) if (!out.has(fp)) out.set(fp, f);
  return out;
}

const matchIn = (index: Map<string, Finding>, f: Finding): Finding | undefined => fingerprintsOf(f).map((fp) => index.get(fp)).find(Boolean);

export function diffReports(before: Report, after: Report): ReportDiff {
  // A report from before grouping has one finding per place: its fingerprints are the grouped finding's places'.
  const prev = byFingerprint(before.findings);
  const next = byFingerprint(after.findings);
  const fresh = after.findings.filter((f) => !matchIn(prev, f));
  const fixed = before.findings.filter((f) => !matchIn(next, f));
  const changed: ReportDiff['changed'] = [];
  let unchanged = 0;
  for (const f of after.findings) {
    const old = matchIn(prev, f);
    if (!old) continue;
    const what: string[] = [];
    if (old.severity !== f.severity) what.push(`severity ${old.severity} → ${f.severity}`);
    if (old.message !== f.message) what.push('message');
    if (Boolean(old.accepted) !== Boolean(f.accepted)) what.push(f.accepted ? 'now accepted' : 'no longer accepted');
    if (what.length) changed.push({ before: old, after: f, what });
    else unchanged++;
  }
  const lb = latencyOf(before);
  const la = latencyOf(after);
  const latency = [...new Set([...lb.keys(), ...la.keys()])].map((name) => {
    const b = lb.get(name);
    const a = la.get(name);
    const delta = typeof b?.p95Ms === 'number' && typeof a?.p95Ms === 'number' ? Math.round((a.p95Ms - b.p95Ms) * 100) / 100 : undefined;
    return { name, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}), ...(delta !== undefined ? { deltaP95Ms: delta } : {}) };
  });
  return {
    before: { startedAt: before.startedAt, verdict: before.verdict },
    after: { startedAt: after.startedAt, verdict: after.verdict },
    verdictChanged: before.verdict !== after.verdict,
    new: fresh,
    fixed,
    changed,
    unchanged,
    latency,
    newBlocking: fresh.filter((f) => !f.accepted && atOrAbove(f.severity, after.failOn)).length,
  };
}

function where(f: Finding): string {
  const l = f.location;
  return [l.host, l.record, l.file ? `${l.file}${l.line ? `:${l.line}` : ''}` : undefined].filter(Boolean).join(' ');
}

/** A missing measurement reads as missing: never as 0 ms. */
function ms(v: number | null | undefined): string {
  return typeof v === 'number' ? `${Math.round(v)} ms` : 'missing';
}

/** Plain text, or Markdown for a PR comment. */
export function renderDiff(d: ReportDiff, format: 'text' | 'markdown'): string {
  const md = format === 'markdown';
  const h = (s: string) => (md ? `### ${s}` : s);
  const item = (f: Finding) => `${md ? '- ' : '  '}[${f.severity}] ${f.id} ${where(f)}: ${f.message}`;
  const out: string[] = [];
  const verdict = `${d.before.verdict.toUpperCase()} → ${d.after.verdict.toUpperCase()}`;
  out.push(md ? `## launch-ready: ${verdict}` : `Verdict: ${verdict}${d.verdictChanged ? '' : ' (unchanged)'}`);
  out.push(`${d.new.length} new, ${d.fixed.length} fixed, ${d.changed.length} changed, ${d.unchanged} unchanged findings.`, '');
  if (d.new.length) out.push(h(`New (${d.new.length})`), ...d.new.map(item), '');
  if (d.fixed.length) out.push(h(`Fixed (${d.fixed.length})`), ...d.fixed.map(item), '');
  if (d.changed.length) out.push(h(`Changed (${d.changed.length})`), ...d.changed.map((c) => `${item(c.after)} (${c.what.join(', ')})`), '');
  if (d.latency.length) {
    out.push(h('Latency p95 per endpoint, before → after'));
    if (md) out.push('', '| Endpoint | Before | After | Change | Budget |', '| --- | --: | --: | --: | --: |');
    for (const l of d.latency) {
      const change = l.deltaP95Ms === undefined ? '-' : `${l.deltaP95Ms > 0 ? '+' : ''}${Math.round(l.deltaP95Ms)} ms`;
      const budget = ms(l.after?.budgetP95Ms ?? l.before?.budgetP95Ms).replace('missing', '-');
      out.push(md
        ? `| ${l.name} | ${ms(l.before?.p95Ms)} | ${ms(l.after?.p95Ms)} | ${change} | ${budget} |`
        : `  ${l.name}: ${ms(l.before?.p95Ms)} → ${ms(l.after?.p95Ms)} (${change}; budget ${budget})`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
