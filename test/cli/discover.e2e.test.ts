// Subdomain discovery end to end: zero-config audits through the CLI against the DNS sandbox and loopback HTTPS
// fixtures. Forgotten hosts reachable only through the wordlist, the zone's MX, a certificate's SANs or a zone
// transfer must be found and audited; a wildcard zone must stay bounded; --no-discover and a spent budget too.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertFactory } from '../../src/sandbox/certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { HSTS_YEAR, page, startWebSandbox, to, type Handler, type WebSandbox } from '../../src/sandbox/https-server.js';
import type { Report } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';

const FORGOT = 'forgot.test';
const CLEAN = 'tidy.test';
const WILD = 'wild.test';
const AXFR = 'open-xfr.test';
const soa = (o: string) => `@ SOA ns1.${o}. h.${o}. ( 1 60 60 60 60 )`;
const zone = (origin: string, lines: string[]) => parseZone([`$ORIGIN ${origin}.`, '$TTL 60', soa(origin), ...lines].join('\n'));
const HEADERS = {
  ...HSTS_YEAR, 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
};
const home = (title: string) => () => page(`<!doctype html><title>${title}</title><h1>${title}</h1>`, HEADERS);

let dns: DnsSandbox;
let web: WebSandbox;
let dir: string;
let ca: string;
let net: string[];

