// Edge safety end to end: a product with planted defects (a cached personalized page, a CDN HIT on /me, reflected
// CORS with credentials, a bare session cookie, a served .env behind a catch-all 200, a source map with a key in its
// original source, an auth endpoint that never limits, stack traces) and its clean twin, both served on loopback
// through the sandbox DNS.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_MAX } from '../../src/collect/edge/index.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import type { Report } from '../../src/types.js';
import { runInProcess } from '../helpers/cli.js';
import { startEdgeSafetyServer, type EdgeHandler, type EdgeReply, type EdgeSafetyServer } from '../helpers/edge-safety-server.js';

// Assembled at run time: the repo never holds a live-looking token.
const TOKEN = ['lr', 'test', 'bearer', 'x'.repeat(12)].join('-');
const LIMIT_AT = 5;
const STRIPE_KEY = ['sk', 'live', 'Zq81Lm3Xv7Rt2Pk9Wn4Yb6Hd'].join('_');
// Left in a comment of the original source: the build drops it from the bundle, the source map keeps it.
const SENDGRID_KEY = ['SG', 'Zq81Lm3Xv7Rt2Pk9Wn4Yb6', 'u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ'].join('.');

const SHELL = '<!doctype html><html><head><script src="/app.3f9a1c2b.js"></script></head><body><div id="root"></div></body></html>';
const STACK = 'Error: not found\n    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)\n    at next (/srv/app/node_modules/express/lib/router/route.js:149:13)\n';

function site(clean: boolean): { apex: EdgeHandler; api: EdgeHandler } {
  const edgeHeaders: Record<string, string> = clean ? { 'cf-ray': '8a1b2c3d4e5f-AMS', 'cf-cache-status': 'DYNAMIC' } : {};
  const pageHeaders: Record<string, string | string[]> = clean
    ? {
      ...edgeHeaders,
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'self'; script-src 'self' 'nonce-abc123'; frame-ancestors 'self'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'set-cookie': ['session=s3ss10n; Path=/; Secure; HttpOnly; SameSite=Lax', 'theme=dark; Path=/; Secure'],
    }
    : { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=300', 'set-cookie': ['session=s3ss10n; Path=/'] };
  let logins = 0;
  const apex: EdgeHandler = (req) => {
    const path = req.path.split('?')[0]!;
    if (path === '/app.3f9a1c2b.js') {
      return { status: 200, headers: { ...edgeHeaders, 'content-type': 'text/javascript', 'cache-control': clean ? 'public, max-age=31536000, immutable' : 'max-age=60', ...(clean ? { 'cf-cache-status': 'HIT' } : {}) }, body: `const api = "https://api.example.invalid";\nconst stripe = "${clean ? 'pk_live_public' : STRIPE_KEY}";\n//# sourceMappingURL=app.3f9a1c2b.js.map\n` };
    }
    if (!clean && path === '/app.3f9a1c2b.js.map') {
      const sourcesContent = ['export const api = "https://api.example.invalid";\n', `// mail used to go out with ${SENDGRID_KEY}\nexport const mail = () => fetch("/mail");\n`];
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: 3, sources: ['src/app.ts', 'src/mail.ts'], sourcesContent, mappings: 'AAAA' }) };
    }
    if (!clean && path === '/.env') return { status: 200, headers: { 'content-type': 'text/plain' }, body: ['DATABASE_URL=postgres://app:', 'pw', '@db/app\nSESSION_SECRET=', 'x'.repeat(8), '\n'].join('') };
    if (path === '/') return { status: 200, headers: pageHeaders, body: SHELL };
    // The defective site answers every other path with its app shell (a catch-all 200); the clean one with 404.
    return clean ? { status: 404, headers: { ...edgeHeaders, 'content-type': 'text/html' }, body: '<h1>Not found</h1>' } : { status: 200, headers: { ...pageHeaders, 'set-cookie': [] }, body: SHELL };
  };
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): EdgeReply => ({ status, headers: { ...edgeHeaders, 'content-type': 'application/json', 'cache-control': 'no-store', ...(clean ? { 'cross-origin-resource-policy': 'same-origin' } : {}), ...headers }, body: JSON.stringify(body) });
  const api: EdgeHandler = (req) => {
    const path = req.path.split('?')[0]!;
    const origin = req.headers.origin;
    const cors: Record<string, string> = clean
      ? (origin === 'https://app.clean.test' ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' } : {})
      : (origin ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' } : {});
    if (req.method === 'OPTIONS') return { status: 204, headers: { ...edgeHeaders, ...cors, ...(cors['access-control-allow-origin'] ? { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'authorization, content-type' } : {}) } };
    if (path === '/health') return clean ? json(200, { status: 'ok' }) : json(200, { status: 'ok', version: '1.4.2' }, { 'cache-control': 'public, max-age=30' });
    if (path === '/me') {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { error: 'unauthorized' }, cors);
      return json(200, { email: 'a@example.com' }, { ...cors, vary: 'Authorization', ...(clean ? {} : { 'cache-control': 'max-age=600, must-revalidate', 'x-cache': 'HIT' }) });
    }
    if (path === '/products') return json(200, [{ id: 1 }], { ...cors, 'cache-control': clean ? 'public, max-age=60' : 'public', ...(clean ? { etag: '"p1"' } : {}) });
    if (path === '/login' && req.method === 'POST') {
      logins++;
      if (clean && logins >= LIMIT_AT) return json(429, { error: 'slow down' }, { 'retry-after': '60' });
      return json(401, { error: 'invalid credentials' }, cors);
    }
    if (path === '/') return json(200, { name: 'api' }, cors);
    return clean ? json(404, { error: 'not found' }) : { status: 500, headers: { 'content-type': 'text/html' }, body: `<html><title>Error</title><pre>${STACK}</pre></html>` };
  };
  return { apex, api };
}

