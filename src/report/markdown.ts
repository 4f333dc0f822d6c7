// Markdown reporter: the verdict, the ranked risk table and per-area details, sized for a PR comment or step summary.
import type { Finding, Occurrence, Report } from '../types.js';

const ICON = { go: '✅', 'no-go': '⛔', incomplete: '⚠️' } as const;
const STATUS = { pass: '✅ pass', fail: '❌ fail', warn: '⚠️ warn', 'not-applicable': '➖ n/a', error: '❓ error' } as const;

function cell(s: string): string {
  // Table cells: no line breaks, no pipes, no HTML from report text. Inside a code span Markdown shows characters
  // as they are (an entity would print as `&lt;`), and HTML is not interpreted there, so only text outside is escaped.
  return s.replace(/\r?\n/g, ' ').split(/(`[^`]*`)/).map((part, i) => {
    const piped = part.replace(/\|/g, '\\|');
    return i % 2 === 1 ? piped : piped.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }).join('');
}

/** A place in a cell: its case or step, record, URL and file:line. */
function place(o: Occurrence): string {
  const file = o.file ? `${o.file}${o.line !== undefined ? `:${o.line}` : ''}` : undefined;
  return [o.case ?? o.record, o.url, file, o.commit?.slice(0, 7)].filter(Boolean).map((p) => `\`${String(p).replace(/`/g, "'")}\``).join(' ') || `\`${o.host ?? '-'}\``;
}

/** The first place, then every other one of a grouped finding. */
function where(f: Finding): string {
  const first = whereFirst(f);
  if (f.count <= 1) return first;
  return `${first}<br>${f.count} places: ${f.occurrences.map(place).join(', ')}`;
}

function whereFirst(f: Finding): string {
  const l = f.location;
  const parts = [l.host, l.record, l.url, l.file ? `${l.file}${l.line ? `:${l.line}` : ''}` : undefined, l.commit ? l.commit.slice(0, 7) : undefined];
  return parts.filter(Boolean).map((p) => `\`${String(p).replace(/`/g, "'")}\``).join(' ');
}

export function renderMarkdown(report: Report): string {
  const s = report.summary;
  const open = report.findings.filter((f) => !f.accepted);
  const accepted = report.findings.filter((f) => f.accepted);
  const out: string[] = [];
  out.push(`## ${ICON[report.verdict]} launch-ready: ${report.verdict.toUpperCase()}`);
  out.push('');
  out.push(`**${cell(report.verdictReason)}**`);
  out.push('');
  out.push(`Target: ${report.target.domains.map((d) => `\`${d}\``).join(', ') || '-'} · fail on: ${report.failOn} · ` +
    `${s.critical} critical · ${s.high} high · ${s.medium} medium · ${s.low} low · ${s.info} info · ${s.accepted} accepted · open problems at ${s.places} place${s.places === 1 ? '' : 's'}`);
  out.push('');
  if (open.length === 0) {
    out.push('No open risks found.');
  } else {
    out.push('### Ranked risks', '', '| # | Severity | Where | What is wrong | What breaks | Fix |', '| --: | --- | --- | --- | --- | --- |');
    for (const f of open) out.push(`| ${f.rank} | ${f.severity} | ${where(f)} | ${cell(f.message)} | ${cell(f.whatBreaks)} | ${cell(f.remediation)} |`);
  }
  if (report.incomplete.length > 0) {
    out.push('', '### Could not be completed', '', 'An unknown is not a pass: fix what stopped these checks and run again.', '');
    for (const i of report.incomplete) out.push(`- \`${i.id}\`: ${cell(i.error)}`);
  }
  if (accepted.length > 0) {
    out.push('', '### Accepted risks', '', '| Finding | Where | Reason | Expires |', '| --- | --- | --- | --- |');
    for (const f of accepted) out.push(`| \`${f.id}\` | ${where(f)} | ${cell(f.accepted!.reason)} | ${f.accepted!.expires ?? '-'} |`);
  }
  out.push('', '### Checks by area', '');
  for (const area of [...new Set(report.checks.map((c) => c.area))]) {
    const checks = report.checks.filter((c) => c.area === area);
    out.push(`<details><summary><b>${area}</b>: ${checks.filter((c) => c.status === 'pass').length}/${checks.length} passed</summary>`, '');
    out.push('| Status | Check | Findings | Note |', '| --- | --- | --: | --- |');
    for (const c of checks) out.push(`| ${STATUS[c.status]} | ${cell(c.title)} (\`${c.id}\`) | ${c.findings} | ${cell(c.error ?? c.reason ?? '')} |`);
    out.push('', '</details>', '');
  }
  out.push(`<sub>${report.tool.name} ${report.tool.version} · ${report.startedAt} · ${report.durationMs} ms</sub>`, '');
  return out.join('\n');
}
