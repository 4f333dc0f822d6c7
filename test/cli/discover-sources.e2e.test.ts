// Discovery's page, repository and online sources end to end: a sandbox zone where one forgotten host is reachable
// only through a link on the apex's page (another through api's CORS origin), two only through the repository (a
// Terraform record and a Kubernetes ingress), and one only through a certificate transparency search served by a
// loopback fixture, asked only with --discover-online. Names in node_modules, in comments, or that do not resolve
// never become hosts; a --connect-to catch-all never makes a name without an address look like a web host.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertFactory } from '../../src/sandbox/certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { HSTS_YEAR, page, startWebSandbox, to, type Handler, type WebSandbox } from '../../src/sandbox/https-server.js';
import type { Report } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';

const Z = 'sources.test';
const HEADERS = {
  ...HSTS_YEAR, 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
};

let dns: DnsSandbox;
let web: WebSandbox;
let ct: http.Server;
let ctRequests: string[];
let dir: string;
let repo: string;
let net: string[];
let ctUrl: string;

/** Line of `needle` in a repository file, 1-based. */
const lineOf = (file: string, needle: string) => readFileSync(join(repo, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

beforeAll(async () => {
  dns = await startDnsSandbox({
    zones: [
      parseZone([
        `$ORIGIN ${Z}.`, '$TTL 60', `@ SOA ns1.${Z}. h.${Z}. ( 1 60 60 60 60 )`,
        '@ NS ns1', '@ NS ns2', 'ns1 A 127.0.0.1', 'ns2 A 127.0.0.1', '@ A 127.0.0.1', 'www CNAME @', 'api A 127.0.0.1',
        'via-link-q7 A 127.0.0.1', // linked from the apex's page only
        'cors-app-q8 A 127.0.0.1', // api's CORS origin only
        'tf-promo-k2 CNAME tf-promo.cdn-gone.test.', // a Terraform record only; its CDN name is gone
        'ingress-k3 A 127.0.0.1', // a Kubernetes ingress only
        'nm-only-r5 A 127.0.0.1', // named only in node_modules: never read
        'commented-r6 A 127.0.0.1', // named only in a comment
        'ct-only-z9 CNAME ct-gone.cdn-gone.test.', // certificate transparency only
      ].join('\n')),
      parseZone(['$ORIGIN cdn-gone.test.', '$TTL 60', '@ SOA ns.cdn-gone.test. h.cdn-gone.test. ( 1 60 60 60 60 )'].join('\n')),
    ],
  });
  const certs = new CertFactory();
  const home: Handler = () => page(
    `<!doctype html><title>Sources</title><h1>Sources</h1><p>Try the <a href="https://via-link-q7.${Z}/beta">beta</a>.</p><!-- <a href="https://commented-r6.${Z}/">old</a> -->`,
    HEADERS,
  );
  const site = (name: string, kind: Parameters<CertFactory['leaf']>[1] = 'valid', https: Handler = () => page(`<title>${name}</title>`, HEADERS)) =>
    ({ [name]: { cert: certs.leaf(name, kind), https } });
  web = await startWebSandbox({
    hosts: {
      ...site(Z, 'valid', home),
      ...site(`www.${Z}`, 'valid', to(`https://${Z}`, 301, HSTS_YEAR)),
      ...site(`api.${Z}`, 'valid', () => ({ status: 200, headers: { ...HEADERS, 'content-type': 'application/json', 'access-control-allow-origin': `https://cors-app-q8.${Z}` }, body: '{}' })),
      ...site(`via-link-q7.${Z}`, 'self-signed'),
      ...site(`cors-app-q8.${Z}`),
      ...site(`ingress-k3.${Z}`, 'expired'),
    },
  });
  ctRequests = [];
  ct = http.createServer((req, res) => {
    ctRequests.push(req.url ?? '');
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q');
    if (req.url?.startsWith('/garbage')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"oops": ['); return; }
    const body = q === `%.${Z}` ? [
      { common_name: `ct-only-z9.${Z}`, name_value: `ct-only-z9.${Z}\n*.${Z}` },
      { common_name: `www.${Z}`, name_value: `www.${Z}\n${Z}` },
      { common_name: `ct-gone-r8.${Z}`, name_value: `ct-gone-r8.${Z}` }, // a name nobody serves any more: does not resolve
    ] : [];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => ct.listen(0, '127.0.0.1', r));
  ctUrl = `http://127.0.0.1:${(ct.address() as AddressInfo).port}/?q=%25.{domain}&output=json`;

  dir = mkdtempSync(join(tmpdir(), 'lr-discover-sources-'));
  writeFileSync(join(dir, 'ca.pem'), certs.caPem);
  repo = join(dir, 'repo');
  mkdirSync(join(repo, 'infra'), { recursive: true });
  mkdirSync(join(repo, 'k8s'));
  mkdirSync(join(repo, 'node_modules/some-pkg'), { recursive: true });
  writeFileSync(join(repo, 'infra/dns.tf'), [
    'resource "cloudflare_record" "apex" {', '  zone_id = var.zone_id', '  name    = "@"', '  content = "192.0.2.10"', '  type    = "A"', '}', '',
    '# the spring campaign', 'resource "cloudflare_record" "promo" {', '  zone_id = var.zone_id', '  name    = "tf-promo-k2"',
    '  content = "tf-promo.cdn-gone.test"', '  type    = "CNAME"', '}', '',
  ].join('\n'));
  writeFileSync(join(repo, 'k8s/ingress.yaml'), [
    'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: internal', 'spec:', '  tls:', '    - hosts:',
    `        - "*.${Z}"`, '  rules:', `    - host: ingress-k3.${Z}`, '      http:', '        paths: []',
  ].join('\n'));
  writeFileSync(join(repo, '.env.production'), `# OLD_URL=https://commented-r6.${Z}\nAPI_URL=https://api.${Z}\nREPORTS_URL=https://ghost-r7.${Z}\n`);
  writeFileSync(join(repo, 'node_modules/some-pkg/config.json'), JSON.stringify({ url: `https://nm-only-r5.${Z}` }));
  execFileSync('git', ['init', '-q', repo]);

  const closed = [`ns1.${Z}`, `ns2.${Z}`, `nm-only-r5.${Z}`, `commented-r6.${Z}`]
    .flatMap((h) => [`${h}:443:${web.address}:${web.closedPort}`, `${h}:80:${web.address}:${web.closedPort}`]);
  net = ['--resolver', `${dns.address}:${dns.port}`, '--ca', join(dir, 'ca.pem'), ...[...web.connectTo, ...closed].flatMap((c) => ['--connect-to', c])];
}, 30_000);

afterAll(async () => {
  await web?.close();
  await dns?.close();
  ct?.closeAllConnections();
  await new Promise((r) => (ct ? ct.close(r) : r(undefined)));
});

function config(name: string, discover: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ discover }));
  return file;
}

async function audit(extra: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await runCli(['audit', Z, '--format', 'json', ...net, ...extra], { cwd: dir, timeoutMs: 90_000 });
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const at = (report: Report, host: string) => report.findings.filter((f) => f.occurrences.some((o) => o.host === host) || f.location.host === host);
const via = (report: Report, host: string) => report.target.discovered?.find((h) => h.host === host)?.via;

describe('pages and the repository (no online flag)', () => {
  let result: Awaited<ReturnType<typeof audit>>;
  let table: string;
  beforeAll(async () => {
    // The CT URL is configured, the flag is not given: the fixture must see nothing.
    const file = config('offline.json', { ctUrl });
    const jsonOut = join(dir, 'offline.json.out');
    const r = await runCli(['audit', Z, '--config', file, '--repo', repo, '-f', 'json,table', '-o', `json=${jsonOut}`, '-o', `table=${join(dir, 'offline.txt')}`, '--no-color', ...net], { cwd: dir, timeoutMs: 90_000 });
    result = { code: r.code, report: JSON.parse(readFileSync(jsonOut, 'utf8')) as Report, stderr: r.stderr };
    table = readFileSync(join(dir, 'offline.txt'), 'utf8');
  }, 100_000);

  it('finds the host linked from a page and the one in a CORS origin, each with the page it was on', () => {
    expect(via(result.report, `via-link-q7.${Z}`)).toEqual([{ source: 'page', from: `https://${Z}/` }]);
    expect(via(result.report, `cors-app-q8.${Z}`)).toEqual([{ source: 'page', from: `https://api.${Z}/` }]);
    const f = at(result.report, `via-link-q7.${Z}`).find((x) => x.id === 'tls.untrusted-chain.self-signed');
    expect(f?.message).toContain(`(found via the page https://${Z}/)`);
  });

  it('finds the Terraform record and the ingress host, each with file:line', () => {
    expect(via(result.report, `tf-promo-k2.${Z}`)).toEqual([{ source: 'repository', from: `infra/dns.tf:${lineOf('infra/dns.tf', 'tf-promo-k2')}` }]);
    expect(via(result.report, `ingress-k3.${Z}`)).toEqual([{ source: 'repository', from: `k8s/ingress.yaml:${lineOf('k8s/ingress.yaml', 'ingress-k3')}` }]);
    const dangling = at(result.report, `tf-promo-k2.${Z}`).find((x) => x.checkId === 'dangling-cname');
    expect(dangling?.id).toBe('dns.dangling-cname.target-nxdomain');
    expect(dangling?.message).toContain(`(found via infra/dns.tf:${lineOf('infra/dns.tf', 'tf-promo-k2')})`);
    expect(at(result.report, `ingress-k3.${Z}`).map((x) => x.id)).toContain('tls.cert-expiry.expired');
    expect(result.report.verdict).toBe('no-go');
  });

  it('leaves out node_modules, comments, names that do not resolve, and the online source', () => {
    const hosts = (result.report.target.discovered ?? []).map((h) => h.host);
    for (const h of ['nm-only-r5', 'commented-r6', 'ghost-r7', 'ct-only-z9']) expect(hosts).not.toContain(`${h}.${Z}`);
    expect(ctRequests).toEqual([]);
  });

  it('fills measurements.discoveredHosts, and the table line counts the sources', () => {
    expect(result.report.measurements.discoveredHosts).toEqual(expect.arrayContaining([
      { host: `via-link-q7.${Z}`, source: 'page', from: `https://${Z}/` },
      { host: `tf-promo-k2.${Z}`, source: 'repository', from: `infra/dns.tf:${lineOf('infra/dns.tf', 'tf-promo-k2')}` },
    ]));
    expect(result.report.measurements.discoveredHosts).toHaveLength((result.report.target.discovered ?? []).reduce((n, h) => n + h.via.length, 0));
    expect(table).toMatch(/Discovered 6 hosts beyond the 5 standard ones \(wordlist 2, page 2, repository 2\)/);
  });
});

describe('the online source (certificate transparency, loopback fixture)', () => {
  it('is asked only with --discover-online, and finds the host only it knows', async () => {
    ctRequests.length = 0;
    const file = config('online.json', { ctUrl });
    const { report } = await audit(['--config', file, '--discover-online', '--only', 'dns']);
    expect(ctRequests).toEqual([`/?q=%25.${Z}&output=json`]);
    expect(via(report, `ct-only-z9.${Z}`)).toEqual([{ source: 'online', from: '127.0.0.1' }]);
    // Names the log lists but that no longer resolve are not hosts.
    expect(via(report, `ct-gone-r8.${Z}`)).toBeUndefined();
    const f = at(report, `ct-only-z9.${Z}`).find((x) => x.checkId === 'dangling-cname');
    expect(f?.message).toContain('(found via certificate transparency (127.0.0.1))');
  }, 100_000);

  it('discover.online in the config turns it on too; without either, the fixture sees no request', async () => {
    ctRequests.length = 0;
    const off = await audit(['--config', config('online-off.json', { ctUrl }), '--only', 'dns']);
    expect(via(off.report, `ct-only-z9.${Z}`)).toBeUndefined();
    expect(ctRequests).toEqual([]);
    const on = await audit(['--config', config('online-on.json', { ctUrl, online: true }), '--only', 'dns']);
    expect(via(on.report, `ct-only-z9.${Z}`)).toEqual([{ source: 'online', from: '127.0.0.1' }]);
    expect(ctRequests).toHaveLength(1);
  }, 100_000);

  it('a garbage answer is an error in the report, not a crash; a catch-all --connect-to does not make a dangling name a web host', async () => {
    const garbage = ctUrl.replace('/?q=', '/garbage?q=');
    const catchAll = ['--connect-to', `:443:${web.address}:${web.httpsPort}`, '--connect-to', `:80:${web.address}:${web.httpPort}`];
    const { code, report } = await audit(['--config', config('garbage.json', { ctUrl: garbage, online: true }), '--repo', repo, '--only', 'tls', ...catchAll]);
    expect(code).not.toBe(2);
    expect(report.target.discovery?.errors).toEqual([`127.0.0.1: the answer is not JSON (${Z})`]);
    // tf-promo-k2's CNAME dangles: it has no address, so the catch-all must not be asked on its behalf.
    expect(report.target.discovered?.find((h) => h.host === `tf-promo-k2.${Z}`)?.dnsOnly).toBe(true);
    expect(at(report, `tf-promo-k2.${Z}`)).toEqual([]);
  }, 100_000);
});

describe('map', () => {
  it("reads the config's repository too, and lists how each host was found", async () => {
    const file = join(dir, 'map.json');
    writeFileSync(file, JSON.stringify({ repo: { path: 'repo' } }));
    const r = await runCli(['map', Z, '--config', file, ...net], { cwd: dir, timeoutMs: 90_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`found via infra/dns.tf:${lineOf('infra/dns.tf', 'tf-promo-k2')}`);
    expect(r.stdout).toContain(`found via the page https://${Z}/`);
  }, 100_000);
});

describe('bad settings', () => {
  it('a CT URL without {domain} is a usage error', async () => {
    const r = await runCli(['audit', Z, '--config', config('bad.json', { ctUrl: 'https://crt.sh/?q=x' }), ...net], { cwd: dir, timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('discover.ctUrl https://crt.sh/?q=x has no {domain} placeholder');
  });
});