let dns: DnsSandbox;
let web: EdgeSafetyServer;

beforeAll(async () => {
  const zone = (d: string) => parseZone(`$ORIGIN ${d}.\n$TTL 60\n@ SOA ns.${d}. h.${d}. ( 1 60 60 60 60 )\n@ A 127.0.0.1\napi A 127.0.0.1\n`);
  dns = await startDnsSandbox({ zones: [zone('shop.test'), zone('clean.test')] });
  const bad = site(false);
  const good = site(true);
  web = await startEdgeSafetyServer({ 'shop.test': bad.apex, 'api.shop.test': bad.api, 'clean.test': good.apex, 'api.clean.test': good.api });
});
afterAll(async () => { await Promise.all([dns.close(), web.close()]); });

async function audit(domain: string, saveFacts?: string): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'lr-edge-safety-'));
  const api = `https://api.${domain}`;
  writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
    domains: [{ name: domain, hosts: ['api'] }],
    endpoints: [
      // A generous budget: whether the health endpoint is fast is a timing question the table tests settle.
      { name: 'health', url: `${api}/health`, budgetP95Ms: 60_000 },
      { name: 'me', url: `${api}/me`, headers: { authorization: 'Bearer ${env:LR_EDGE_TOKEN}' } },
      { name: 'products', url: `${api}/products`, cacheable: true },
      { name: 'login', url: `${api}/login`, method: 'POST', kind: 'auth', body: '{"email":"a@example.com","password":"not-a-real-one"}', rateLimitProbe: true },
    ],
    network: { resolver: `${dns.address}:${dns.port}`, connectTo: web.connectTo, timeoutMs: 3000 },
  }));
  const r = await runInProcess(['audit', '--only', 'headers', '--format', 'json', ...(saveFacts ? ['--save-facts', saveFacts] : [])], { LR_EDGE_TOKEN: TOKEN }, dir);
  expect(r.stderr).not.toContain(TOKEN);
  return JSON.parse(r.stdout) as Report;
}

