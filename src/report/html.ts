// HTML reporter: one self-contained file (inline CSS and SVG, no scripts, no external requests) a founder can open
// and share: the verdict, ranked risks, latency against budgets, certificate expiry and email authentication status.
import type { CertificateMeasurement, CheckOutcome, EndpointMeasurement, Finding, Occurrence, Report } from '../types.js';

/** The latency chart's figures: the report's typed endpoint measurements, where null means not measured. */
export interface EndpointFigures { name: string; p50Ms?: number; p95Ms?: number; p99Ms?: number; maxMs?: number; budgetP95Ms?: number }

function esc(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const VERDICT = {
  go: { word: 'GO', color: '#137333', bg: '#e6f4ea', say: 'Ready to launch: nothing at or above the bar was found.' },
  'no-go': { word: 'NO-GO', color: '#b3261e', bg: '#fce8e6', say: 'Do not launch yet: fix the blocking risks below.' },
  incomplete: { word: 'INCOMPLETE', color: '#8a5300', bg: '#fef7e0', say: 'Not enough is known to call it GO: some important checks could not be completed.' },
} as const;
const SEV_COLOR = { critical: '#7f1d1d', high: '#b3261e', medium: '#b06000', low: '#1a73e8', info: '#5f6368' } as const;
const STATUS = { pass: ['✓', '#137333'], fail: ['✗', '#b3261e'], warn: ['!', '#b06000'], 'not-applicable': ['–', '#5f6368'], error: ['?', '#8a5300'] } as const;

const orUndefined = (v: number | null): number | undefined => (v === null ? undefined : v);

function endpointFigures(e: EndpointMeasurement): EndpointFigures {
  return { name: e.name, p50Ms: orUndefined(e.p50Ms), p95Ms: orUndefined(e.p95Ms), p99Ms: orUndefined(e.p99Ms), maxMs: orUndefined(e.maxMs), budgetP95Ms: e.budgetP95Ms };
}

function where(f: Finding): string {
  const l = f.location;
  const more = f.count > 1 ? `<br><b>+ ${f.count - 1} more place${f.count === 2 ? '' : 's'}</b>` : '';
  return [l.host, l.record, l.url, l.file ? `${l.file}${l.line ? `:${l.line}` : ''}` : undefined, l.commit?.slice(0, 10)].filter(Boolean).map(esc).join('<br>') + more;
}

function placeText(o: Occurrence): string {
  const file = o.file ? `${o.file}${o.line !== undefined ? `:${o.line}` : ''}${o.commit ? ` (${o.commit.slice(0, 7)})` : ''}` : undefined;
  return [o.case ?? o.record, o.url, file].filter(Boolean).join(' · ') || o.host || '-';
}

/** Every place of a grouped finding, folded so the ranked list stays one row per problem. */
function placesList(f: Finding): string {
  if (f.count <= 1) return '';
  return `<details><summary>${f.count} places</summary><ul class="places">${f.occurrences.map((o) => `<li><code>${esc(placeText(o))}</code>${o.accepted ? ` <span class="muted">(accepted: ${esc(o.accepted)})</span>` : ''}</li>`).join('')}</ul></details>`;
}

function latencyChart(endpoints: EndpointFigures[]): string {
  if (endpoints.length === 0) return '<p class="muted">No endpoint latency was measured in this run (configure <code>endpoints</code> to time them).</p>';
  const rowH = 34;
  const left = 170;
  const width = 760;
  const max = Math.max(...endpoints.flatMap((e) => [e.p99Ms ?? 0, e.p95Ms ?? 0, e.budgetP95Ms ?? 0, e.maxMs ?? 0])) * 1.1 || 1;
  const x = (v: number) => left + (v / max) * (width - left - 20);
  const rows = endpoints.map((e, i) => {
    const y = 20 + i * rowH;
    const over = e.p95Ms !== undefined && e.budgetP95Ms !== undefined && e.p95Ms > e.budgetP95Ms;
    const bar = (v: number | undefined, h: number, color: string, label: string) =>
      v === undefined ? '' : `<rect x="${left}" y="${y + (rowH - 10 - h) / 2}" width="${Math.max(1, x(v) - left).toFixed(1)}" height="${h}" fill="${color}"><title>${label} ${Math.round(v)} ms</title></rect>`;
    return [
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end" class="lbl">${esc(e.name)}</text>`,
      bar(e.p99Ms, 20, '#dadce0', 'p99'),
      bar(e.p95Ms, 14, over ? '#b3261e' : '#1a73e8', 'p95'),
      bar(e.p50Ms, 8, '#174ea6', 'p50'),
      e.budgetP95Ms !== undefined ? `<line x1="${x(e.budgetP95Ms).toFixed(1)}" x2="${x(e.budgetP95Ms).toFixed(1)}" y1="${y - 2}" y2="${y + rowH - 8}" stroke="#202124" stroke-dasharray="3 2"><title>budget ${e.budgetP95Ms} ms</title></line>` : '',
      `<text x="${Math.min(width - 4, x(Math.max(e.p99Ms ?? 0, e.p95Ms ?? 0, e.budgetP95Ms ?? 0)) + 6).toFixed(1)}" y="${y + 15}" class="val">p95 ${e.p95Ms === undefined ? '-' : Math.round(e.p95Ms)} ms${e.budgetP95Ms !== undefined ? ` / ${e.budgetP95Ms}` : ''}</text>`,
    ].join('');
  });
  const h = 30 + endpoints.length * rowH;
  return `<svg class="chart" id="latency-chart" viewBox="0 0 ${width + 120} ${h}" role="img" aria-label="p50, p95 and p99 latency per endpoint against the p95 budget">${rows.join('')}</svg>
<p class="legend"><span style="background:#174ea6"></span>p50 <span style="background:#1a73e8"></span>p95 <span style="background:#b3261e"></span>p95 over budget <span style="background:#dadce0"></span>p99 <span class="dash"></span>p95 budget</p>`;
}

function certTimeline(certs: CertificateMeasurement[]): string {
  if (certs.length === 0) return '<p class="muted">No certificates were examined in this run.</p>';
  const horizon = 120;
  const left = 190;
  const width = 760;
  const x = (days: number) => left + (Math.max(-10, Math.min(horizon, days)) + 10) / (horizon + 10) * (width - left - 10);
  const rows = certs.map((c, i) => {
    const days = c.daysLeft;
    const color = days < 0 ? '#7f1d1d' : days < 14 ? '#b3261e' : days < 30 ? '#b06000' : '#137333';
    const y = 24 + i * 26;
    return `<text x="${left - 8}" y="${y + 4}" text-anchor="end" class="lbl">${esc(c.port === 443 ? c.host : `${c.host}:${c.port}`)}</text><circle cx="${x(days).toFixed(1)}" cy="${y}" r="6" fill="${color}"><title>expires ${esc(c.notAfter)}</title></circle><text x="${(x(days) + 10).toFixed(1)}" y="${y + 4}" class="val">${days < 0 ? `expired ${-days} d ago` : `${days} d left`}${` · ${esc(c.issuer)}`}${c.chain === 'trusted' ? '' : ` · chain ${esc(c.chain)}`}</text>`;
  });
  const ticks = [0, 14, 30, 60, 90, 120].map((d) => `<line x1="${x(d)}" x2="${x(d)}" y1="8" y2="${14 + certs.length * 26}" stroke="#e8eaed"/><text x="${x(d)}" y="${28 + certs.length * 26}" text-anchor="middle" class="val">${d} d</text>`);
  return `<svg class="chart" id="cert-timeline" viewBox="0 0 ${width + 160} ${40 + certs.length * 26}" role="img" aria-label="days until each certificate expires">${ticks.join('')}${rows.join('')}</svg>`;
}

function statusList(checks: CheckOutcome[]): string {
  if (checks.length === 0) return '<p class="muted">Not audited in this run.</p>';
  return `<ul class="status">${checks.map((c) => {
    const [sym, color] = STATUS[c.status];
    return `<li><b style="color:${color}">${sym} ${esc(c.status)}</b> ${esc(c.title)} <code>${esc(c.id)}</code>${c.error ? `<br><span class="muted">${esc(c.error)}</span>` : ''}</li>`;
  }).join('')}</ul>`;
}

export function renderHtml(report: Report): string {
  const v = VERDICT[report.verdict];
  const open = report.findings.filter((f) => !f.accepted);
  const accepted = report.findings.filter((f) => f.accepted);
  const s = report.summary;
  const endpoints = report.measurements.endpoints.map(endpointFigures);
  const certs = report.measurements.certificates;
  const title = `launch-ready: ${v.word} for ${report.target.domains.join(', ') || 'your product'}`;
  const risks = open.length === 0
    ? '<p>No open risks found.</p>'
    : `<table class="risks"><thead><tr><th>#</th><th>Severity</th><th>Where</th><th>What is wrong, what breaks, how to fix</th></tr></thead><tbody>${open.map((f) => `<tr>
<td>${f.rank}</td><td><span class="sev" style="background:${SEV_COLOR[f.severity]}">${esc(f.severity)}</span></td><td class="where">${where(f)}</td>
<td><p class="msg">${esc(f.message)}</p>${placesList(f)}<p><b>Breaks:</b> ${esc(f.whatBreaks)}</p><p><b>Fix:</b> ${esc(f.remediation)}</p>${f.evidence ? `<p class="muted">Evidence: ${esc(f.evidence)}</p>` : ''}</td></tr>`).join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#202124;margin:0;background:#f8f9fa}
main{max-width:1080px;margin:0 auto;padding:24px}
.banner{border-radius:12px;padding:20px 24px;margin-bottom:20px;border:2px solid}
.banner h1{margin:0;font-size:44px;letter-spacing:1px}
.banner p{margin:6px 0 0}
.counts span{display:inline-block;margin-right:14px}
section{background:#fff;border:1px solid #e8eaed;border-radius:10px;padding:16px 20px;margin:16px 0}
h2{font-size:20px;margin:0 0 12px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:8px;border-top:1px solid #e8eaed}
td p{margin:0 0 4px}
.where{font-family:ui-monospace,Menlo,monospace;font-size:13px;overflow-wrap:anywhere;max-width:220px}
.sev{color:#fff;border-radius:4px;padding:1px 8px;font-size:13px}
.msg{font-weight:600}
.muted{color:#5f6368}
.chart{width:100%;height:auto}
.lbl{font-size:13px;fill:#202124}.val{font-size:12px;fill:#5f6368}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
.legend .dash{border-left:2px dashed #202124;width:0}
ul.status{list-style:none;padding:0;margin:0}ul.status li{padding:4px 0}
code{font-size:12px;color:#5f6368}
footer{color:#5f6368;font-size:12px;margin-top:20px}
</style></head>
<body><main>
<div class="banner" id="verdict" style="background:${v.bg};border-color:${v.color};color:${v.color}">
<h1>${v.word}</h1><p><b>${esc(v.say)}</b></p><p style="color:#202124">${esc(report.verdictReason)}</p>
<p class="counts" style="color:#202124"><span>${esc(report.target.domains.join(', '))}</span><span>${s.critical} critical</span><span>${s.high} high</span><span>${s.medium} medium</span><span>${s.low} low</span><span>${s.info} info</span><span>${s.accepted} accepted</span><span>open problems at ${s.places} place${s.places === 1 ? '' : 's'}</span></p>
</div>
<section id="risks"><h2>Ranked risks (${open.length})</h2>${risks}</section>
${report.incomplete.length ? `<section id="incomplete"><h2>Could not be completed</h2><p>An unknown is not a pass: fix what stopped these checks and run again.</p><ul>${report.incomplete.map((i) => `<li><code>${esc(i.id)}</code>: ${esc(i.error)}</li>`).join('')}</ul></section>` : ''}
<section id="latency"><h2>Latency per endpoint</h2>${latencyChart(endpoints)}</section>
<section id="certificates"><h2>Certificate expiry</h2>${certTimeline(certs)}</section>
<section id="email"><h2>Email authentication</h2>${statusList(report.checks.filter((c) => c.area === 'email'))}</section>
${accepted.length ? `<section id="accepted"><h2>Accepted risks (${accepted.length})</h2><table><thead><tr><th>Risk</th><th>Where</th><th>Reason</th><th>Expires</th></tr></thead><tbody>${accepted.map((f) => `<tr><td>${esc(f.message)}</td><td class="where">${where(f)}</td><td>${esc(f.accepted!.reason)}</td><td>${esc(f.accepted!.expires ?? 'never')}</td></tr>`).join('')}</tbody></table></section>` : ''}
<section id="checks"><h2>All checks (${report.checks.length})</h2>${statusList(report.checks)}</section>
<footer>${esc(report.tool.name)} ${esc(report.tool.version)} · ${esc(report.startedAt)} · ${report.durationMs} ms · fail on ${esc(report.failOn)}</footer>
</main></body></html>
`;
}
