// The CLI end to end against sandbox nameservers on loopback: verdicts, ranked findings, exit codes, JSON schema,
// redaction, and proof that every lookup goes through our own DNS collector.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadZoneFile, parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import type { Report } from '../../src/types.js';
import { brokenZone } from '../helpers/broken-sandbox.js';
import { runCli, runInProcess } from '../helpers/cli.js';
import { watchSystemLookups } from '../helpers/net-watch.js';

const root = join(import.meta.dirname, '../..');

const APEX_CNAME_ZONE = `$ORIGIN flat.test.
$TTL 300
@   SOA ns1.flat.test. hostmaster.flat.test. ( 1 3600 600 1209600 300 )
@   CNAME www.flat.test.
www A 127.0.0.1
`;

let ns1: DnsSandbox; // also the resolver
let ns2: DnsSandbox; // lags one serial behind on broken.test
let ns3: DnsSandbox; // lame for broken.test: does not serve it
let cleanNs2: DnsSandbox;
let silent: DnsSandbox; // answers nothing at all
let dir: string;

beforeAll(async () => {
  const clean = await loadZoneFile(join(root, 'fixtures/zones/clean.test.zone'));
  const heroku = await loadZoneFile(join(root, 'fixtures/zones/herokuapp.com.zone'));
  ns1 = await startDnsSandbox({ zones: [clean, heroku, parseZone(brokenZone(10)), parseZone(APEX_CNAME_ZONE)] });
  ns2 = await startDnsSandbox({ zones: [parseZone(brokenZone(9))] });
  ns3 = await startDnsSandbox({ zones: [heroku] });
  cleanNs2 = await startDnsSandbox({ zones: [clean] });
  silent = await startDnsSandbox({ zones: [clean] });
  for (const name of ['clean.test', 'www.clean.test', 'api.clean.test', 'admin.clean.test', 'app.clean.test']) silent.setFault(name, { drop: true });
  dir = mkdtempSync(join(tmpdir(), 'lr-e2e-'));
});

afterAll(async () => {
  await Promise.all([ns1, ns2, ns3, cleanNs2, silent].map((s) => s?.close()));
});

const at = (s: DnsSandbox) => `${s.address}:${s.port}`;

// These tests are about the DNS pipeline: the other areas have end-to-end tests of their own.
function cleanArgs(): string[] {
  return ['audit', 'clean.test', '--only', 'dns,config', '--resolver', at(ns1), '--connect-to', `ns1.clean.test:53:${at(ns1)}`, '--connect-to', `ns2.clean.test:53:${at(cleanNs2)}`];
}