describe('edge safety', () => {
  it('flags every planted defect with what breaks and the fix', async () => {
    const factsDir = mkdtempSync(join(tmpdir(), 'lr-edge-safety-facts-'));
    const report = await audit('shop.test', factsDir);
    // Every place is listed, and one problem per code and host.
    const perHost = report.findings.map((f) => `${f.id} ${f.location.host}`);
    expect(new Set(perHost).size).toBe(perHost.length);
    const ids = report.findings.flatMap((f) => f.occurrences.map((o) => `${f.id} ${o.url ?? o.host}`)).sort();
    expect(ids).toEqual([
      'edge.bundle-secret.secret https://shop.test/app.3f9a1c2b.js',
      expect.stringMatching(/^edge\.error-page-leak\.debug-output https:\/\/api\.shop\.test\/launch-ready-[0-9a-f]{12}$/),
      'edge.exposed-file.env https://shop.test/.env',
      'edge.exposed-source-map.secret-in-source https://shop.test/app.3f9a1c2b.js.map',
      'edge.health-endpoint.cached https://api.shop.test/health',
      'edge.health-endpoint.leaks-version https://api.shop.test/health',
      'edge.insecure-cookie.no-httponly https://shop.test/',
      'edge.insecure-cookie.no-samesite https://shop.test/',
      'edge.insecure-cookie.no-secure https://shop.test/',
      'edge.missing-auth-rate-limit.never-limited https://api.shop.test/login',
      'edge.missing-cache-validators.no-validators https://api.shop.test/products',
      'edge.missing-security-headers.frame-protection https://shop.test/',
      'edge.missing-security-headers.nosniff https://shop.test/',
      'edge.origin-exposed.origin-exposed api.shop.test',
      'edge.origin-exposed.origin-exposed shop.test',
      'edge.origin-exposed.uncached-assets shop.test',
      'edge.permissive-cors.reflected-credentials https://api.shop.test/',
      'edge.permissive-cors.reflected-credentials https://api.shop.test/health',
      'edge.permissive-cors.reflected-credentials https://api.shop.test/login',
      'edge.permissive-cors.reflected-credentials https://api.shop.test/me',
      'edge.permissive-cors.reflected-credentials https://api.shop.test/products',
      'edge.private-response-caching.cdn-hit https://api.shop.test/me',
      'edge.private-response-caching.shared-cacheable https://shop.test/',
      'edge.short-lived-static-asset.short-lived https://shop.test/app.3f9a1c2b.js',
      'edge.unprotected-cross-origin-resource.missing https://api.shop.test/login',
      'edge.unprotected-cross-origin-resource.missing https://api.shop.test/me',
      'edge.weak-content-security-policy.missing https://shop.test/',
    ]);
    for (const f of report.findings) {
      expect(f.whatBreaks.length).toBeGreaterThan(40);
      expect(f.remediation.length).toBeGreaterThan(20);
    }
    expect(report.verdict).toBe('no-go');
    const env = report.findings.find((f) => f.id === 'edge.exposed-file.env')!;
    expect(env.severity).toBe('critical');
    expect(env.message).toContain('DATABASE_URL, SESSION_SECRET (values not shown)');
    expect(JSON.stringify(report)).not.toContain('x'.repeat(8));
    expect(JSON.stringify(report)).not.toContain(TOKEN);
    expect(JSON.stringify(report)).not.toContain(STRIPE_KEY);
    expect(JSON.stringify(report)).not.toContain(SENDGRID_KEY);
    const map = report.findings.find((f) => f.id === 'edge.exposed-source-map.secret-in-source')!;
    expect(map.severity).toBe('critical');
    expect(map.message).toMatch(/publishes the full original text of 2 of 2 source file\(s\); the source holds SendGrid API key \(SG\.Z.*\) in src\/mail\.ts:1/);
    // Recorded facts never hold the leaked values either: .env values, bundle keys and cookie values are masked.
    const facts = readFileSync(join(factsDir, 'facts.json'), 'utf8');
    for (const secret of [STRIPE_KEY, SENDGRID_KEY, 'x'.repeat(8), 'app:pw@db', TOKEN]) expect(facts).not.toContain(secret);
    const edgeFacts = JSON.stringify((JSON.parse(facts) as { facts: Record<string, unknown> }).facts['edge.http']);
    expect(edgeFacts).toContain('SESSION_SECRET=');
    expect(edgeFacts).toContain('"session=');
    expect(edgeFacts).not.toContain('s3ss10n');
    // Bounded: 2 + 17 exposed paths + 1 source map + 1 asset per surface, plus the redirect chains.
    expect(web.requests.filter((q) => q.host === 'shop.test').length).toBeLessThanOrEqual(30);
    const leaked = report.findings.find((f) => f.id === 'edge.bundle-secret.secret')!;
    expect(leaked).toMatchObject({ severity: 'critical', location: { line: 2 } });
    expect(leaked.message).toMatch(/Stripe live secret/);
    // The catch-all 200 answered /.git/config, /.DS_Store... with the app shell: none of them is a finding.
    expect(report.checks.find((c) => c.id === 'exposed-file')!.details).toMatchObject({ catchAllAnswers: expect.any(Number) });
    expect((report.checks.find((c) => c.id === 'exposed-file')!.details as { catchAllAnswers: number }).catchAllAnswers).toBeGreaterThanOrEqual(10);
    const limit = report.checks.find((c) => c.id === 'missing-auth-rate-limit')!;
    expect(limit.details).toMatchObject({ limitedAt: { login: null }, probes: [{ name: 'login', sent: RATE_LIMIT_MAX, limitedAt: null }] });
    // The probe never sent the configured password.
    const logins = web.requests.filter((q) => q.host === 'api.shop.test' && q.path === '/login' && q.method === 'POST');
    expect(logins).toHaveLength(RATE_LIMIT_MAX);
    expect(logins.every((q) => !q.body.includes('not-a-real-one') && q.body.includes('a@example.com'))).toBe(true);
  });

  it('stays silent on the clean twin, and reports the exact count at which limiting starts', async () => {
    const report = await audit('clean.test');
    expect(report.findings.map((f) => f.id)).toEqual([]);
    const statuses = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(Object.values(statuses).every((s) => s === 'pass' || s === 'not-applicable'), JSON.stringify(statuses)).toBe(true);
    const limit = report.checks.find((c) => c.id === 'missing-auth-rate-limit')!;
    expect(limit.status).toBe('pass');
    expect(limit.details).toMatchObject({ limitedAt: { login: LIMIT_AT }, probes: [{ name: 'login', sent: LIMIT_AT, limitedAt: LIMIT_AT, signal: '429' }] });
    // It stopped at the first limited answer.
    expect(web.requests.filter((q) => q.host === 'api.clean.test' && q.path === '/login' && q.method === 'POST')).toHaveLength(LIMIT_AT);
  });
});
