// `launch-ready diff`: new, fixed and changed findings, latency before → after, verdict change and exit codes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffReports } from '../../src/report/diff.js';
import type { Report } from '../../src/types.js';
import { runInProcess } from '../helpers/cli.js';

const root = join(import.meta.dirname, '../..');
let dir: string;
let before: Report;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lr-diff-'));
  const r = await runInProcess(['audit', '--from-facts', join(root, 'fixtures/facts/broken'), '--only', 'dns,config', '--format', 'json']);
  before = JSON.parse(r.stdout) as Report;
});

function withLatency(report: Report, p95: Record<string, number | null>): Report {
  const endpoints = Object.entries(p95).map(([name, p95Ms]) => ({
    name, method: 'GET', url: `https://shop.test/${name}`, p50Ms: p95Ms, p95Ms, p99Ms: p95Ms, maxMs: p95Ms, budgetP95Ms: 300, attempted: 30, errors: 0, errorRate: 0,
  }));
  return { ...report, measurements: { ...report.measurements, endpoints } };
}

function write(name: string, report: Report): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(report));
  return file;
}

describe('diff', () => {
  it('reports fixed findings, latency changes and the verdict change; exit 0 without new blocking findings', async () => {
    const after: Report = {
      ...before,
      verdict: 'go',
      findings: before.findings.filter((f) => f.checkId !== 'dangling-cname' && f.checkId !== 'unresolvable-host' && f.checkId !== 'lame-delegation' && f.checkId !== 'unexpected-record'),
    };
    const a = write('before.json', withLatency(before, { health: 420, login: 650 }));
    const b = write('after.json', withLatency(after, { health: 180, login: 700 }));
    const r = await runInProcess(['diff', a, b]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Verdict: NO-GO → GO\n0 new, 5 fixed, 0 changed, 2 unchanged findings\./);
    expect(r.stdout).toMatch(/health: 420 ms → 180 ms \(-240 ms; budget 300 ms\)/);
    expect(r.stdout).toMatch(/login: 650 ms → 700 ms \(\+50 ms; budget 300 ms\)/);
    // An endpoint that failed has no p95: it reads as missing, never as 0 ms.
    const c = write('failed.json', withLatency(after, { health: null, login: 700 }));
    const missing = await runInProcess(['diff', a, c]);
    expect(missing.stdout).toMatch(/health: 420 ms → missing \(-; budget 300 ms\)/);
    expect(missing.stdout).not.toMatch(/→ 0 ms/);
    const md = await runInProcess(['diff', a, b, '--format', 'markdown']);
    expect(md.stdout).toMatch(/\| health \| 420 ms \| 180 ms \| -240 ms \| 300 ms \|/);
  });

  it('exits 1 on a new blocking finding and shows changes of severity', async () => {
    const earlier: Report = { ...before, findings: before.findings.filter((f) => f.checkId !== 'unresolvable-host') };
    const later: Report = { ...before, findings: before.findings.map((f) => (f.checkId === 'soa-serial-mismatch' ? { ...f, severity: 'high' as const } : f)) };
    const d = diffReports(earlier, later);
    expect(d.new.map((f) => f.id)).toEqual(['dns.unresolvable-host.nxdomain']);
    expect(d.changed.map((c) => c.what)).toEqual([['severity medium → high']]);
    expect(d.newBlocking).toBe(1);
    const r = await runInProcess(['diff', write('e.json', earlier), write('l.json', later), '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).new).toHaveLength(1);
  });

  it('a file that is not a report is a usage error', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[]');
    const r = await runInProcess(['diff', bad, bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a launch-ready JSON report/);
    expect(readFileSync(bad, 'utf8')).toBe('[]');
  });
});
