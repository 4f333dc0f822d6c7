// The email area end to end: `launch-ready audit --only email` and `launch-ready spf` against sandbox nameservers on
// loopback (real UDP/TCP), with planted defects, SERVFAIL, and a clean domain that must come out GO.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertFactory } from '../../src/sandbox/certs.js';
import { loadZoneFile, parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { startWebSandbox, type WebSandbox } from '../../src/sandbox/https-server.js';
import type { Report } from '../../src/types.js';
import { REVERSE_ZONE, SPF_ZONE } from '../email/spf-sandbox.js';
import { runCli, runInProcess } from '../helpers/cli.js';

const root = join(import.meta.dirname, '../..');
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateReport = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/report.schema.json'), 'utf8')));

/** A DKIM TXT record for a fresh key, split in 250-character strings (only the public half is kept). */
function dkimRecord(bits: number, flags = '', tags = ''): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const text = `v=DKIM1; k=rsa;${tags ? ` ${tags}` : ''}${flags ? ` t=${flags};` : ''} p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 250) parts.push(`"${text.slice(i, i + 250)}"`);
  return `( ${parts.join(' ')} )`;
}

const soa = (o: string) => `$ORIGIN ${o}.\n$TTL 300\n@ SOA ns1.${o}. hostmaster.${o}. ( 1 3600 600 1209600 300 )\n@ NS ns1.${o}.\nns1 A 127.0.0.1\n`;
const aTerms = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `a:${prefix}${i}.bad.test`).join(' ');

function badZone(): string {
  return `${soa('bad.test')}
@        TXT "v=spf1 ptr include:one.bad.test include:two.bad.test ?all"
one      TXT "v=spf1 ${aTerms('x', 5)} -all"
${Array.from({ length: 5 }, (_, i) => `x${i} A 127.0.1.${i}\ny${i} A 127.0.2.${i}`).join('\n')}
two      TXT "v=spf1 ${aTerms('y', 5)} a:retired.bad.test -all"
_dmarc   TXT "v=DMARC1; p=none; rua=mailto:agg@reports.test"
google._domainkey TXT ${dkimRecord(1024, 'y')}
@        MX  10 mail.bad.test.
@        MX  20 gone.bad.test.
mail     CNAME relay.bad.test.
relay    A   127.0.0.30
`;
}

function worseZone(): string {
  const big = Array.from({ length: 11 }, (_, i) => `big MX ${i} mx${i}.worse.test.`).join('\n');
  return `${soa('worse.test')}
@        TXT "v=spf1 ip4:192.0.2.1 include:noinc.worse.test +all"
@        MX  10 192.0.2.9.
_dmarc   TXT "v=DMARC1; p=reject; sp=none; pct=50; foo=bar"
default._domainkey TXT "v=DKIM1; p="
s1._domainkey TXT "v=DKIM1; k=rsa; p=bm90IGEga2V5"
s2._domainkey TXT ${dkimRecord(512)}
k1._domainkey TXT ${dkimRecord(2048, '', 'h=sha1;')}
_smtp._tls TXT "v=TLSRPTv1;"
_mta-sts TXT "v=STSv1; id=bad!"
syn      TXT "v=spf1 ip4:1.2.3.4/33 -all"
_dmarc.syn TXT "v=DMARC1; rua=mailto:x@worse.test; p=reject"
noall    TXT "v=spf1 a:g1.worse.test a:g2.worse.test a:g3.worse.test mx:big.worse.test"
${big}
`;
}

// MTA-STS published, but the policy served over HTTPS is only in testing, short-lived and misses an MX host.
const STS_ZONE = `${soa('sts.test')}@ TXT "v=spf1 mx -all"\n@ MX 10 mx1.sts.test.\n@ MX 20 backup.sts.test.\nmx1 A 127.0.0.1\nbackup A 127.0.0.1\n_mta-sts TXT "v=STSv1; id=20261129"\n_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@sts.test"\n`;
const STS_POLICY = 'version: STSv1\nmode: testing\nmx: mx1.sts.test\nmax_age: 3600\n';

const NOSPF_ZONE = `${soa('nospf.test')}@ A 127.0.0.1\n`;
const PERM_ZONE = `${soa('perm.test')}@ TXT "v=spf1 -all"\n@ TXT "v=spf1 mx -all"\n@ MX 0 .\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@perm.test"\n`;
const SF_ZONE = `${soa('sf.test')}@ TXT "v=spf1 -all"\n`;
const REPORTS_ZONE = `${soa('reports.test')}other.test._report._dmarc TXT "v=DMARC1"\n`;

let dns: DnsSandbox;
let web: WebSandbox;
let caFile: string;
let dir: string;
let resolver: string;

beforeAll(async () => {
  const clean = await loadZoneFile(join(root, 'fixtures/zones/clean.test.zone'));
  dns = await startDnsSandbox({
    zones: [clean, parseZone(badZone()), parseZone(NOSPF_ZONE), parseZone(PERM_ZONE), parseZone(SF_ZONE), parseZone(worseZone()), parseZone(STS_ZONE), parseZone(REPORTS_ZONE), parseZone(SPF_ZONE), parseZone(REVERSE_ZONE)],
  });
  dns.setFault('sf.test', { servfail: true }, 'TXT');
  dns.setFault('sf.spf.test', { servfail: true }, 'TXT');
  resolver = `${dns.address}:${dns.port}`;
  dir = mkdtempSync(join(tmpdir(), 'lr-email-'));
  const certs = new CertFactory();
  web = await startWebSandbox({
    hosts: { 'mta-sts.sts.test': { cert: certs.leaf('mta-sts.sts.test'), https: () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: STS_POLICY }) } },
  });
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certs.caPem);
}, 30_000);