function brokenConfig(extra: object = {}): string {
  const file = join(dir, `broken-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({
    project: 'Broken Co',
    only: ['dns', 'config'],
    domains: [{ name: 'broken.test', hosts: ['www', 'api', 'admin', 'app'], expect: { www: { A: ['127.0.0.1'] } } }],
    network: {
      resolver: at(ns1),
      connectTo: [`ns1.broken.test:53:${at(ns1)}`, `ns2.broken.test:53:${at(ns2)}`, `ns3.broken.test:53:${at(ns3)}`],
      timeoutMs: 1500,
    },
    ...extra,
  }));
  return file;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateReport = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/report.schema.json'), 'utf8')));

function parseReport(stdout: string): Report {
  const report = JSON.parse(stdout) as Report;
  const valid = validateReport(report);
  expect(validateReport.errors ?? [], 'report validates against schemas/report.schema.json').toEqual([]);
  expect(valid).toBe(true);
  return report;
}

describe('audit: clean zone', () => {
  it('is GO with exit 0, no findings, every check passing', async () => {
    const r = await runCli([...cleanArgs(), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = parseReport(r.stdout);
    expect(report.verdict).toBe('go');
    expect(report.findings).toEqual([]);
    // The standard surfaces, then what discovery found: the mail host and the nameservers, DNS-only surfaces.
    expect(report.target.hosts).toEqual(['clean.test', 'www.clean.test', 'api.clean.test', 'admin.clean.test', 'app.clean.test', 'mail.clean.test', 'ns1.clean.test', 'ns2.clean.test']);
    for (const c of report.checks) expect(['pass', 'not-applicable'], `${c.id}: ${c.status} ${c.error ?? ''}`).toContain(c.status);
    expect(report.checks.find((c) => c.id === 'lame-delegation')!.details).toEqual({
      probes: { [`${at(ns1)} (ns1.clean.test)`]: 'authoritative', [`${at(cleanNs2)} (ns2.clean.test)`]: 'authoritative' },
    });
  });

  it('prints a table with the verdict by default, and only the report on stdout', async () => {
    const r = await runCli(cleanArgs());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\bGO\b/);
    expect(r.stdout).not.toMatch(/NO-GO/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stderr).toBe('');
  });
});

describe('audit: broken zone', () => {
  it('is NO-GO with exit 1 and the exact ranked findings', async () => {
    const r = await runCli(['audit', '--config', brokenConfig(), '--format', 'json']);
    expect(r.code).toBe(1);
    const report = parseReport(r.stdout);
    expect(report.verdict).toBe('no-go');
    expect(report.findings.map((f) => [f.rank, f.severity, f.id, f.location.host])).toEqual([
      [1, 'high', 'dns.dangling-cname.target-nxdomain', 'app.broken.test'],
      [2, 'high', 'dns.dangling-cname.target-nxdomain-provider-edge', 'admin.broken.test'],
      [3, 'high', 'dns.lame-delegation.no-answer', 'ns3.broken.test'],
      [4, 'high', 'dns.unexpected-record.a-mismatch', 'www.broken.test'],
      [5, 'high', 'dns.unresolvable-host.nxdomain', 'api.broken.test'],
      [6, 'medium', 'dns.soa-serial-mismatch.mismatch', 'broken.test'],
      [7, 'low', 'dns.missing-caa.absent', 'broken.test'],
    ]);
    const admin = report.findings[1]!;
    expect(admin.message).toBe('admin.broken.test is a CNAME to ghost-app.herokuapp.com on Heroku, which does not exist: in some setups someone else can claim that name at Heroku and serve content on admin.broken.test (takeover is an edge case there). Chain: admin.broken.test → ghost-app.herokuapp.com.');
    expect(admin.location.record).toBe('admin.broken.test CNAME ghost-app.herokuapp.com');
    expect(admin.whatBreaks).toMatch(/subdomain takeover/);
    expect(admin.remediation).toMatch(/Delete the CNAME/);
    expect(report.findings[2]!.message).toMatch(/ns3\.broken\.test .* refused/);
    expect(report.findings[5]!.message).toMatch(/: 10, .*: 9\.$/);
    expect(report.summary).toEqual({ critical: 0, high: 5, medium: 1, low: 1, info: 0, accepted: 0, places: 7 });
  });

  it('the JSON report is deterministic apart from times', async () => {
    const config = brokenConfig();
    const strip = (text: string) => {
      const r = JSON.parse(text) as Report;
      const target = r.target.discovery ? { ...r.target, discovery: { ...r.target.discovery, elapsedMs: 0 } } : r.target;
      return { ...r, target, startedAt: 0, durationMs: 0, checks: r.checks.map((c) => ({ ...c, durationMs: 0 })) };
    };
    const [a, b] = await Promise.all([runCli(['audit', '--config', config, '--format', 'json']), runCli(['audit', '--config', config, '--format', 'json'])]);
    expect(strip(a.stdout)).toEqual(strip(b.stdout));
    expect(JSON.stringify(strip(a.stdout))).toBe(JSON.stringify(strip(b.stdout)));
  });

  it('the table shows the NO-GO banner and the ranked risks with what breaks and the fix', async () => {
    const r = await runCli(['audit', '--config', brokenConfig()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NO-GO/);
    const ranked = r.stdout.slice(r.stdout.indexOf('Ranked risks'));
    expect(ranked.indexOf('app.broken.test')).toBeLessThan(ranked.indexOf('ghost-app.herokuapp.com'));
    expect(r.stdout).toMatch(/Breaks:/);
    expect(r.stdout).toMatch(/Fix:/);
  });

  it('--fail-on critical turns it GO; accepted risks stay visible; an env value in config never reaches the report', async () => {
    const owner = ['owner', 'tok', 'en', '7f3a9c'].join('-');
    const config = brokenConfig({ accept: [{ id: 'dns.missing-caa', reason: 'ops (${env:LR_OWNER}) adds CAA after launch', expires: '2099-12-31' }] });
    const r = await runCli(['audit', '--config', config, '--format', 'json', '--fail-on', 'critical'], { env: { LR_OWNER: owner } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(owner);
    const report = parseReport(r.stdout);
    expect(report.verdict).toBe('go');
    const caa = report.findings.find((f) => f.checkId === 'missing-caa')!;
    expect(caa.accepted).toEqual({ reason: 'ops ([redacted:env:LR_OWNER]) adds CAA after launch', expires: '2099-12-31' });
    expect(report.summary.accepted).toBe(1);
    const table = await runCli(['audit', '--config', config, '--fail-on', 'critical'], { env: { LR_OWNER: owner } });
    expect(table.stdout).not.toContain(owner);
    expect(table.stdout).toMatch(/Accepted risks/);
  });

  it('--only and --skip select checks by area or id', async () => {
    const r = await runCli(['audit', '--config', brokenConfig(), '--format', 'json', '--only', 'dangling-cname,dns.missing-caa']);
    const report = parseReport(r.stdout);
    expect(report.checks.map((c) => c.id)).toEqual(['dangling-cname', 'missing-caa']);
    const skipped = parseReport((await runCli(['audit', '--config', brokenConfig(), '--format', 'json', '--skip', 'dns'])).stdout);
    expect(skipped.checks.map((c) => c.id)).toEqual(['expired-acceptance']);
  });

  it('flags a CNAME at the apex', async () => {
    const r = await runCli(['audit', 'flat.test', '--resolver', at(ns1), '--format', 'json', '--only', 'apex-cname']);
    const report = parseReport(r.stdout);
    expect(report.findings.map((f) => [f.id, f.message])).toEqual([['dns.apex-cname.cname', 'The apex flat.test is a CNAME to www.flat.test.']]);
    expect(r.code).toBe(1);
  });

  it('--output writes the report to a file and keeps stdout empty', async () => {
    const out = join(dir, 'report.json');
    const r = await runCli(['audit', '--config', brokenConfig(), '--format', 'json', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/NO-GO: json report written to/);
    expect(parseReport(readFileSync(out, 'utf8')).verdict).toBe('no-go');
  });
});

describe('audit: unknowns are never a pass', () => {
  it('a nameserver that never answers gives INCOMPLETE (exit 3) within the per-step deadline', async () => {
    const started = Date.now();
    const r = await runCli(['audit', 'clean.test', '--resolver', at(silent), '--timeout', '600', '--format', 'json', '--only', 'unresolvable-host,dangling-cname']);
    expect(r.code).toBe(3);
    const report = parseReport(r.stdout);
    expect(report.verdict).toBe('incomplete');
    expect(report.incomplete.map((i) => i.id)).toEqual(['unresolvable-host', 'dangling-cname']);
    expect(report.incomplete[0]!.error).toMatch(/clean\.test: A timeout/);
    expect(report.verdictReason).toMatch(/could not be completed/);
    // Liveness, not speed: the run must not wait for the default 120 s deadline.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('usage and config errors exit 2 with a message naming the problem', () => {
  it.each([
    [['audit'], /nothing to audit: give a domain/],
    [['audit', 'clean.test', '--only', 'dnss'], /unknown area or check "dnss"/],
    [['audit', 'clean.test', '--connect-to', 'bad'], /"bad" is not HOST1:PORT1:HOST2:PORT2/],
    [['audit', 'clean.test', '--resolver', 'not an ip'], /"not an ip" is not an address/],
    [['audit', 'clean.test', '--format', 'xml'], /unknown format "xml": choose from table, json, sarif, junit, markdown, html/],
    [['audit', 'clean.test', '--format', 'json,sarif'], /json and sarif cannot both go to stdout/],
    [['audit', 'clean.test', '--format', 'json', '--output', 'a.json', '--output', 'b.json'], /given 2 files \(a\.json, b\.json\) for one report/],
    [['audit', 'clean.test', '--baseline', '/nonexistent/r.json', '--resolver', '127.0.0.1:9'], /--baseline \/nonexistent\/r\.json: cannot read/],
    [['audit', 'clean.test', '--from-facts', '/nonexistent/facts'], /cannot read recorded facts/],
    [['audit', 'clean.test', '--timeout', '-5'], /--timeout must be a duration/],
    [['audit', '--config', '/nonexistent/lr.json'], /lr\.json: file not found/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j', async (args, message) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('an invalid config names the path and the expected value', async () => {
    const file = join(dir, 'invalid.json');
    writeFileSync(file, '{ "domains": [ { "name": "shop.test", "canonical": "naked" } ] }');
    const r = await runCli(['audit', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}: domains[0].canonical: expected one of "apex", "www"\n`);
  });
});

