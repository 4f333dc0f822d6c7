// The CLI end to end against the secure-edge sandbox: every planted TLS/redirect defect found with the right
// severity, nothing on the clean twin, launchDate honoured, --ca wiring, and proof that HTTP and TLS connections
// resolve names only through our DNS collector.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKEN_EDGE, CLEAN_EDGE, PLANTED, startEdgeSandbox, type EdgeSandbox } from '../../src/sandbox/edge-site.js';
import type { Report } from '../../src/types.js';
import { runCli, runInProcess } from '../helpers/cli.js';
import { watchSystemLookups } from '../helpers/net-watch.js';

let sb: EdgeSandbox;
let dir: string;
let ca: string;

beforeAll(async () => {
  sb = await startEdgeSandbox();
  dir = mkdtempSync(join(tmpdir(), 'lr-edge-'));
  ca = join(dir, 'sandbox-root.pem');
  writeFileSync(ca, sb.certs.caPem);
});

afterAll(async () => {
  await sb?.close();
});

function config(domain: string, hosts: string[], extra: Record<string, unknown> = {}, network: Record<string, unknown> = {}): string {
  const file = join(dir, `${domain}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({
    domains: [{ name: domain, hosts }],
    network: { resolver: sb.resolver, connectTo: sb.connectTo, timeoutMs: 3000, ca: 'sandbox-root.pem', ...network },
    ...extra,
  }));
  return file;
}

const brokenConfig = () => config(BROKEN_EDGE, sb.brokenLabels);
const cleanConfig = (extra: Record<string, unknown> = {}) => config(CLEAN_EDGE, ['www', 'api'], extra);
const hostOf = (label: string) => (label === '@' ? BROKEN_EDGE : `${label}.${BROKEN_EDGE}`);

describe('edge audit: broken twin', () => {
  let report: Report;
  let code: number | null;
  beforeAll(async () => {
    const r = await runCli(['audit', '--config', brokenConfig(), '--format', 'json', '--only', 'tls,redirects,exposed-source-map'], { timeoutMs: 30_000 });
    code = r.code;
    report = JSON.parse(r.stdout) as Report;
  }, 40_000);

  it('is NO-GO with exit 1', () => {
    expect(code).toBe(1);
    expect(report.verdict).toBe('no-go');
    expect(report.incomplete).toEqual([]);
  });

  it('finds every planted defect on its host, and nothing else', () => {
    const got = new Set(report.findings.map((f) => `${f.location.host} ${f.id}`));
    const want = new Set(Object.entries(PLANTED).flatMap(([label, ids]) => ids.map((id) => `${hostOf(label)} ${id}`)));
    expect([...got].sort()).toEqual([...want].sort());
  });

  it('with the severity each defect deserves', () => {
    const sev = (id: string) => [...new Set(report.findings.filter((f) => f.id === id).map((f) => f.severity))];
    expect(sev('tls.cert-expiry.expired')).toEqual(['critical']);
    expect(sev('tls.cert-expiry.not-yet-valid')).toEqual(['critical']);
    expect(sev('tls.cert-expiry.expires-in-14-days')).toEqual(['high']);
    expect(sev('tls.cert-name-mismatch.mismatch')).toEqual(['critical']);
    expect(sev('tls.untrusted-chain.self-signed')).toEqual(['critical']);
    expect(sev('tls.untrusted-chain.incomplete')).toEqual(['critical']);
    expect(sev('tls.https-unavailable.closed')).toEqual(['critical']);
    expect(sev('tls.weak-key.rsa-weak')).toEqual(['medium']);
    expect(sev('tls.weak-signature.sha1')).toEqual(['high']);
    expect(sev('tls.legacy-tls.tls10-accepted')).toEqual(['medium']);
    expect(sev('tls.hsts-policy.short')).toEqual(['medium']);
    expect(sev('tls.mixed-content.active')).toEqual(['high']);
    expect(sev('redirects.insecure-http.served-over-http')).toEqual(['high']);
    expect(sev('redirects.insecure-http.temporary-redirect')).toEqual(['low']);
    expect(sev('redirects.redirect-loop.loop')).toEqual(['high']);
    expect(sev('redirects.https-downgrade.downgrade')).toEqual(['high']);
    expect(sev('redirects.non-canonical-origin.wrong-origin')).toEqual(['medium']);
    expect(sev('redirects.dropped-path.path-dropped')).toEqual(['medium']);
    expect(sev('redirects.off-domain-redirect.off-domain')).toEqual(['high']);
    expect(report.findings[0]!.severity).toBe('critical');
  });

  it('says why a chain fails and what breaks', () => {
    const f = report.findings.find((x) => x.id === 'tls.untrusted-chain.incomplete')!;
    expect(f.message).toBe(`The chain nochain.${BROKEN_EDGE} serves is incomplete: the server sends only the leaf; its issuer "launch-ready Sandbox Issuing CA 1" is neither sent nor a trusted root (the intermediate certificate is missing).`);
    expect(f.whatBreaks).toMatch(/Android and iOS apps, curl/);
    expect(f.evidence).toBeUndefined(); // OpenSSL's own verdict is left out under --ca
    const loop = report.findings.find((x) => x.id === 'redirects.redirect-loop.loop' && x.location.host === `loop.${BROKEN_EDGE}`)!;
    expect(loop.occurrences.find((o) => o.url === `https://loop.${BROKEN_EDGE}/`)!.message).toBe(`https://loop.${BROKEN_EDGE}/ redirects in a loop: 301 https://loop.${BROKEN_EDGE}/ → 301 https://loop.${BROKEN_EDGE}/home → https://loop.${BROKEN_EDGE}/.`);
  });

  it('finds every source map a script names (comment, SourceMap header, inline, <script>.map), one finding for the host', () => {
    const maps = report.findings.filter((f) => f.id.startsWith('edge.exposed-source-map'));
    expect(maps).toHaveLength(1);
    const f = maps[0]!;
    expect(f).toMatchObject({ id: 'edge.exposed-source-map.source-content', severity: 'medium', location: { host: `maps.${BROKEN_EDGE}` } });
    const m = `https://maps.${BROKEN_EDGE}`;
    expect(f.occurrences.map((o) => o.url).sort()).toEqual([`${m}/app.js.map`, `${m}/guess.js.map`, `${m}/legacy.js`, `${m}/maps/header.js.map`]);
    const said = Object.fromEntries(f.occurrences.map((o) => [o.url, o.message]));
    expect(said[`${m}/app.js.map`]).toBe(`${m}/app.js.map, the source map of ${m}/app.js, publishes the full original text of 2 of 2 source file(s) (e.g. webpack://maps/src/main.ts, webpack://maps/src/admin.ts).`);
    expect(said[`${m}/maps/header.js.map`]).toMatch(/lists the paths of 3 source file\(s\), without their text \(named by the SourceMap header\)/);
    expect(said[`${m}/guess.js.map`]).toMatch(new RegExp(`full original text of 1 of 1 source file\\(s\\) \\(next to ${m}/guess\\.js\\)`));
    // Referenced over http://, fetched over https://; its map is inline.
    expect(said[`${m}/legacy.js`]).toMatch(/legacy\.js carries its source map inline and publishes the full original text of 1 of 1/);
    const asked = sb.web.requests.filter((q) => q.host === `maps.${BROKEN_EDGE}`).map((q) => `${q.scheme} ${q.path}`);
    expect(asked).toContain('https /legacy.js');
    expect(asked).not.toContain('http /legacy.js');
    // The header wins: the comment's map is never asked for. The clean script's .map is the fallback page: silent.
    expect(asked).not.toContain('https /ignored.js.map');
    expect(asked).toContain('https /clean.js.map');
    // A script of another site is never fetched: its name is not even resolved.
    expect(sb.dns.queries.map((q) => q.name.toLowerCase())).not.toContain('cdn.vendor-site.test');
    const check = report.checks.find((c) => c.id === 'exposed-source-map')!;
    expect((check.details as { outcomes: Record<string, number> }).outcomes).toMatchObject({ map: 4, html: expect.any(Number) });
  });

  it('records what was measured also where checks passed', () => {
    const legacy = report.checks.find((c) => c.id === 'legacy-tls')!;
    expect((legacy.details as { legacyProtocols: Record<string, unknown> }).legacyProtocols[`legacy.${BROKEN_EDGE}`]).toEqual({ TLSv1: 'accepted', 'TLSv1.1': 'accepted' });
  });
});

