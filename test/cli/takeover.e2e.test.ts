// Subdomain takeover end to end: the CLI against the DNS sandbox and loopback HTTPS/HTTP fixtures standing in for
// the services. Dangling CNAMEs are worded by the service's takeover status; hosts that still resolve are fetched
// (through the run's resolver and --connect-to) and matched against the service's unclaimed-page fingerprint.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertFactory } from '../../src/sandbox/certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { page, startWebSandbox, type RouteResponse, type WebSandbox } from '../../src/sandbox/https-server.js';
import type { Report } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';

const D = 'shop.test';
const soa = (o: string) => `@ SOA ns1.${o}. h.${o}. ( 1 60 60 60 60 )`;
const zone = (origin: string, lines: string[]) => parseZone([`$ORIGIN ${origin}.`, '$TTL 60', soa(origin), ...lines].join('\n'));
const notFound = (html: string, status = 404): RouteResponse => ({ ...page(html), status });
const s3Error = (status: number, code: string, message: string): RouteResponse => ({
  status, headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`,
});

let dns: DnsSandbox;
let web: WebSandbox;
let report: Report;
let code: number | null;

beforeAll(async () => {
  dns = await startDnsSandbox({
    zones: [
      zone(D, [
        '@ A 127.0.0.1',
        'docs CNAME old-docs.surge.sh.', // vulnerable, answers "project not found"
        'blog CNAME acme.github.io.', // edge case, answers GitHub's 404
        'help CNAME acme.zendesk.com.', // not vulnerable, answers "Help Center Closed"
        'app CNAME live-app.surge.sh.', // claimed: a real page
        'status CNAME acme.helprace.com.', // vulnerable, the status alone is the sign
        'api CNAME gone-api.azure-api.net.', // vulnerable, dangling (NXDOMAIN)
        'cdn CNAME d1abc.cloudfront.net.', // not vulnerable, dangling: broken, not claimable
        'shop CNAME gone.myshopify.com.', // edge case, dangling
        'assets CNAME acme-assets.s3.amazonaws.com.', // vulnerable, answers S3's XML NoSuchBucket
        'files CNAME acme-files.s3.amazonaws.com.', // claimed (a private bucket): S3's XML AccessDenied
      ]),
      zone('surge.sh', ['old-docs A 127.0.0.1', 'live-app A 127.0.0.1']),
      zone('github.io', ['acme A 127.0.0.1']),
      zone('zendesk.com', ['acme A 127.0.0.1']),
      zone('helprace.com', ['acme A 127.0.0.1']),
      zone('azure-api.net', []),
      zone('cloudfront.net', []),
      zone('myshopify.com', []),
      zone('s3.amazonaws.com', ['acme-assets A 127.0.0.1', 'acme-files A 127.0.0.1']),
    ],
  });
  const certs = new CertFactory();
  const host = (name: string, https: () => RouteResponse, http?: () => RouteResponse) => ({ [`${name}.${D}`]: { cert: certs.leaf(`${name}.${D}`), https, ...(http ? { http } : {}) } });
  web = await startWebSandbox({
    hosts: {
      ...host('docs', () => notFound('<h1>project not found</h1><p>Why am I seeing this?</p>')),
      ...host('blog', () => notFound('<title>Site not found · GitHub Pages</title><h1>404</h1><p><strong>There isn’t a GitHub Pages site here.</strong></p>')),
      ...host('help', () => notFound('<h2>Help Center Closed</h2>')),
      ...host('app', () => page('<h1>Acme app</h1>')),
      // S3 answers in XML, not HTML; the http:// side first redirects to https://.
      ...host('assets', () => s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist'), () => ({ status: 301, headers: { location: `https://assets.${D}/` }, body: '' })),
      ...host('files', () => s3Error(403, 'AccessDenied', 'Access Denied')),
      ...host('status', () => ({ status: 301, headers: { location: 'https://helprace.example.test/' }, body: '' }), () => ({ status: 301, headers: { location: 'https://helprace.example.test/' }, body: '' })),
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'lr-takeover-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({
    domains: [{ name: D, hosts: ['docs', 'blog', 'help', 'app', 'status', 'api', 'cdn', 'shop', 'assets', 'files'] }],
    network: { resolver: `${dns.address}:${dns.port}`, connectTo: web.connectTo, timeoutMs: 3000 },
  }));
  const r = await runCli(['audit', '--config', file, '--format', 'json', '--only', 'dangling-cname,subdomain-takeover'], { timeoutMs: 30_000 });
  code = r.code;
  report = JSON.parse(r.stdout) as Report;
}, 40_000);

afterAll(async () => {
  await web?.close();
  await dns?.close();
});

describe('subdomain takeover', () => {
  it('finds each planted case once, with the severity its service status deserves', () => {
    expect(code).toBe(1);
    expect(report.incomplete).toEqual([]);
    expect(report.findings.map((f) => [f.location.host, f.id, f.severity]).sort()).toEqual([
      [`api.${D}`, 'dns.dangling-cname.target-nxdomain-provider', 'high'],
      [`assets.${D}`, 'dns.subdomain-takeover.takeover-possible', 'high'],
      [`blog.${D}`, 'dns.subdomain-takeover.takeover-edge-case', 'medium'],
      [`cdn.${D}`, 'dns.dangling-cname.target-nxdomain-unclaimable', 'high'],
      [`docs.${D}`, 'dns.subdomain-takeover.takeover-possible', 'high'],
      [`help.${D}`, 'dns.subdomain-takeover.unclaimed-page', 'medium'],
      [`shop.${D}`, 'dns.dangling-cname.target-nxdomain-provider-edge', 'high'],
      [`status.${D}`, 'dns.subdomain-takeover.takeover-possible', 'high'],
    ]);
  });

  it('names the provider and the evidence', () => {
    const msg = (host: string) => report.findings.find((f) => f.location.host === `${host}.${D}`)!.message;
    expect(msg('docs')).toMatch(/^Takeover possible: docs\.shop\.test points at Surge\.sh \(old-docs\.surge\.sh\), .*HTTP 404, body "project not found" at https:\/\/docs\.shop\.test\//);
    expect(msg('blog')).toMatch(/GitHub Pages .*There isn’t a GitHub Pages site here\./);
    expect(msg('status')).toMatch(/Helprace .*HTTP 301/);
    expect(msg('assets')).toMatch(/^Takeover possible: assets\.shop\.test points at AWS S3 \(acme-assets\.s3\.amazonaws\.com\), .*HTTP 404, body "NoSuchBucket"/);
    expect(msg('api')).toMatch(/on Microsoft Azure, .*anyone can claim/);
    expect(msg('cdn')).toMatch(/on AWS CloudFront, .*others cannot claim it, but the host is broken/);
    expect(msg('cdn')).not.toMatch(/anyone can claim/);
  });

  it('reached the fixtures only through the run\'s resolver and --connect-to', () => {
    const asked = new Set(web.requests.map((r) => `${r.scheme}://${r.host}`));
    for (const h of ['docs', 'blog', 'help', 'app', 'status', 'assets', 'files']) expect(asked.has(`https://${h}.${D}`), h).toBe(true);
    // Dangling hosts have no address: nothing to fetch.
    for (const h of ['api', 'cdn', 'shop']) expect([...asked].some((a) => a.includes(`${h}.${D}`)), h).toBe(false);
  });
});