describe('every lookup goes through our DNS collector', () => {
  it('never calls the system resolver, and asks the sandbox for every name, each name+type once', async () => {
    // IP literals short-circuit inside node:dns; a host name would go to the system resolver.
    const { names: systemLookups, restore } = watchSystemLookups();
    const before = ns1.queries.length;
    const before2 = cleanNs2.queries.length;
    try {
      const r = await runInProcess([...cleanArgs(), '--format', 'json']);
      expect(r.code).toBe(0);
    } finally {
      restore();
    }
    expect(systemLookups.filter((h) => !/^[\d.:]+$/.test(h))).toEqual([]);
    const asked = ns1.queries.slice(before).map((q) => `${q.name.toLowerCase()} ${q.type}`);
    for (const host of ['clean.test', 'www.clean.test', 'api.clean.test', 'admin.clean.test', 'app.clean.test']) {
      expect(asked).toContain(`${host} A`);
      expect(asked).toContain(`${host} AAAA`);
    }
    // The NS probe reached ns2 through --connect-to, not through any address lookup.
    // Discovery asks it for a zone transfer (refused) the same way.
    expect(cleanNs2.queries.slice(before2).map((q) => `${q.name} ${q.type}`).sort()).toEqual(['clean.test AXFR', 'clean.test SOA']);
    // The recursive part: no name+type asked twice (ns1 also gets one SOA probe as a nameserver).
    const recursive = asked.filter((q) => q !== 'clean.test SOA');
    expect(recursive.length).toBe(new Set(recursive).size);
  });
});