afterAll(async () => { await Promise.all([dns?.close(), web?.close()]); });

function config(email: object): string {
  const file = join(dir, `cfg-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ email, network: { resolver, timeoutMs: 1500 } }));
  return file;
}

async function audit(domain: string, extra: string[] = []): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await runInProcess(['audit', domain, '--only', 'email', '--resolver', resolver, '--timeout', '1500', '--format', 'json', ...extra]);
  const report = JSON.parse(r.stdout) as Report;
  // Email findings carry list arguments and nested details: the published report schema must still hold.
  validateReport(report);
  expect(validateReport.errors ?? []).toEqual([]);
  return { code: r.code, report, stderr: r.stderr };
}

describe('audit --only email', () => {
  it('a well-configured domain is GO', async () => {
    const { code, report } = await audit('clean.test');
    expect(report.findings.filter((f) => ['critical', 'high', 'medium'].includes(f.severity)).map((f) => f.id)).toEqual([]);
    expect(code).toBe(0);
    expect(report.verdict).toBe('go');
    const dkim = report.checks.find((c) => c.id === 'dkim-missing');
    expect(dkim?.status).toBe('pass');
    expect(dkim?.details).toMatchObject({ selectorsFound: { 'clean.test': ['default'] } });
  });

  it('reports every planted defect, ranked with the critical lookup-limit overflow first', async () => {
    const cfg = config({ sendingIps: ['127.0.0.99'], dkimSelectors: ['missing'] });
    const { code, report } = await audit('bad.test', ['--config', cfg]);
    expect(code).toBe(1);
    expect(report.verdict).toBe('no-go');
    const ids = report.findings.map((f) => f.id);
    // The full list, not a subset: a finding that appears from nowhere fails this test too.
    expect(report.findings.map((f) => `${f.id} ${f.location.host}`).sort()).toEqual([
      'email.dkim-key.rsa-under-2048 bad.test', 'email.dkim-key.testing bad.test', 'email.dkim-missing.configured-absent bad.test',
      'email.dmarc-alignment.would-fail bad.test', 'email.dmarc-policy.p-none bad.test', 'email.dmarc-reporting.unauthorized bad.test', 'email.dmarc-reporting.undeliverable bad.test',
      'email.mta-sts-policy.absent bad.test', 'email.mx-record.cname mail.bad.test', 'email.mx-record.unresolvable gone.bad.test',
      'email.spf-all-policy.neutral-all bad.test', 'email.spf-lookup-limit.over bad.test', 'email.spf-ptr.used bad.test',
      'email.spf-sending-ip.not-pass bad.test', 'email.spf-void-lookup.dead bad.test', 'email.tls-rpt-record.absent bad.test',
    ]);
    expect(ids[0]).toBe('email.spf-lookup-limit.over');
    const over = report.findings[0]!;
    expect(over.message).toMatch(/needs 14 DNS lookups .*include:one\.bad\.test = 6, include:two\.bad\.test = 7/);
    const ip = report.findings.find((f) => f.id === 'email.spf-sending-ip.not-pass')!;
    expect(ip.message).toMatch(/127\.0\.0\.99 .* "permerror": include:two\.bad\.test: more than 10 DNS-querying terms \(limit hit at "a:y2\.bad\.test"/);
  });

  it('serves a failing case of every other rule from DNS', async () => {
    const cfg = config({ domains: ['worse.test', 'syn.worse.test', 'noall.worse.test'], spfIncludes: ['sendgrid.net'] });
    const { report } = await audit('worse.test', ['--config', cfg]);
    expect(report.findings.map((f) => `${f.id} ${f.location.host}`).sort()).toEqual([
      'email.dkim-key.revoked worse.test', 'email.dkim-key.rsa-under-1024 worse.test', 'email.dkim-key.sha1-only worse.test', 'email.dkim-key.unusable worse.test',
      // The two subdomains publish no DKIM, DMARC of their own, MX, MTA-STS or TLS-RPT: each is found missing there.
      'email.dkim-missing.none-found noall.worse.test', 'email.dkim-missing.none-found syn.worse.test',
      'email.dmarc-policy.p-none noall.worse.test', 'email.dmarc-policy.pct-partial worse.test', 'email.dmarc-policy.sp-none worse.test',
      'email.dmarc-record.ignored-tags noall.worse.test', 'email.dmarc-record.ignored-tags worse.test', 'email.dmarc-record.removed-tags noall.worse.test', 'email.dmarc-record.removed-tags worse.test', 'email.dmarc-record.rfc7489-differs syn.worse.test',
      'email.dmarc-reporting.no-rua noall.worse.test', 'email.dmarc-reporting.no-rua worse.test',
      'email.mta-sts-policy.absent noall.worse.test', 'email.mta-sts-policy.absent syn.worse.test',
      'email.mta-sts-policy.policy-unreachable mta-sts.worse.test', 'email.mta-sts-policy.txt-invalid worse.test',
      'email.mx-record.absent noall.worse.test', 'email.mx-record.absent syn.worse.test', 'email.mx-record.ip-literal 192.0.2.9',
      'email.spf-all-policy.no-all noall.worse.test', 'email.spf-all-policy.pass-all worse.test',
      'email.spf-permerror.include-none worse.test', 'email.spf-permerror.syntax syn.worse.test',
      'email.spf-sending-ip.include-missing noall.worse.test', 'email.spf-sending-ip.include-missing syn.worse.test', 'email.spf-sending-ip.include-missing worse.test',
      'email.spf-void-lookup.mx-names noall.worse.test', 'email.spf-void-lookup.over-limit noall.worse.test',
      'email.tls-rpt-record.absent noall.worse.test', 'email.tls-rpt-record.absent syn.worse.test', 'email.tls-rpt-record.invalid worse.test',
    ]);
    expect(report.findings[0]!.severity).toBe('critical');
  });

  it('fetches the MTA-STS policy over HTTPS and checks it against the MX hosts', async () => {
    const { report } = await audit('sts.test', ['--ca', caFile, ...web.connectTo.flatMap((c) => ['--connect-to', c])]);
    expect(report.findings.map((f) => `${f.id} ${f.location.host}`).sort()).toEqual([
      'email.dkim-missing.none-found sts.test', 'email.dmarc-missing.absent sts.test',
      'email.mta-sts-policy.max-age-short mta-sts.sts.test', 'email.mta-sts-policy.mode-not-enforce mta-sts.sts.test', 'email.mta-sts-policy.mx-not-covered mta-sts.sts.test',
    ]);
    expect(report.findings.find((f) => f.id === 'email.mta-sts-policy.mx-not-covered')!.message).toMatch(/backup\.sts\.test/);
    expect(web.requests.map((r) => `${r.host}${r.path}`)).toContain('mta-sts.sts.test/.well-known/mta-sts.txt');
  });

  it('a domain with nothing set up', async () => {
    const { report } = await audit('nospf.test');
    expect(report.findings.map((f) => f.id).sort()).toEqual([
      'email.dkim-missing.none-found', 'email.dmarc-missing.absent', 'email.mta-sts-policy.absent', 'email.mx-record.absent', 'email.spf-missing.absent', 'email.tls-rpt-record.absent',
    ]);
  });

  it('two SPF records are a critical permerror; a null MX domain skips MTA-STS and TLS-RPT', async () => {
    const { report } = await audit('perm.test');
    // Its rua address is at the null-MX domain itself: reports sent there are lost.
    expect(report.findings.map((f) => f.id)).toEqual(['email.spf-permerror.multiple', 'email.dkim-missing.none-found', 'email.dmarc-reporting.undeliverable', 'email.mx-record.null-mx-spf']);
    expect(report.findings.find((f) => f.id === 'email.dmarc-reporting.undeliverable')!.message).toMatch(/mailto:d@perm\.test cannot receive mail: it publishes a null MX/);
    expect(report.findings.find((f) => f.id === 'email.spf-permerror.multiple')!.severity).toBe('critical');
  });

  it('SERVFAIL on the SPF lookup makes the SPF checks unknown: INCOMPLETE, never GO', async () => {
    const { code, report } = await audit('sf.test');
    const spf = report.checks.find((c) => c.id === 'spf-missing')!;
    expect(spf.status).toBe('error');
    expect(spf.error).toMatch(/servfail/);
    expect(report.verdict).not.toBe('go');
    expect(code).not.toBe(0);
  });
});

describe('launch-ready spf', () => {
  const spf = (...args: string[]) => runInProcess(['spf', ...args, '--resolver', resolver, '--timeout', '1000']);

  it('prints the JSON evaluation with result, lookups, void lookups and trace', async () => {
    const r = await spf('inc.spf.test', '--ip', '192.0.2.7', '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { result: string; lookups: number; voidLookups: number; trace: { kind: string }[]; matched: object };
    expect(j).toMatchObject({ result: 'pass', lookups: 1, voidLookups: 0, matched: { domain: 'inc.spf.test', term: 'include:ip4.spf.test' } });
    expect(j.trace.some((t) => t.kind === 'dns')).toBe(true);
  });

  it('explains a fail with exp= and exits 0', async () => {
    const r = await spf('exp.spf.test', '--ip', '192.0.2.3', '--sender', 'someone@exp.spf.test');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/result: +fail/);
    expect(r.stdout).toMatch(/explanation: 192\.0\.2\.3 is not one of exp\.spf\.test's designated mail servers\./);
    expect(r.stdout).toMatch(/trace:/);
  });

  it('shows where the lookup limit was hit', async () => {
    const r = await spf('eleven.spf.test', '--ip', '10.9.9.9', '--format', 'json');
    const j = JSON.parse(r.stdout) as { result: string; lookups: number; trace: { kind: string; term?: string }[] };
    expect(j.result).toBe('permerror');
    expect(j.lookups).toBe(11);
    expect(j.trace.find((t) => t.kind === 'limit')?.term).toBe('a:x11.spf.test');
  });

  it('temperror on SERVFAIL is still an evaluation (exit 0)', async () => {
    const r = await spf('sf.spf.test', '--ip', '192.0.2.1', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'temperror' });
  });

  it('works for names with odd characters', async () => {
    const r = await spf('_spf+x=y.spf.test', '--ip', '192.0.2.9', '--format', 'json');
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'pass' });
  });

  it('runs through the installed bin like a user runs it', async () => {
    const r = await runCli(['spf', 'mx.spf.test', '--ip', '198.51.100.22', '--resolver', resolver, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'pass', matched: { term: 'mx/30' } });
  });

  it('reaches the resolver through --connect-to, keeping the address it was given', async () => {
    const r = await runInProcess(['spf', 'ip4.spf.test', '--ip', '192.0.2.1', '--resolver', '192.0.2.53', '--connect-to', `192.0.2.53:53:${resolver}`, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'pass' });
  });

  it('a nameserver that never answers gives temperror within the per-lookup deadline', async () => {
    dns.setFault('quiet.spf.test', { drop: true });
    const r = await runInProcess(['spf', 'quiet.spf.test', '--ip', '192.0.2.1', '--resolver', resolver, '--timeout', '300', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'temperror', problem: expect.stringMatching(/timeout/) });
  });

  it('a malformed domain taken from --sender or --helo evaluates to none (RFC 7208 4.3), not a usage error', async () => {
    const long = `${'a'.repeat(64)}.spf.test`;
    for (const args of [
      ['--sender', `someone@${long}`],
      ['--sender', 'someone@ip4..spf.test'],
      ['--sender', '', '--helo', 'A2345678'],
      ['--helo', 'mail.'],
    ]) {
      const r = await spf('--ip', '192.0.2.1', ...args, '--format', 'json');
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout), args.join(' ')).toMatchObject({ result: 'none', problem: expect.stringMatching(/not a valid domain/) });
    }
    // A well-formed one is evaluated: the domain comes from the sender, else the HELO name.
    const fromSender = await spf('--ip', '192.0.2.1', '--sender', 'someone@ip4.spf.test', '--format', 'json');
    expect(JSON.parse(fromSender.stdout)).toMatchObject({ result: 'pass', domain: 'ip4.spf.test', sender: 'someone@ip4.spf.test' });
    const fromHelo = await spf('--ip', '192.0.2.1', '--sender', '', '--helo', 'ip4.spf.test', '--format', 'json');
    expect(JSON.parse(fromHelo.stdout)).toMatchObject({ result: 'pass', domain: 'ip4.spf.test', sender: 'postmaster@ip4.spf.test' });
  });

  it('--format json prints errors as JSON on stdout, with the exit code', async () => {
    const bad = await spf('ip4.spf.test', '--ip', 'not-an-ip', '--format', 'json');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toEqual({ error: expect.stringMatching(/not an IPv4 or IPv6 address/), exitCode: 2 });
    // Errors commander finds before the command runs, in each way of spelling the format.
    for (const format of [['--format', 'json'], ['--format=json'], ['-f', 'json']]) {
      const missing = await runInProcess(['spf', 'ip4.spf.test', ...format]);
      expect(missing.code).toBe(2);
      expect(JSON.parse(missing.stdout)).toEqual({ error: expect.stringMatching(/--ip/), exitCode: 2 });
    }
    const nothing = await spf('--ip', '192.0.2.1', '--format', 'json');
    expect(nothing.code).toBe(2);
    expect(JSON.parse(nothing.stdout)).toMatchObject({ error: expect.stringMatching(/--sender/), exitCode: 2 });
    // Table output keeps errors on stderr only.
    const table = await spf('ip4.spf.test', '--ip', 'not-an-ip');
    expect(table.stdout).toBe('');
  });

  it('bad usage exits 2 with a message', async () => {
    const bad = await spf('ip4.spf.test', '--ip', 'not-an-ip');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not an IPv4 or IPv6 address/);
    const missing = await runInProcess(['spf', 'ip4.spf.test']);
    expect(missing.code).toBe(2);
    const dom = await spf('localhost', '--ip', '192.0.2.1');
    expect(dom.code).toBe(2);
  });
});
