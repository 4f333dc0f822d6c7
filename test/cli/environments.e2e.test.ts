// Environments end to end: staging hosts resolved through the sandbox DNS, their / and /robots.txt fetched over
// HTTPS from the web sandbox, judged for indexability and for sharing production's host.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertFactory } from '../../src/sandbox/certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { page, startWebSandbox, type WebSandbox } from '../../src/sandbox/https-server.js';
import type { Report } from '../../src/types.js';
import { runInProcess } from '../helpers/cli.js';

let dns: DnsSandbox;
let web: WebSandbox;

beforeAll(async () => {
  dns = await startDnsSandbox({ zones: [parseZone(`$ORIGIN shop.test.\n$TTL 60\n@ SOA ns.shop.test. h.shop.test. ( 1 60 60 60 60 )\n@ A 127.0.0.1\napi CNAME shop-prod.fly.test.\nstaging CNAME shop-prod.fly.test.\npreview A 127.0.0.7\nqa A 127.0.0.8\n`), parseZone(`$ORIGIN fly.test.\n$TTL 60\n@ SOA ns.fly.test. h.fly.test. ( 1 60 60 60 60 )\nshop-prod A 127.0.0.2\n`)] });
  const certs = new CertFactory();
  web = await startWebSandbox({ hosts: {
    // Indexable: no noindex, robots.txt allows everything.
    'staging.shop.test': { cert: certs.leaf('staging.shop.test'), https: (req) => (req.path === '/robots.txt' ? { status: 200, body: 'User-agent: *\nAllow: /\n' } : page('<h1>staging</h1>')) },
    // Kept out: robots.txt disallows all.
    'preview.shop.test': { cert: certs.leaf('preview.shop.test'), https: (req) => (req.path === '/robots.txt' ? { status: 200, body: 'User-agent: *\nDisallow: /\n' } : page('<h1>preview</h1>')) },
    // Kept out: noindex header.
    'qa.shop.test': { cert: certs.leaf('qa.shop.test'), https: () => page('<h1>qa</h1>', { 'x-robots-tag': 'noindex' }) },
  } });
});
afterAll(async () => { await Promise.all([dns.close(), web.close()]); });

describe('environments', () => {
  it('flags an indexable staging host that also shares production\'s app, and passes the ones kept out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-env-'));
    writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
      environments: [
        { name: 'production', hosts: ['shop.test', 'api.shop.test'] },
        { name: 'staging', hosts: ['staging.shop.test', 'preview.shop.test', 'qa.shop.test'], owner: 'dev' },
      ],
      network: { resolver: `${dns.address}:${dns.port}`, connectTo: web.connectTo },
    }));
    const r = await runInProcess(['audit', '--only', 'indexable-staging,shared-staging-host', '--format', 'json', '--repo', dir], {}, dir);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => [f.id, f.location.host])).toEqual([
      ['deploy.indexable-staging.indexable', 'staging.shop.test'],
      ['deploy.shared-staging-host.shared', 'staging.shop.test'],
    ]);
    expect(report.findings[1]!.message).toBe('staging.shop.test (staging) shares the CNAME target shop-prod.fly.test with production host api.shop.test.');
    expect(report.checks.find((c) => c.id === 'indexable-staging')!.details).toEqual({ hosts: {
      'staging.shop.test': 'indexable', 'preview.shop.test': 'robots.txt disallows all', 'qa.shop.test': 'X-Robots-Tag noindex',
    } });
    // Both requests per staging host went to the web sandbox, through the sandbox DNS.
    expect(web.requests.filter((q) => q.host === 'staging.shop.test').map((q) => q.path).sort()).toEqual(['/', '/robots.txt']);
    expect(dns.queries.some((q) => q.name === 'staging.shop.test')).toBe(true);
  });
});

describe('environments feed the hygiene scan', () => {
  it('a production config pointing at a staging environment host is a dev-URL finding', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'lr-env-repo-'));
    writeFileSync(join(dir, '.env.production'), 'API_URL=https://staging.shop.test/v1\n');
    writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
      environments: [{ name: 'production', hosts: ['shop.test'] }, { name: 'staging', hosts: ['staging.shop.test'] }],
    }));
    const git = (...a: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...a], { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    const r = await runInProcess(['audit', '--only', 'hygiene', '--format', 'json', '--resolver', '127.0.0.1:9'], {}, dir);
    const report = JSON.parse(r.stdout) as Report;
    const hit = report.findings.filter((f) => f.checkId === 'dev-url');
    expect(hit.map((f) => [f.location.file, f.location.line])).toEqual([['.env.production', 1]]);
    expect(hit[0]!.message).toMatch(/staging\.shop\.test/);
  });
});
