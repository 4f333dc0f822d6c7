// `launch-ready budget` over a synthetic month of history generated here: availability, budget left and burn rates
// to the second, incidents with their cause, latency percentiles, the fastest-burning monitor first, exit 1 when a
// budget is spent; a missing, empty or damaged history fails clearly (exit 2) and a torn last line is skipped.
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BudgetReport } from '../../src/watch/budget.js';
import { serialize, type HistoryRecord } from '../../src/watch/history.js';
import { runCli, runInProcess } from '../helpers/cli.js';

const UNTIL = Date.parse('2026-06-01T00:00:00Z');
const MIN = 60_000;
const SAMPLES = 30 * 1440; // one probe a minute for 30 days
const iso = (k: number) => new Date(UNTIL - 30 * 86_400_000 + k * MIN).toISOString();

// http:api: 40 minutes of 503s ten days before the end, then 5 minutes of timeouts in the last hour.
const apiDown = (k: number) => (k >= SAMPLES - 10 * 1440 && k < SAMPLES - 10 * 1440 + 40 ? 'http' : k >= SAMPLES - 30 && k < SAMPLES - 25 ? 'timeout' : undefined);
// dns:shop.test: 20 minutes without an answer three days before the end.
const dnsDown = (k: number) => (k >= SAMPLES - 3 * 1440 && k < SAMPLES - 3 * 1440 + 20 ? 'dns' : undefined);

function month(): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const a = apiDown(k);
    out.push({ time: iso(k), monitor: 'http:api', kind: 'http', target: 'https://api.shop.test/health', up: !a, latencyMs: a ? 5000 : k % 10 === 0 ? 400 : 80, ...(a ? { error: a } : {}), status: a === 'http' ? 503 : 200 });
    const d = dnsDown(k);
    out.push({ time: iso(k), monitor: 'dns:shop.test', kind: 'dns', target: 'shop.test', up: !d, latencyMs: 3, ...(d ? { error: d } : {}) });
  }
  return out;
}

let dir: string;
let history: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lr-budget-'));
  history = join(dir, 'month.jsonl');
  writeFileSync(history, serialize(month()));
});

const until = ['--until', new Date(UNTIL).toISOString()];

