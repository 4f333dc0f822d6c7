// Latency end to end: `launch-ready audit --only latency` against loopback endpoints with known distributions,
// names resolved through the sandbox DNS; the ranked report carries each endpoint over budget with its p95.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import type { Report } from '../../src/types.js';
import { runInProcess } from '../helpers/cli.js';
import { startLatencySandbox, type LatencySandbox } from '../helpers/latency-sandbox.js';

let dns: DnsSandbox;
let web: LatencySandbox;
const SECRET = ['lr', 'e2e', 'key', 'q'.repeat(10), '77'].join('_');

beforeAll(async () => {
  dns = await startDnsSandbox({ zones: [parseZone('$ORIGIN shop.test.\n$TTL 60\n@ SOA ns.shop.test. h.shop.test. ( 1 60 60 60 60 )\napi A 127.0.0.1\n')] });
  web = await startLatencySandbox({
    '/feed': { delayMs: () => 3, etag: '"f1"' },
    // 10% of requests at 450 ms: p95 lands on the slow mode (see the collector test for the arithmetic).
    '/search': { delayMs: (n) => (n % 10 === 9 ? 450 : 15) },
    '/me': { headers: { 'cache-control': 'public, max-age=600' } },
    // One slow answer in ten is the p95 of ten samples.
    '/checkout': { delayMs: (n) => (n === 5 ? 1500 : 5) },
  });
});
afterAll(async () => { await Promise.all([web.close(), dns.close()]); });

describe('audit --only latency', () => {
  it('ranks over-budget endpoints with their measured p95, the mobile estimate and the cache findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-latency-'));
    const base = `http://api.shop.test:${web.port}`;
    writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
      endpoints: [
        { name: 'feed', url: `${base}/feed`, kind: 'read', critical: true, cacheable: true },
        { name: 'search', url: `${base}/search`, kind: 'read', critical: true },
        { name: 'me', url: `${base}/me`, kind: 'auth', headers: { authorization: 'Bearer ${env:LR_TEST_API_KEY}' } },
        { name: 'checkout', url: `${base}/checkout`, kind: 'write', method: 'POST', body: '{}', critical: true, budgetP95Ms: 2000 },
      ],
      latency: { samples: 10, warmup: 1 },
      network: { resolver: `${dns.address}:${dns.port}` },
    }));
    const r = await runInProcess(['audit', '--only', 'latency', '--format', 'json', '--repo', dir], { LR_TEST_API_KEY: SECRET }, dir);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.verdict).toBe('no-go');
    const ids = report.findings.map((f) => `${f.id} ${f.args.name as string}`);
    expect(ids).toContain('latency.slow-endpoint.over-budget-critical search');
    expect(ids).toContain('latency.public-auth-cache.publicly-cacheable me');
    // 1.5 s at p95: within its own 2 s budget, but a phone on average 4G waits over 2 s.
    expect(ids).toContain('latency.slow-mobile-screen.over-2s checkout');
    expect(ids.filter((i) => / feed$/.test(i))).toEqual([]);
    const search = report.findings.find((f) => f.id === 'latency.slow-endpoint.over-budget-critical')!;
    expect(Number(search.args.p95Ms)).toBeGreaterThanOrEqual(450);
    expect(search.message).toMatch(/^search \(GET http:\/\/api\.shop\.test:\d+\/search\), a critical flow: p95 \d+ ms is over its 300 ms budget/);
    const details = report.checks.find((c) => c.id === 'slow-endpoint')!.details as { endpoints: { name: string; budgetP95Ms: number; p95Ms: number }[] };
    expect(details.endpoints.map((e) => [e.name, e.budgetP95Ms])).toEqual([['feed', 300], ['search', 300], ['me', 700], ['checkout', 2000]]);
    expect(report.checks.find((c) => c.id === 'uncached-read')!.status).toBe('pass');
    expect(report.checks.find((c) => c.id === 'request-errors')!.status).toBe('pass');
    // The secret reached the server, through the configured header.
    expect(web.seen.get('/me')![0]!.authorization).toBe(`Bearer ${SECRET}`);
  }, 30_000);
});
