// Terminal reporter: the verdict reads first, risks follow rank order, unknowns are never hidden, and layout fits.
import { readFileSync, writeFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/report/schema.js';
import { renderTable, type TableOptions } from '../../src/report/table.js';
import type { Report, Verdict } from '../../src/types.js';
import { sampleReport } from '../fixtures/sample-report.js';

const GOLDEN = new URL('./__golden__/table.txt', import.meta.url);
const PLAIN: TableOptions = { color: false, width: 100 };
const HEADINGS = ['Ranked risks', 'Accepted risks', 'Could not be completed', 'Checks'] as const;

/** The text from a section heading up to the next heading (or the end). */
function section(out: string, heading: (typeof HEADINGS)[number]): string {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${heading} (`));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && HEADINGS.some((h) => l.startsWith(`${h} (`)));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Section text with borders and wrapping removed, so assertions do not depend on where lines break. */
function prose(text: string): string {
  return text.replace(/[│┌┐└┘├┤┬┴┼─]/g, ' ').replace(/\s+/g, ' ');
}

/** Rows of the first bordered table in `text`, each cell's wrapped lines joined with a space. */
function tableRows(text: string): string[][] {
  const rows: string[][] = [];
  let current: string[][] | undefined;
  for (const line of text.split('\n')) {
    if (/^[┌├]/.test(line)) current = undefined;
    if (/^└/.test(line)) break;
    if (!line.startsWith('│')) continue;
    const cells = line.split('│').slice(1, -1).map((c) => c.trim());
    if (!current) {
      current = cells.map(() => []);
      rows.push([]);
    }
    cells.forEach((c, i) => { if (c) current![i]!.push(c); });
    rows[rows.length - 1] = current.map((parts) => parts.join(' '));
  }
  return rows;
}

/** The verdict word inside the banner box: `GO` must be read from the badge, not found inside `NO-GO`. */
function bannerWord(out: string): string | undefined {
  return /^┃\s+(GO|NO-GO|INCOMPLETE)\s{2,}/m.exec(out)?.[1];
}

function codePoints(line: string): number {
  return [...stripVTControlCharacters(line)].length;
}

const verdicts: Array<{ verdict: Verdict; word: string; overrides: Partial<Report> }> = [
  { verdict: 'no-go', word: 'NO-GO', overrides: {} },
  {
    verdict: 'go', word: 'GO',
    overrides: {
      verdict: 'go', verdictReason: 'No risk at or above the fail-on level (high).', incomplete: [],
      findings: sampleReport().findings.filter((f) => f.severity === 'info'),
      summary: { critical: 0, high: 0, medium: 0, low: 0, info: 1, accepted: 0, places: 1 },
    },
  },
  {
    verdict: 'incomplete', word: 'INCOMPLETE',
    overrides: {
      verdict: 'incomplete', verdictReason: '1 check could not finish; nothing blocking among the rest.',
      findings: sampleReport().findings.filter((f) => f.severity === 'low'),
      summary: { critical: 0, high: 0, medium: 0, low: 1, info: 0, accepted: 0, places: 1 },
    },
  },
];

describe('renderTable', () => {
  const savedForce = process.env.FORCE_COLOR;
  afterEach(() => {
    if (savedForce === undefined) delete process.env.FORCE_COLOR;
    else process.env.FORCE_COLOR = savedForce;
  });

  it('uses fixtures that are valid reports', () => {
    expect(() => ReportSchema.parse(sampleReport())).not.toThrow();
    for (const { overrides } of verdicts) expect(() => ReportSchema.parse(sampleReport(overrides))).not.toThrow();
  });

  describe.each(verdicts)('verdict $verdict', ({ word, overrides }) => {
    const report = sampleReport(overrides);
    const out = renderTable(report, PLAIN);

    it(`opens with a ${word} banner`, () => {
      expect(out.startsWith('┏')).toBe(true);
      expect(bannerWord(out)).toBe(word);
      // The banner comes before any section.
      expect(out.indexOf(word)).toBeLessThan(out.indexOf('Ranked risks'));
    });

    it('states target, reason and all summary counts on one line under the banner', () => {
      expect(out).toMatch(/^ {2}Target +example\.com$/m);
      expect(prose(out)).toContain(`Why ${report.verdictReason}`);
      const s = report.summary;
      expect(out).toContain(
        `Found    ${s.critical} critical · ${s.high} high · ${s.medium} medium · ${s.low} low · ${s.info} info · ${s.accepted} accepted · open problems at ${s.places} place${s.places === 1 ? '' : 's'}\n`,
      );
    });
  });

  it('lists open findings in report (rank) order with severity, location, problem, impact and fix', () => {
    const report = sampleReport();
    const ranked = section(renderTable(report, PLAIN), 'Ranked risks');
    const rows = [...ranked.matchAll(/^│ (\d+) +│ (\w+) +│/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(rows).toEqual(['1 critical', '2 high', '3 medium', '4 low', '5 info']);

    const [head, ...body] = tableRows(ranked);
    expect(head).toEqual(['#', 'Severity', 'Where', "What's wrong, what breaks, how to fix"]);
    const open = report.findings.filter((x) => !x.accepted);
    expect(body).toHaveLength(open.length);
    body.forEach(([rank, severity, , text], i) => {
      const f = open[i]!;
      expect(rank).toBe(String(f.rank));
      expect(severity).toBe(f.severity);
      expect(text).toBe(`${f.message} Breaks: ${f.whatBreaks} Fix: ${f.remediation}`);
    });
    expect(body[0]![2]).toBe('config/production .env:14 commit 9f3c2ab');
    expect(body[1]![2]).toBe('api.example.com https://api.example .com/');
    expect(body[2]![2]).toBe('example.com TXT _dmarc.example.com');
  });

  it('follows the order given rather than re-sorting', () => {
    const base = sampleReport();
    const ranked = section(renderTable(sampleReport({ findings: [...base.findings].reverse() }), PLAIN), 'Ranked risks');
    const rows = [...ranked.matchAll(/^│ (\d+) +│/gm)].map((m) => m[1]);
    expect(rows).toEqual(['5', '4', '3', '2', '1']);
  });

  it('splits a location too long for its column instead of truncating it', () => {
    for (const width of [60, 80, 100, 120]) {
      const rows = tableRows(section(renderTable(sampleReport(), { color: false, width }), 'Ranked risks'));
      expect(rows[4]![2]!.replace(/ /g, '')).toBe('https://app.example.com/account/settings/billing?tab=invoices&utm_source=launch-ready');
    }
  });

  it('shows accepted risks in their own section and never in the ranked table', () => {
    const out = renderTable(sampleReport(), PLAIN);
    const ranked = prose(section(out, 'Ranked risks'));
    const accepted = section(out, 'Accepted risks');
    expect(accepted).toMatch(/^Accepted risks \(1\)$/m);
    const [head, ...body] = tableRows(accepted);
    expect(head).toEqual(['Risk', 'Where', 'Reason accepted', 'Expires']);
    expect(body).toHaveLength(1);
    const [risk, where, reason, expires] = body[0]!;
    expect(risk).toMatch(/^robots\.txt blocks all crawlers medium · /);
    expect(risk!.replace(/ /g, '')).toContain('hygiene.robots-txt.disallow-all');
    expect(where!.replace(/ /g, '')).toBe('staging.example.comhttps://staging.example.com/robots.txt');
    expect(reason).toBe('Staging must stay out of search results.');
    expect(expires).toBe('2025-12-31');
    expect(ranked).not.toContain('robots.txt');
    expect(ranked).not.toContain('staging.example.com');
    expect(ranked).not.toMatch(/│ 6 /);
    expect(ranked).toContain('Ranked risks (5)');
  });

  it('marks an accepted risk without an expiry as never expiring', () => {
    const report = sampleReport();
    report.findings[5]!.accepted = { reason: 'Known and fine.' };
    const [, row] = tableRows(section(renderTable(report, PLAIN), 'Accepted risks'));
    expect(row!.slice(2)).toEqual(['Known and fine.', 'never']);
  });

  it('omits the accepted section when nothing is accepted', () => {
    const report = sampleReport();
    const out = renderTable(sampleReport({ findings: report.findings.filter((f) => !f.accepted) }), PLAIN);
    expect(out).not.toContain('Accepted risks');
  });

  it('lists each check that could not complete with its reason, and says an unknown is not a pass', () => {
    const out = renderTable(sampleReport(), PLAIN);
    const text = prose(section(out, 'Could not be completed'));
    expect(text).toContain('Could not be completed (1)');
    expect(text).toContain('An unknown is not a pass');
    expect(text).toContain('cert-chain (tls: Certificate chain)');
    expect(text).toContain('Why: TLS handshake with api.example.com:443 timed out after 10000 ms');
    expect(renderTable(sampleReport({ incomplete: [] }), PLAIN)).not.toContain('Could not be completed');
  });

  it('says plainly when there are no open risks, and that unfinished checks mean it is not an all-clear', () => {
    const clean = renderTable(sampleReport({ verdict: 'go', findings: [], incomplete: [] }), PLAIN);
    expect(section(clean, 'Ranked risks')).toContain('No open risks found.');
    expect(section(clean, 'Ranked risks')).not.toContain('┌');
    expect(clean).not.toContain('all-clear');

    const unfinished = renderTable(sampleReport({ verdict: 'incomplete', findings: [] }), PLAIN);
    expect(prose(section(unfinished, 'Ranked risks'))).toContain('not an all-clear');
  });

  it('shows one line per check with status, id, area, title, findings and duration', () => {
    const report = sampleReport();
    const checks = section(renderTable(report, PLAIN), 'Checks').split('\n');
    expect(checks).toContain('Checks (9)');
    for (const k of report.checks) {
      const line = checks.filter((l) => new RegExp(`^\\S \\S+ +${k.id} `).test(l));
      expect(line, k.id).toHaveLength(1);
      expect(line[0]).toContain(k.area);
      expect(line[0]).toContain(k.title);
      expect(line[0]).toMatch(new RegExp(` ${k.findings} +${Math.round(k.durationMs)} ms$`));
    }
    expect(checks.find((l) => l.includes(' cert-chain '))).toMatch(/^\? error .*Certificate chain: TLS handshake/);
    expect(checks.find((l) => l.includes(' dkim-selector '))).toMatch(/^- n\/a .*DKIM signing key: No DKIM selector/);
    expect(checks.find((l) => l.includes(' spf-record '))).toMatch(/^✓ pass /);
    expect(checks.find((l) => l.includes(' committed-secret '))).toMatch(/^✗ fail /);
    expect(checks.find((l) => l.includes(' hsts '))).toMatch(/^! warn /);
  });

  it('gives full errors, reasons, evidence and references with verbose', () => {
    const out = renderTable(sampleReport(), { ...PLAIN, verbose: true });
    const checks = prose(section(out, 'Checks'));
    expect(checks).toContain('Error: TLS handshake with api.example.com:443 timed out after 10000 ms');
    expect(checks).toContain('Reason: No DKIM selector configured (set email.dkimSelectors).');
    const ranked = prose(section(out, 'Ranked risks'));
    expect(ranked).toContain('Evidence: AKIA…7Q2M');
    expect(ranked.replace(/ /g, '')).toContain('See:https://www.rfc-editor.org/rfc/rfc7489');
    expect(ranked).toContain('id tls.cert-expiry.expires-soon');
  });

  it('never prints raw check details', () => {
    for (const verbose of [false, true]) {
      const out = renderTable(sampleReport(), { ...PLAIN, verbose });
      expect(out).not.toContain('SECRET_DETAIL_MARKER');
      expect(out).not.toContain('must never be printed');
    }
  });

  it('ends with a line of counts and duration', () => {
    const lines = renderTable(sampleReport(), { color: false, width: 160 }).trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      '9 checks: 1 passed, 4 failed, 2 warned, 1 not applicable, 1 could not finish · 6 findings (1 accepted) at 6 places · took 12.3 s',
    );
    expect(renderTable(sampleReport({ durationMs: 640 }), PLAIN).trimEnd().endsWith('took 640 ms')).toBe(true);
    expect(renderTable(sampleReport({ durationMs: 125_000 }), PLAIN).trimEnd().endsWith('took 2m 05s')).toBe(true);
  });

  it('emits no ANSI codes without color, even when report text or the environment carries them', () => {
    const report = sampleReport();
    report.findings[0]!.message = 'Found \u001b[31mred\u001b[0m and \u009b2J in a TXT record\u202e.';
    process.env.FORCE_COLOR = '3';
    for (const verbose of [false, true]) {
      const out = renderTable(report, { color: false, width: 100, verbose });
      expect(out).not.toContain('\u001b');
      expect(out).not.toContain('\u009b');
      expect(out).not.toContain('\u202e');
      expect(stripVTControlCharacters(out)).toBe(out);
    }
    expect(prose(renderTable(report, PLAIN))).toContain('Found \\u001b[31mred\\u001b[0m and \\u009b2J');
  });

  it('colours with color: true, with the same layout as without', () => {
    const report = sampleReport();
    for (const verbose of [false, true]) {
      const colored = renderTable(report, { color: true, width: 100, verbose });
      expect(colored).toContain('\u001b[');
      expect(colored).toContain('\u001b[41m'); // red NO-GO badge
      expect(stripVTControlCharacters(colored)).toBe(renderTable(report, { color: false, width: 100, verbose }));
    }
    expect(renderTable(sampleReport(verdicts[1]!.overrides), { color: true, width: 100 })).toContain('\u001b[42m');
    expect(renderTable(sampleReport(verdicts[2]!.overrides), { color: true, width: 100 })).toContain('\u001b[43m');
  });

  describe.each([60, 80, 100, 120])('at width %i', (width) => {
    it.each([
      { color: false, verbose: false },
      { color: false, verbose: true },
      { color: true, verbose: false },
      { color: true, verbose: true },
    ])('never exceeds the width (color $color, verbose $verbose)', ({ color, verbose }) => {
      for (const { overrides } of verdicts) {
        const out = renderTable(sampleReport(overrides), { color, width, verbose });
        const tooLong = out.split('\n').filter((line) => codePoints(line) > width);
        expect(tooLong).toEqual([]);
      }
    });
  });

  it('uses the whole width for the risk table', () => {
    for (const width of [80, 120]) {
      const ranked = section(renderTable(sampleReport(), { color: false, width }), 'Ranked risks');
      expect(ranked.split('\n').find((l) => l.startsWith('┌'))).toHaveLength(width);
    }
  });

  it('falls back to 100 columns when the width is unknown', () => {
    const expected = renderTable(sampleReport(), PLAIN);
    for (const width of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY]) {
      expect(renderTable(sampleReport(), { color: false, width })).toBe(expected);
    }
  });

  it('renders a large verbose report quickly (no quadratic work on long cells)', () => {
    const base = sampleReport();
    const long = (n: number): string => Array.from({ length: n }, (_, i) => `clause ${i} of a long explanation,`).join(' ');
    const findings = Array.from({ length: 20 }, (_, i) => ({
      ...base.findings[i % 5]!,
      rank: i + 1,
      message: long(20),
      remediation: long(20),
      references: Array.from({ length: 5 }, (_, j) => `https://docs.example.com/guides/launch/${i}/${j}/a-rather-long-path-segment`),
    }));
    const report = sampleReport({ findings });
    // Newline-joined cell content made cli-table3 take minutes on this input (quadratic in cell length); the test
    // timeout, not a timed assertion, catches that coming back.
    const out = renderTable(report, { color: false, width: 100, verbose: true });
    expect(tableRows(section(out, 'Ranked risks'))).toHaveLength(21);
  });

  it('keeps the layout when report text contains tabs, newlines or other whitespace', () => {
    const report = sampleReport();
    report.findings[0]!.message = 'An AWS access key\t(AKIA…7Q2M)\nis committed\u00a0in\u2028config/production.env at line 14.';
    const [, first] = tableRows(section(renderTable(report, PLAIN), 'Ranked risks'));
    expect(first![3]).toMatch(/^An AWS access key \(AKIA…7Q2M\) is committed in config\/production\.env at line 14\. Breaks:/);
  });

  it('is deterministic and leaves the report untouched', () => {
    const report = sampleReport();
    const before = structuredClone(report);
    expect(renderTable(report, PLAIN)).toBe(renderTable(report, PLAIN));
    expect(report).toEqual(before);
  });

  it('matches the golden output (color off, width 100)', () => {
    const out = renderTable(sampleReport(), PLAIN);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, out);
    expect(out).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