describe('edge audit: clean twin', () => {
  it('is GO with exit 0 and no findings, every check passing (DNS included)', async () => {
    const r = await runCli(['audit', '--config', cleanConfig(), '--format', 'json', '--only', 'dns,tls,redirects,exposed-source-map'], { timeoutMs: 30_000, cwd: dir });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => f.id)).toEqual([]);
    expect(r.code).toBe(0);
    for (const c of report.checks) expect(['pass', 'not-applicable'], `${c.id}: ${c.status} ${c.error ?? ''}`).toContain(c.status);
    expect(report.checks.filter((x) => x.area === 'tls' || x.area === 'redirects').every((x) => x.status === 'pass')).toBe(true);
    // Its script and the .map next to it are the app's fallback page: looked at, not a map.
    expect(report.checks.find((x) => x.id === 'exposed-source-map')).toMatchObject({ status: 'pass', details: { scripts: 1, maps: 0, outcomes: { html: 1 } } });
  });

  it('launchDate: the certificate expiring 10 days after launch is high (NO-GO)', async () => {
    const launch = new Date(Date.now() + 50 * 86_400_000).toISOString().slice(0, 10);
    const r = await runCli(['audit', '--config', cleanConfig({ launchDate: launch }), '--format', 'json', '--only', 'cert-expiry'], { timeoutMs: 30_000 });
    const report = JSON.parse(r.stdout) as Report;
    expect(r.code).toBe(1);
    expect(report.findings.map((f) => [f.id, f.severity, f.location.host]).sort()).toEqual([
      ['tls.cert-expiry.expires-14-days-after-launch', 'high', `api.${CLEAN_EDGE}`],
      ['tls.cert-expiry.expires-14-days-after-launch', 'high', CLEAN_EDGE],
      ['tls.cert-expiry.expires-14-days-after-launch', 'high', `www.${CLEAN_EDGE}`],
    ].sort());
    expect(report.findings[0]!.message).toMatch(new RegExp(`, (9|10) days after your launch on ${launch}\\.$`));
  });

  it('without --ca the private root is unknown: critical, NO-GO', async () => {
    const file = config(CLEAN_EDGE, ['www', 'api'], {}, { ca: undefined });
    const r = await runCli(['audit', '--config', file, '--format', 'json', '--only', 'untrusted-chain'], { timeoutMs: 30_000 });
    const report = JSON.parse(r.stdout) as Report;
    expect(r.code).toBe(1);
    expect(new Set(report.findings.map((f) => f.id))).toEqual(new Set(['tls.untrusted-chain.unknown-issuer']));
    // --ca on the command line fixes it.
    const ok = await runCli(['audit', '--config', file, '--format', 'json', '--only', 'untrusted-chain', '--ca', ca], { timeoutMs: 30_000 });
    expect(ok.code).toBe(0);
  });

  it('a bad --ca is a usage error (exit 2) naming the file', async () => {
    const r = await runCli(['audit', CLEAN_EDGE, '--resolver', sb.resolver, '--ca', join(dir, 'missing.pem')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--ca .*missing\.pem: cannot read it \(ENOENT\)/);
  });
});

