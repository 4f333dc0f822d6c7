// The error budget as a founder reads it: a table led by the fastest-burning monitors, the JSON for scripts, and a
// self-contained HTML page (availability and budget bars, incident timeline, latency per endpoint; no external
// resource, so it opens anywhere, offline included).
import type { BudgetReport, MonitorBudget } from '../watch/budget.js';

/** 2700 → "45m", 93784 → "1d 2h 3m 4s"; negative spans keep their sign. */
export function formatDuration(sec: number): string {
  const sign = sec < 0 ? '-' : '';
  let s = Math.round(Math.abs(sec));
  if (s === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(s / size);
    if (n > 0) parts.push(`${n}${unit}`);
    s -= n * size;
  }
  return sign + parts.join(' ');
}

const pct = (x: number | null, digits: number) => (x === null ? '—' : `${x.toFixed(digits)}%`);
const rate = (x: number | null) => (x === null ? '—' : x.toFixed(x >= 10 ? 1 : 2));
const ms = (x: number | null) => (x === null ? '—' : `${x} ms`);

function budgetCell(m: MonitorBudget): string {
  return `${Math.round(m.budgetRemaining)}% (${formatDuration(m.budgetRemainingSec)})${m.spent ? ' SPENT' : ''}`;
}

function header(r: BudgetReport): string {
  const allowed = r.monitors[0] ? formatDuration(r.monitors[0].budgetSec) : formatDuration(r.windowSec * (1 - r.slo / 100));
  return `Error budget: SLO ${r.slo}% over ${r.window} (${r.from} → ${r.until}), ${allowed} of downtime allowed per monitor`;
}

export function renderBudgetTable(r: BudgetReport): string {
  const head = ['MONITOR', 'AVAILABILITY', 'BUDGET LEFT', 'BURN 1H', 'BURN 24H', 'INCIDENTS', 'P50', 'P95'];
  const rows = r.monitors.map((m) => [m.name, pct(m.availability, 3), budgetCell(m), rate(m.burnRate1h), rate(m.burnRate24h), String(m.incidents.length), ms(m.p50Ms), ms(m.p95Ms)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [header(r), '', line(head), ...rows.map(line)];
  const incidents = r.monitors.flatMap((m) => m.incidents.map((i) => ({ m, i }))).sort((a, b) => b.i.start.localeCompare(a.i.start));
  if (incidents.length) {
    out.push('', 'Incidents, latest first:');
    const nameWidth = Math.max(...incidents.slice(0, 20).map(({ m }) => m.name.length));
    for (const { m, i } of incidents.slice(0, 20)) {
      out.push(`  ${m.name.padEnd(nameWidth)}  ${i.start} → ${i.end ?? 'ongoing'}  ${formatDuration(i.durationSec)}  ${i.cause}`);
    }
    if (incidents.length > 20) out.push(`  … ${incidents.length - 20} more in --format json`);
  }
  const spent = r.monitors.filter((m) => m.spent);
  out.push('', spent.length ? `Budget spent: ${spent.map((m) => m.name).join(', ')}.` : 'Every monitor is within its budget.');
  return `${out.join('\n')}\n`;
}

export function renderBudgetJson(r: BudgetReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function timeline(r: BudgetReport, m: MonitorBudget): string {
  const from = Date.parse(r.from);
  const span = Date.parse(r.until) - from;
  const x = (iso: string) => (100 * (Date.parse(iso) - from)) / span;
  const marks = m.incidents.map((i) => {
    const start = x(i.start);
    const width = Math.max(0.3, (100 * i.durationSec * 1000) / span);
    return `<rect x="${start.toFixed(3)}%" y="0" width="${width.toFixed(3)}%" height="14" class="down"><title>${esc(`${i.start} → ${i.end ?? 'ongoing'}: ${formatDuration(i.durationSec)}, ${i.cause}`)}</title></rect>`;
  }).join('');
  return `<svg class="timeline" width="100%" height="14" role="img" aria-label="incidents over the window"><rect x="0" y="0" width="100%" height="14" class="up"/>${marks}</svg>`;
}

export function renderBudgetHtml(r: BudgetReport): string {
  const rows = r.monitors.map((m) => {
    const left = Math.max(0, Math.min(100, m.budgetRemaining));
    return `<tr class="${m.spent ? 'spent' : ''}">
<td><b>${esc(m.name)}</b><br><small>${esc(m.target)}</small></td>
<td>${pct(m.availability, 3)}<div class="bar"><div style="width:${m.availability === null ? 0 : Math.max(0, Math.min(100, m.availability)).toFixed(3)}%"></div></div></td>
<td>${esc(budgetCell(m))}<div class="bar budget"><div style="width:${left.toFixed(1)}%"></div></div></td>
<td>${rate(m.burnRate1h)}</td><td>${rate(m.burnRate24h)}</td>
<td class="wide">${timeline(r, m)}<small>${m.incidents.length} incident${m.incidents.length === 1 ? '' : 's'}</small></td>
<td>${ms(m.p50Ms)}</td><td>${ms(m.p95Ms)}</td></tr>`;
  }).join('\n');
  const incidents = r.monitors.flatMap((m) => m.incidents.map((i) => ({ m, i }))).sort((a, b) => b.i.start.localeCompare(a.i.start));
  const incidentRows = incidents.map(({ m, i }) => `<tr><td>${esc(m.name)}</td><td>${esc(i.start)}</td><td>${esc(i.end ?? 'ongoing')}</td><td>${formatDuration(i.durationSec)}</td><td>${esc(i.cause)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Error budget: SLO ${r.slo}% over ${esc(r.window)}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d232a;background:#fafbfc}
h1{font-size:1.3rem}table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.5rem;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;color:#57606a}small{color:#57606a}tr.spent td:first-child{border-left:4px solid #cf222e}
.bar{height:6px;background:#eaeef2;border-radius:3px;margin-top:4px;width:8rem}.bar div{height:6px;background:#2da44e;border-radius:3px}
.bar.budget div{background:#0969da}tr.spent .bar.budget{background:#ffebe9}.wide{min-width:16rem}
svg.timeline .up{fill:#dafbe1}svg.timeline .down{fill:#cf222e}
</style></head><body>
<h1>${esc(header(r))}</h1>
<p>${r.monitors.some((m) => m.spent) ? `<b>Budget spent:</b> ${esc(r.monitors.filter((m) => m.spent).map((m) => m.name).join(', '))}.` : 'Every monitor is within its budget.'} Monitors burning their budget fastest come first; a burn rate of 1 spends the budget exactly by the end of the window.</p>
<table><thead><tr><th>Monitor</th><th>Availability</th><th>Budget left</th><th>Burn 1h</th><th>Burn 24h</th><th>Incidents over the window</th><th>p50</th><th>p95</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Incidents</h2>
${incidents.length ? `<table><thead><tr><th>Monitor</th><th>Start</th><th>End</th><th>Duration</th><th>Cause</th></tr></thead><tbody>\n${incidentRows}\n</tbody></table>` : '<p>None in the window.</p>'}
</body></html>
`;
}
