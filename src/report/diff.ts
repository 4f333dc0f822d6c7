// Compares two JSON reports: new, fixed and changed findings, verdict change, and latency per endpoint before → after.
import { atOrAbove } from '../rank/index.js';
import type { Finding, Report } from '../types.js';

export interface EndpointLatency {
  name: string;
  p50Ms?: number;
  p95Ms?: number;
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
 * Latency checks publish `details.endpoints: [{name, p50Ms, p95Ms, budgetP95Ms}]`; any check of area `latency`
 * that does is picked up here.
 */
export function latencyOf(report: Report): Map<string, EndpointLatency> {
  const out = new Map<string, EndpointLatency>();
  for (const c of report.checks) {
    if (c.area !== 'latency') continue;
    const endpoints = (c.details as { endpoints?: unknown } | undefined)?.endpoints;
    if (!Array.isArray(endpoints)) continue;
    for (const e of endpoints as EndpointLatency[]) if (e && typeof e.name === 'string' && !out.has(e.name)) out.set(e.name, e);
  }
  return out;
}

export function diffReports(before: Report, after: Report): ReportDiff {
  const prev = new Map(before.findings.map((f) => [f.fingerprint, f]));
  const next = new Map(after.findings.map((f) => [f.fingerprint, f]));
  const fresh = after.findings.filter((f) => !prev.has(f.fingerprint));
  const fixed = before.findings.filter((f) => !next.has(f.fingerprint));
  const changed: ReportDiff['changed'] = [];
  let unchanged = 0;
  for (const f of after.findings) {
    const old = prev.get(f.fingerprint);
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
    const delta = b?.p95Ms !== undefined && a?.p95Ms !== undefined ? Math.round((a.p95Ms - b.p95Ms) * 100) / 100 : undefined;
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

function ms(v: number | undefined): string {
  return v === undefined ? '-' : `${Math.round(v)} ms`;
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
      const budget = ms(l.after?.budgetP95Ms ?? l.before?.budgetP95Ms);
      out.push(md
        ? `| ${l.name} | ${ms(l.before?.p95Ms)} | ${ms(l.after?.p95Ms)} | ${change} | ${budget} |`
        : `  ${l.name}: ${ms(l.before?.p95Ms)} → ${ms(l.after?.p95Ms)} (${change}; budget ${budget})`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
