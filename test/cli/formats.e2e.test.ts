// Several formats in one run, the GitHub step summary, --baseline and --save-facts/--from-facts round trips.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/types.js';
import { startBrokenSandbox, type BrokenSandbox } from '../helpers/broken-sandbox.js';
import { runInProcess } from '../helpers/cli.js';

const root = join(import.meta.dirname, '../..');
const FACTS = join(root, 'fixtures/facts/broken');
let dir: string;

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'lr-formats-')); });

describe('several formats at once', () => {
  it('--format json,sarif,junit,markdown --output-dir writes one file per format and nothing to stdout', async () => {
    const out = join(dir, 'out');
    const r = await runInProcess(['audit', '--from-facts', FACTS, '--only', 'dns,config', '--format', 'json,sarif,junit,markdown', '--output-dir', out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect((JSON.parse(readFileSync(join(out, 'launch-ready.json'), 'utf8')) as Report).verdict).toBe('no-go');
    expect(JSON.parse(readFileSync(join(out, 'launch-ready.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readFileSync(join(out, 'launch-ready.junit.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(join(out, 'launch-ready.md'), 'utf8')).toMatch(/NO-GO/);
  });

  it('--output <format>=<file> per format, with one format left on stdout', async () => {
    const sarif = join(dir, 'r.sarif');
    const r = await runInProcess(['audit', '--from-facts', FACTS, '--only', 'dns,config', '--format', 'table,sarif', '--output', `sarif=${sarif}`, '--no-color']);
    expect(r.stdout).toMatch(/NO-GO/);
    expect(r.stderr).toMatch(/sarif report written to/);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results.length).toBe(7);
  });

  it('appends the Markdown summary to GITHUB_STEP_SUMMARY', async () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    await runInProcess(['audit', '--from-facts', FACTS, '--only', 'dns,config', '--format', 'json'], { GITHUB_STEP_SUMMARY: summary });
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## ⛔ launch-ready: NO-GO')).toBe(true);
  });
});

describe('--baseline', () => {
  it('findings already in the baseline are listed as known and do not fail the run; new ones do', async () => {
    const full = await runInProcess(['audit', '--from-facts', FACTS, '--only', 'dns,config', '--format', 'json']);
    const report = JSON.parse(full.stdout) as Report;
    const baselineFile = join(dir, 'baseline.json');
    writeFileSync(baselineFile, full.stdout);
    const again = await runInProcess(['audit', '--from-facts', FACTS, '--only', 'dns,config', '--format', 'json', '--baseline', baselineFile]);
    expect(again.code).toBe(0);
    const known = JSON.parse(again.stdout) as Report;
    expect(known.verdict).toBe('go');
    expect(known.findings.filter((f) => f.accepted?.baseline)).toHaveLength(6);
    expect(known.findings[0]!.accepted!.reason).toBe(`known: already in the baseline ${baselineFile}`);
    // Drop one finding from the baseline: it is new again and blocks.
    const partial = { ...report, findings: report.findings.filter((f) => f.id !== 'dns.unresolvable-host.nxdomain') };
    writeFileSync(baselineFile, JSON.stringify(partial));
    const withNew = JSON.parse((await runInProcess(['audit', '--from-facts', FACTS, '--only', 'dns,config', '--format', 'json', '--baseline', baselineFile])).stdout) as Report;
    expect(withNew.verdict).toBe('no-go');
    expect(withNew.findings.filter((f) => !f.accepted).map((f) => f.id)).toEqual(['dns.unresolvable-host.nxdomain']);
  });

  it('rejects a file that is not a report', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    const r = await runInProcess(['audit', '--from-facts', FACTS, '--only', 'dns,config', '--baseline', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a launch-ready JSON report/);
  });
});

describe('--save-facts and --from-facts', () => {
  let sandbox: BrokenSandbox;
  beforeAll(async () => { sandbox = await startBrokenSandbox(); });
  afterAll(async () => { await sandbox.close(); });

  it('a replay of recorded facts gives the same report as the live run, without any network', async () => {
    const config = join(dir, 'live.json');
    writeFileSync(config, JSON.stringify(sandbox.config));
    const factsDir = join(dir, 'facts');
    const live = await runInProcess(['audit', '--config', config, '--format', 'json', '--save-facts', factsDir]);
    expect(live.stderr).toMatch(/facts recorded in/);
    const before = sandbox.ns1.queries.length;
    const replay = await runInProcess(['audit', '--config', config, '--format', 'json', '--from-facts', factsDir]);
    expect(sandbox.ns1.queries.length).toBe(before);
    const strip = (t: string) => {
      const r = JSON.parse(t) as Report;
      return { ...r, startedAt: 0, durationMs: 0, checks: r.checks.map((c) => ({ ...c, durationMs: 0 })) };
    };
    expect(strip(replay.stdout)).toEqual(strip(live.stdout));
    expect(replay.code).toBe(live.code);
  });

  it('secrets from ${env:...} are scrubbed from recorded facts', async () => {
    const secret = ['proj', 'ect', '-', 'x9', 'q7'].join('');
    const config = join(dir, 'secret.json');
    writeFileSync(config, JSON.stringify({ ...sandbox.config, accept: [{ id: 'dns.missing-caa', reason: 'owner ${env:LR_S}' }] }));
    const factsDir = join(dir, 'facts-secret');
    await runInProcess(['audit', '--config', config, '--format', 'json', '--save-facts', factsDir, '--only', 'config'], { LR_S: secret });
    expect(readFileSync(join(factsDir, 'facts.json'), 'utf8')).not.toContain(secret);
  });
});