beforeAll(async () => {
  dns = await startDnsSandbox({
    zones: [
      zone(FORGOT, [
        '@ NS ns1', '@ NS ns2', 'ns1 A 127.0.0.1', 'ns2 A 127.0.0.1',
        '@ A 127.0.0.1', 'www CNAME @', 'api A 127.0.0.1',
        '@ MX 10 mx-eu-7', 'mx-eu-7 A 127.0.0.1', '@ TXT "v=spf1 mx -all"',
        'promo CNAME forgot-promo.cdn-gone.test.', // the forgotten campaign host: its CDN name is gone
        'staging A 127.0.0.1', 'legacy A 127.0.0.1', 'shop A 127.0.0.1',
        'checkout-beta A 127.0.0.1', // in no wordlist: only www's certificate names it
      ]),
      zone('cdn-gone.test', []),
      zone(CLEAN, [
        '@ NS ns1', '@ NS ns2', 'ns1 A 127.0.0.1', 'ns2 A 127.0.0.1', '@ A 127.0.0.1', 'www CNAME @', 'api A 127.0.0.1',
        // Sends no mail, and says so; allows one CA.
        '@ MX 0 .', '@ TXT "v=spf1 -all"', '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@tidy.test"', '@ CAA 0 issue "letsencrypt.org"',
        'docs CNAME tidy-docs.cdn-fine.test.', // the docs host behind a CDN nobody listed
      ]),
      zone('cdn-fine.test', ['tidy-docs A 127.0.0.1']),
      zone(WILD, ['@ NS ns1', 'ns1 A 127.0.0.1', '@ A 127.0.0.1', 'www CNAME @', '* A 127.0.0.1']),
      zone(AXFR, ['@ NS ns1', '@ NS ns2', 'ns1 A 127.0.0.1', 'ns2 A 127.0.0.1', '@ A 127.0.0.1', 'www CNAME @', 'vault-backup-7 A 127.0.0.1']),
    ],
    axfr: [AXFR],
  });
  const certs = new CertFactory();
  const site = (name: string, kind: Parameters<CertFactory['leaf']>[1] = 'valid', extra: Parameters<CertFactory['leaf']>[2] = {}, https: Handler = home(name)) =>
    ({ [name]: { cert: certs.leaf(name, kind, extra), https } });
  web = await startWebSandbox({
    hosts: {
      ...site(FORGOT),
      ...site(`www.${FORGOT}`, 'valid', { altNames: [`www.${FORGOT}`, `checkout-beta.${FORGOT}`] }, to(`https://${FORGOT}`, 301, HSTS_YEAR)),
      ...site(`api.${FORGOT}`),
      ...site(`staging.${FORGOT}`, 'self-signed'),
      ...site(`legacy.${FORGOT}`, 'missing-intermediate'),
      ...site(`shop.${FORGOT}`, 'expired'),
      ...site(`checkout-beta.${FORGOT}`, 'expiring-soon', { days: 3 }),
      ...site(CLEAN),
      ...site(`www.${CLEAN}`, 'valid', {}, to(`https://${CLEAN}`, 301, HSTS_YEAR)),
      ...site(`api.${CLEAN}`),
      ...site(`docs.${CLEAN}`),
      ...site(WILD),
      ...site(`www.${WILD}`, 'valid', {}, to(`https://${WILD}`, 301, HSTS_YEAR)),
      ...site(AXFR),
      ...site(`www.${AXFR}`, 'valid', {}, to(`https://${AXFR}`, 301, HSTS_YEAR)),
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'lr-discover-'));
  ca = join(dir, 'ca.pem');
  writeFileSync(ca, certs.caPem);
  const ns = [FORGOT, CLEAN, WILD, AXFR].flatMap((d) => [`ns1.${d}:53:${dns.address}:${dns.port}`, `ns2.${d}:53:${dns.address}:${dns.port}`]);
  // Hosts no fixture serves (mail, nameservers) meet a closed port, never whatever may listen on the machine's 443/80.
  const closed = [`mx-eu-7.${FORGOT}`, ...[FORGOT, CLEAN, WILD, AXFR].flatMap((d) => [`ns1.${d}`, `ns2.${d}`]), `vault-backup-7.${AXFR}`]
    .flatMap((h) => [`${h}:443:${web.address}:${web.closedPort}`, `${h}:80:${web.address}:${web.closedPort}`]);
  net = ['--resolver', `${dns.address}:${dns.port}`, '--ca', ca, ...[...ns, ...web.connectTo, ...closed].flatMap((c) => ['--connect-to', c])];
}, 30_000);

afterAll(async () => {
  await web?.close();
  await dns?.close();
});

async function audit(domain: string, extra: string[] = []): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await runCli(['audit', domain, '--format', 'json', ...net, ...extra], { cwd: dir, timeoutMs: 90_000 });
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const at = (report: Report, host: string) => report.findings.filter((f) => f.occurrences.some((o) => o.host === host) || f.location.host === host);
const discovered = (report: Report) => Object.fromEntries((report.target.discovered ?? []).map((h) => [h.host, [...new Set(h.via.map((v) => v.source))]]));

describe('zero-config audit of a zone with forgotten hosts', () => {
  let result: Awaited<ReturnType<typeof audit>>;
  beforeAll(async () => { result = await audit(FORGOT); }, 100_000);


  it('finds every forgotten host, each with how it was found', () => {
    const found = discovered(result.report);
    expect(found).toMatchObject({
      [`promo.${FORGOT}`]: ['wordlist'],
      [`staging.${FORGOT}`]: ['wordlist'],
      [`ns1.${FORGOT}`]: ['wordlist', 'ns'],
      [`legacy.${FORGOT}`]: ['wordlist'],
      [`shop.${FORGOT}`]: ['wordlist'],
      [`checkout-beta.${FORGOT}`]: ['certificate'],
      [`mx-eu-7.${FORGOT}`]: ['mx'],
    });
    expect(result.report.target.hosts).toEqual(expect.arrayContaining([`promo.${FORGOT}`, `checkout-beta.${FORGOT}`]));
    expect(result.report.target.discovery).toMatchObject({ standard: 5, cut: 0, wildcards: [] });
    const mail = result.report.target.discovered!.find((h) => h.host === `mx-eu-7.${FORGOT}`)!;
    expect(mail.dnsOnly).toBe(true);
  });

  it('is NO-GO, naming the dangling CNAME and the broken certificates on hosts nobody listed', () => {
    expect(result.code).toBe(1);
    expect(result.report.verdict).toBe('no-go');
    const ids = (host: string) => at(result.report, host).map((f) => f.id);
    expect(ids(`promo.${FORGOT}`)).toContain('dns.dangling-cname.target-nxdomain');
    expect(ids(`staging.${FORGOT}`)).toContain('tls.untrusted-chain.self-signed');
    expect(ids(`legacy.${FORGOT}`)).toContain('tls.untrusted-chain.incomplete');
    expect(ids(`shop.${FORGOT}`)).toContain('tls.cert-expiry.expired');
    expect(ids(`checkout-beta.${FORGOT}`).some((id) => id.startsWith('tls.cert-expiry.'))).toBe(true);
    const promo = at(result.report, `promo.${FORGOT}`).find((f) => f.checkId === 'dangling-cname')!;
    expect(['critical', 'high']).toContain(promo.severity);
    expect(promo.message).toContain('(found via the built-in wordlist)');
    const beta = at(result.report, `checkout-beta.${FORGOT}`)[0]!;
    expect(beta.message).toContain(`found via the certificate of www.${FORGOT}`);
  });

  it('gives DNS-only surfaces (mail, nameservers) no HTTPS finding', () => {
    for (const host of [`mx-eu-7.${FORGOT}`, `ns1.${FORGOT}`, `ns2.${FORGOT}`]) {
      expect(at(result.report, host).map((f) => f.id)).toEqual([]);
    }
  });

  it('--only dns: discovery turns the false GO into NO-GO; --no-discover gives the old answer', async () => {
    const on = await audit(FORGOT, ['--only', 'dns']);
    expect(on.report.verdict).toBe('no-go');
    expect(at(on.report, `promo.${FORGOT}`).map((f) => f.id)).toContain('dns.dangling-cname.target-nxdomain');
    const off = await audit(FORGOT, ['--only', 'dns', '--no-discover']);
    expect(off.report.verdict).toBe('go');
    expect(off.report.target.discovered).toBeUndefined();
    expect(off.report.target.hosts).toEqual([FORGOT, `www.${FORGOT}`, `api.${FORGOT}`, `admin.${FORGOT}`, `app.${FORGOT}`]);
  }, 120_000);
});

describe('map', () => {
  it('lists discovered hosts with how they were found', async () => {
    const r = await runCli(['map', FORGOT, ...net], { cwd: dir, timeoutMs: 90_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`found via the certificate of www.${FORGOT}`);
    expect(r.stdout).toMatch(/promo\.forgot\.test \(dangling: → forgot-promo\.cdn-gone\.test\)\n\s+found via the built-in wordlist/);
    const off = await runCli(['map', FORGOT, '--no-discover', ...net], { cwd: dir, timeoutMs: 90_000 });
    expect(off.stdout).not.toContain('promo.forgot.test');
  }, 100_000);
});

describe('the clean twin', () => {
  it('stays GO, with its CDN-backed docs host listed', async () => {
    const { code, report } = await audit(CLEAN);
    expect(report.findings.filter((f) => !f.accepted && ['critical', 'high'].includes(f.severity)).map((f) => f.id)).toEqual([]);
    expect(report.verdict).toBe('go');
    expect(code).toBe(0);
    expect(discovered(report)[`docs.${CLEAN}`]).toEqual(['wordlist']);
    expect(report.target.hosts).toContain(`docs.${CLEAN}`);
  }, 100_000);
});

describe('a wildcard zone', () => {
  it('stays bounded: the wildcard answers are not hosts', async () => {
    const { report } = await audit(WILD, ['--only', 'dns']);
    expect(report.target.discovery?.wildcards).toEqual([WILD]);
    // Only the nameserver (from the NS record) is a host; no wordlist label survives the wildcard filter.
    expect(Object.keys(discovered(report))).toEqual([`ns1.${WILD}`]);
    expect(discovered(report)[`ns1.${WILD}`]).toEqual(['ns']);
  }, 100_000);
});

describe('a nameserver that allows zone transfers', () => {
  it('is a finding, and the transfer lists a host no other source knows', async () => {
    const { report } = await audit(AXFR, ['--only', 'dns']);
    expect(discovered(report)[`vault-backup-7.${AXFR}`]).toEqual(['zone-transfer']);
    const xfr = report.findings.filter((f) => f.checkId === 'zone-transfer-allowed');
    // Both nameservers hand it out: one finding each.
    expect(xfr.map((f) => [f.id, f.location.host]).sort()).toEqual([
      ['dns.zone-transfer-allowed.allowed', `ns1.${AXFR}`], ['dns.zone-transfer-allowed.allowed', `ns2.${AXFR}`],
    ]);
    expect(xfr[0]!.message).toMatch(/hands the whole open-xfr\.test zone to anyone: 5 names/);
  }, 100_000);

  it('is not tried for a zone that refuses it, nor with --no-discover', async () => {
    const refused = await audit(CLEAN, ['--only', 'zone-transfer-allowed']);
    expect(refused.report.checks.find((c) => c.id === 'zone-transfer-allowed')?.status).toBe('pass');
    const off = await audit(AXFR, ['--only', 'zone-transfer-allowed', '--no-discover']);
    expect(off.report.checks.find((c) => c.id === 'zone-transfer-allowed')?.status).toBe('not-applicable');
  }, 100_000);
});

describe('bounds', () => {
  it('a spent query budget stops discovery early and says so', async () => {
    const file = join(dir, 'budget.json');
    writeFileSync(file, JSON.stringify({ discover: { maxQueries: 40 } }));
    const { report } = await audit(FORGOT, ['--only', 'dns', '--config', file]);
    expect(report.target.discovery?.exhausted).toBe('queries');
    expect(report.target.discovery!.queries).toBeLessThanOrEqual(40);
  }, 100_000);

  it('maxHosts cuts the list and counts the rest', async () => {
    const file = join(dir, 'max.json');
    writeFileSync(file, JSON.stringify({ discover: { maxHosts: 2 } }));
    const { report } = await audit(FORGOT, ['--only', 'dns', '--config', file]);
    expect(report.target.discovered).toHaveLength(2);
    expect(report.target.discovery!.cut).toBeGreaterThan(0);
  }, 100_000);

  it('--wordlist adds labels; the table says what discovery found in one line', async () => {
    const list = join(dir, 'labels.txt');
    writeFileSync(list, '# ours\nvault-backup-7\n');
    const r = await runCli(['audit', AXFR, '--only', 'dns', '--format', 'table', '--no-color', '--wordlist', list, ...net], { cwd: dir, timeoutMs: 90_000 });
    expect(r.stdout).toContain('Discovered 3 hosts beyond the 5 standard ones (wordlist 3).');
  }, 100_000);
});
