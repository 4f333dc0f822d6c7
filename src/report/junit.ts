// JUnit XML reporter: one testsuite per area, one testcase per check (and per finding), for CI test dashboards.
import { atOrAbove } from '../rank/index.js';
import type { CheckOutcome, Finding, Report } from '../types.js';

function esc(s: string): string {
  // XML 1.0 forbids most control characters even escaped: drop them.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function findingText(f: Finding): string {
  const l = f.location;
  const where = [l.host, l.record, l.url, l.file ? `${l.file}${l.line ? `:${l.line}` : ''}` : undefined, l.commit].filter(Boolean).join(' ');
  const places = f.count > 1 ? `\nPlaces (${f.count}):\n${f.occurrences.map((o) => `- ${o.message}${o.accepted ? ` (accepted: ${o.accepted})` : ''}`).join('\n')}` : '';
  return `[${f.severity}] ${f.message}\nWhere: ${where || '-'}${places}\nWhat breaks: ${f.whatBreaks}\nFix: ${f.remediation}`;
}

function testcases(c: CheckOutcome, findings: Finding[], report: Report): string[] {
  const name = `${c.area}.${c.id}`;
  const open = findings.filter((f) => !f.accepted);
  const blocking = open.filter((f) => atOrAbove(f.severity, report.failOn));
  const lines: string[] = [];
  const head = `    <testcase classname="${esc(c.area)}" name="${esc(name)}" time="${seconds(c.durationMs)}">`;
  if (c.status === 'error') {
    lines.push(head, `      <error type="incomplete" message="${esc(`could not be completed: ${c.error ?? ''}`)}"/>`, '    </testcase>');
  } else if (c.status === 'not-applicable') {
    lines.push(head, `      <skipped message="${esc(`not applicable: ${c.reason ?? ''}`)}"/>`, '    </testcase>');
  } else if (blocking.length > 0) {
    lines.push(head, `      <failure type="${esc(blocking[0]!.severity)}" message="${esc(`${blocking.length} finding(s) at or above ${report.failOn}`)}">${esc(blocking.map(findingText).join('\n\n'))}</failure>`, '    </testcase>');
  } else if (open.length > 0) {
    // Findings below the bar do not fail CI, but they are shown.
    lines.push(head, `      <system-out>${esc(open.map(findingText).join('\n\n'))}</system-out>`, '    </testcase>');
  } else {
    lines.push(`${head.slice(0, -1)}/>`);
  }
  // One testcase per finding, so dashboards list each risk on its own.
  for (const f of findings) {
    const fname = `${f.id} @ ${[f.location.host, f.location.file].filter(Boolean).join(' ') || '-'}${f.count > 1 ? ` (+${f.count - 1} more)` : ''}`;
    const fhead = `    <testcase classname="${esc(`${c.area}.${c.id}`)}" name="${esc(fname)}" time="0">`;
    if (f.accepted) lines.push(fhead, `      <skipped message="${esc(`accepted: ${f.accepted.reason}${f.accepted.expires ? ` (until ${f.accepted.expires})` : ''}`)}"/>`, '    </testcase>');
    else if (atOrAbove(f.severity, report.failOn)) lines.push(fhead, `      <failure type="${esc(f.severity)}" message="${esc(f.message)}">${esc(findingText(f))}</failure>`, '    </testcase>');
    else lines.push(fhead, `      <system-out>${esc(findingText(f))}</system-out>`, '    </testcase>');
  }
  return lines;
}

export function renderJunit(report: Report): string {
  const areas = [...new Set(report.checks.map((c) => c.area))];
  const suites = areas.map((area) => {
    const checks = report.checks.filter((c) => c.area === area);
    const cases = checks.flatMap((c) => testcases(c, report.findings.filter((f) => f.checkId === c.id), report));
    const count = (re: RegExp) => cases.filter((l) => re.test(l)).length;
    const tests = cases.filter((l) => l.trimStart().startsWith('<testcase')).length;
    const time = checks.reduce((s, c) => s + c.durationMs, 0);
    return [
      `  <testsuite name="${esc(area)}" tests="${tests}" failures="${count(/^\s*<failure/)}" errors="${count(/^\s*<error/)}" skipped="${count(/^\s*<skipped/)}" time="${seconds(time)}" timestamp="${esc(report.startedAt)}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const all = suites.join('\n');
  const total = (re: RegExp) => (all.match(re) ?? []).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="launch-ready ${esc(report.verdict.toUpperCase())}" tests="${total(/<testcase /g)}" failures="${total(/<failure /g)}" errors="${total(/<error /g)}" skipped="${total(/<skipped /g)}" time="${seconds(report.durationMs)}">`,
    all,
    '</testsuites>',
    '',
  ].join('\n');
}