describe('budget over a synthetic month', () => {
  it('gives availability, budget left and burn rates to the second, the fastest burner first, and exit 1', async () => {
    const r = await runInProcess(['budget', '--history', history, '--slo', '99.9', '--window', '30d', '--format', 'json', ...until], {}, dir);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as BudgetReport;
    expect(report).toMatchObject({ slo: 99.9, window: '30d', until: '2026-06-01T00:00:00.000Z' });
    const [api, dns] = report.monitors;
    expect(api).toMatchObject({
      name: 'http:api', kind: 'http', target: 'https://api.shop.test/health',
      downSec: 2700, budgetSec: 2592, budgetRemainingSec: -108, observedSec: 2_592_000, spent: true, p50Ms: 80, p95Ms: 400,
    });
    expect(api!.availability).toBeCloseTo(100 * (1 - 2700 / 2_592_000), 10);
    expect(api!.budgetRemaining).toBeCloseTo(-100 * 108 / 2592, 10);
    expect(api!.burnRate1h).toBeCloseTo(300 / 3600 / 0.001, 6);
    expect(api!.burnRate24h).toBeCloseTo(300 / 86_400 / 0.001, 6);
    expect(api!.incidents).toEqual([
      { start: iso(SAMPLES - 10 * 1440), end: iso(SAMPLES - 10 * 1440 + 40), durationSec: 2400, cause: 'http', probes: 40 },
      { start: iso(SAMPLES - 30), end: iso(SAMPLES - 25), durationSec: 300, cause: 'timeout', probes: 5 },
    ]);
    expect(dns).toMatchObject({ name: 'dns:shop.test', downSec: 1200, budgetRemainingSec: 1392, spent: false, burnRate1h: 0, burnRate24h: 0, p95Ms: 3 });
    expect(dns!.budgetRemaining).toBeCloseTo(100 * 1392 / 2592, 10);
    expect(dns!.incidents).toEqual([{ start: iso(SAMPLES - 3 * 1440), end: iso(SAMPLES - 3 * 1440 + 20), durationSec: 1200, cause: 'dns', probes: 20 }]);
  });

  it('the table leads with the fastest-burning monitor and names the spent budget', async () => {
    const r = await runInProcess(['budget', '--history', history, ...until], {}, dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Error budget: SLO 99.9% over 30d (2026-05-02T00:00:00.000Z → 2026-06-01T00:00:00.000Z), 43m 12s of downtime allowed per monitor');
    const head = lines.findIndex((l) => l.startsWith('MONITOR'));
    expect(lines[head + 1]).toMatch(/^http:api\s+99\.896%\s+-4% \(-1m 48s\) SPENT\s+83\.3\s+3\.47\s+2\s+80 ms\s+400 ms$/);
    expect(lines[head + 2]).toMatch(/^dns:shop\.test\s+99\.954%\s+54% \(23m 12s\)\s+0\.00\s+0\.00\s+1\s+3 ms\s+3 ms$/);
    expect(r.stdout).toMatch(/http:api {7}2026-05-31T23:30:00\.000Z → 2026-05-31T23:35:00\.000Z {2}5m {2}timeout/);
    expect(r.stdout).toMatch(/Budget spent: http:api\./);
  });

  it('a looser SLO leaves every budget standing (exit 0); over the last day the recent outage alone spends it', async () => {
    const loose = await runInProcess(['budget', '--history', history, '--slo', '99', '--format', 'json', ...until], {}, dir);
    expect(loose.code, loose.stderr).toBe(0);
    expect((JSON.parse(loose.stdout) as BudgetReport).monitors.map((m) => m.budgetRemainingSec)).toEqual([25920 - 2700, 25920 - 1200]);
    const day = await runInProcess(['budget', '--history', history, '--window', '24h', '--format', 'json', ...until], {}, dir);
    expect(day.code).toBe(1);
    expect((JSON.parse(day.stdout) as BudgetReport).monitors.map((m) => [m.name, m.downSec, m.budgetSec, m.spent])).toEqual([['http:api', 300, 86.4, true], ['dns:shop.test', 0, 86.4, false]]);
  });

  it('the HTML page is self-contained: availability bars, incident timeline, latency, no external resource', async () => {
    const r = await runCli(['budget', '--history', history, '--format', 'html', ...until], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<!doctype html>/);
    expect(r.stdout).toMatch(/<svg class="timeline"/);
    expect(r.stdout).toMatch(/class="bar"/);
    expect(r.stdout).toMatch(/400 ms/);
    expect(r.stdout).not.toMatch(/<script|<link|<img|src=|href=|url\(|@import/i);
  });
});

describe('budget on a history it cannot trust', () => {
  it('no history, an empty one, or nothing in the window: exit 2 with what to do', async () => {
    const missing = await runInProcess(['budget', '--history', join(dir, 'none.jsonl')], {}, dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no watch history at .*none\.jsonl: `launch-ready watch` writes one there/);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const e = await runInProcess(['budget', '--history', empty], {}, dir);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/empty\.jsonl is empty: nothing has been recorded yet/);
    const old = await runInProcess(['budget', '--history', history, '--until', '2027-01-01T00:00:00Z'], {}, dir);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/falls in the window .*the latest is from 2026-05-31T23:59:00\.000Z/);
  });

  it('a damaged line fails with its line number; a torn last line (a crash mid-write) is skipped and said', async () => {
    const work = join(dir, 'damaged');
    mkdirSync(work);
    const good = serialize(month().slice(-4));
    const damaged = join(work, 'h.jsonl');
    writeFileSync(damaged, `${good}{"time": "2026-05-31T23:59:00Z", "monitor"\n${good}`);
    const d = await runInProcess(['budget', '--history', damaged, ...until], {}, dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/h\.jsonl is damaged at line 5: not valid JSON; a budget computed around it would be a guess/);
    const wrongShape = join(work, 'shape.jsonl');
    writeFileSync(wrongShape, `${good}{"time":"2026-05-31T23:59:00Z","monitor":"x","kind":"smtp","target":"t","up":true}\n`);
    const s = await runInProcess(['budget', '--history', wrongShape, ...until], {}, dir);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/line 5: "kind" is not http, dns or tls/);
    const torn = join(work, 'torn.jsonl');
    writeFileSync(torn, good);
    appendFileSync(torn, '{"time":"2026-05-31T23:59:30Z","monitor":"http:a');
    const t = await runInProcess(['budget', '--history', torn, '--window', '1h', '--format', 'json', ...until], {}, dir);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/torn\.jsonl: skipped its last line, cut short by an interrupted write/);
    expect((JSON.parse(t.stdout) as BudgetReport).monitors.map((m) => m.probes)).toEqual([2, 2]);
  });
});