describe('edge audit: every lookup goes through our DNS collector', () => {
  it('TLS and HTTP connections never use the system resolver; the sandbox saw every host', async () => {
    const { names: systemLookups, restore } = watchSystemLookups();
    const before = sb.dns.queries.length;
    let r;
    try {
      r = await runInProcess(['audit', '--config', cleanConfig(), '--format', 'json', '--only', 'tls,redirects']);
    } finally {
      restore();
    }
    expect(r.code).toBe(0);
    expect(systemLookups.filter((h) => !/^[\d.:]+$/.test(h))).toEqual([]);
    const asked = sb.dns.queries.slice(before).map((q) => `${q.name.toLowerCase()} ${q.type}`);
    for (const host of [CLEAN_EDGE, `www.${CLEAN_EDGE}`, `api.${CLEAN_EDGE}`]) {
      expect(asked).toContain(`${host} A`);
      expect(asked).toContain(`${host} AAAA`);
    }
    // One cache per run: TLS, HTTP and every hop share the answers.
    expect(asked.length).toBe(new Set(asked).size);
  });
});

describe('demo: DNS, TLS and redirect findings, offline', () => {
  it('finds the planted edge defects next to the DNS ones and stops everything', async () => {
    const r = await runCli(['demo', '--format', 'json'], { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.verdict).toBe('no-go');
    // The full list: a finding that appears from nowhere fails this test too.
    expect(report.findings.map((f) => `${f.id} ${f.location.host}`).sort()).toEqual([
      'dns.dangling-cname.target-nxdomain-provider-edge admin.pawpost.test', 'dns.missing-caa.absent pawpost.test', 'dns.soa-serial-mismatch.mismatch pawpost.test',
      'email.dkim-missing.none-found pawpost.test', 'email.dmarc-missing.absent pawpost.test', 'email.mta-sts-policy.absent pawpost.test', 'email.tls-rpt-record.absent pawpost.test',
      'edge.missing-security-headers.frame-protection app.pawpost.test', 'edge.origin-exposed.origin-exposed api.pawpost.test', 'edge.origin-exposed.origin-exposed pawpost.test',
      'edge.origin-exposed.uncached-assets app.pawpost.test', 'edge.origin-exposed.uncached-assets pawpost.test', 'edge.weak-content-security-policy.missing app.pawpost.test',
      'latency.http1-only.no-h2 api.pawpost.test', 'latency.http1-only.no-h2 app.pawpost.test',
      'redirects.dropped-path.path-dropped www.pawpost.test', 'redirects.insecure-http.temporary-redirect pawpost.test',
      'tls.cert-expiry.expires-14-days-after-launch app.pawpost.test', 'tls.hsts-policy.short pawpost.test', 'tls.legacy-tls.tls10-accepted api.pawpost.test',
      'tls.legacy-tls.tls11-accepted api.pawpost.test', 'tls.mixed-content.active pawpost.test', 'tls.untrusted-chain.incomplete api.pawpost.test',
    ].sort());
    expect(report.findings.find((f) => f.id === 'tls.cert-expiry.expires-14-days-after-launch')!.message).toMatch(/9 days after your launch/);
    // The demo's TLS and redirect checks all completed: nothing unknown on its own sandbox.
    expect(report.checks.filter((c) => (c.area === 'tls' || c.area === 'redirects') && c.status === 'error')).toEqual([]);
    expect(r.stderr).toMatch(/No traffic leaves this machine/);
  });
});
