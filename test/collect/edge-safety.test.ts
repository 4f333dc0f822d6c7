// The edge-safety collector against loopback servers: body caps, the rate-limit probe (exact count, stop at the first
// limited answer, confirmation for non-loopback hosts, invalid credentials only), asset discovery, the source-map
// search (bounded, same-site only) and helpers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEdge, fetchEdge, invalidCredentialsBody, isHealthEndpoint, MAP_CAP, pageAssets, probeRateLimit, sameSiteScripts, sanitizeBody, scanBundle, scanSources } from '../../src/collect/edge/index.js';
import { runClient } from '../../src/collect/http/fetch.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import { ENDPOINT_REQUEST, type TargetEndpoint } from '../../src/facts/latency.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { targetOf } from '../helpers/edge-sandbox.js';
import { startEdgeSafetyServer, type EdgeReply, type EdgeSafetyServer } from '../helpers/edge-safety-server.js';

const MAPS_PAGE = '<html><script src="/big.js"></script><script src="/missing.js"></script><script src="/other.js"></script>'
  + '<script src="http://maps.probe.test/plain.js"></script><script src="https://cdn.elsewhere.test/x.js"></script></html>';

let dns: DnsSandbox;
let web: EdgeSafetyServer;
const counters = new Map<string, number>();

beforeAll(async () => {
  dns = await startDnsSandbox({ zones: [parseZone('$ORIGIN probe.test.\n$TTL 60\n@ SOA ns.probe.test. h.probe.test. ( 1 60 60 60 60 )\n@ A 127.0.0.1\nfar A 203.0.113.10\nmaps A 127.0.0.1\n')] });
  web = await startEdgeSafetyServer({
    'probe.test': (req): EdgeReply => {
      const n = (counters.get(req.path) ?? 0) + 1;
      counters.set(req.path, n);
      if (req.path === '/big') return { status: 200, body: 'a'.repeat(200_000) };
      if (req.path === '/retry-after' && n >= 3) return { status: 401, headers: { 'retry-after': '30' } };
      if (req.path === '/remaining') return { status: 401, headers: { 'ratelimit-limit': '4', 'ratelimit-remaining': String(Math.max(0, 4 - n)) } };
      return { status: 401, body: '{"error":"invalid"}', headers: { 'content-type': 'application/json' } };
    },
    'maps.probe.test': (req): EdgeReply => {
      const js = (body: string): EdgeReply => ({ status: 200, headers: { 'content-type': 'text/javascript' }, body });
      switch (req.path) {
        case '/': return { status: 200, headers: { 'content-type': 'text/html' }, body: MAPS_PAGE };
        case '/big.js': return js('big();\n//# sourceMappingURL=big.js.map\n');
        // Past the cap: the first file's text is read whole, the second is cut.
        case '/big.js.map': return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: 3, sources: ['src/a.ts', 'src/b.ts'], sourcesContent: ['export const a = 1;\n', 'b'.repeat(MAP_CAP + 1024)], mappings: 'AAAA' }) };
        case '/missing.js': return js('missing();\n');
        case '/other.js': return js('other();\n//# sourceMappingURL=https://maps.vendor.test/other.js.map\n');
        case '/plain.js': return js('plain();\n');
        default: return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' };
      }
    },
  });
});
afterAll(async () => { await Promise.all([dns.close(), web.close()]); });

async function context() {
  const net = await prepareNetwork({ resolver: `${dns.address}:${dns.port}`, connectTo: web.connectTo, timeoutMs: 3000, concurrency: 16 });
  const controller = new AbortController();
  const ctx = net.context(controller.signal);
  return { ctx, agent: await runClient(ctx), done: () => controller.abort() };
}

function endpoint(path: string, host = 'probe.test', body?: string): TargetEndpoint {
  return {
    name: path.slice(1), url: `https://${host}${path}`, method: 'POST', kind: 'auth', budgetP95Ms: 700, critical: false, cacheable: false, authenticated: true,
    [ENDPOINT_REQUEST]: { headers: { authorization: 'Bearer secret-ish', 'x-tenant': 't1' }, ...(body !== undefined ? { body } : {}) },
  };
}

describe('edge-safety collector', () => {
  it('caps the body it reads and hashes what it read', async () => {
    const { ctx, agent, done } = await context();
    const r = await fetchEdge(ctx, agent, 'https://probe.test/big', { cap: 10_000, keep: 100 });
    done();
    expect(r).toMatchObject({ status: 200, bodyBytes: 10_000, bodyTruncated: true });
    expect(r.body).toHaveLength(100);
    expect(r.bodyHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('probes until the first limited answer: a Retry-After on the 3rd request', async () => {
    const { ctx, agent, done } = await context();
    const { probe } = await probeRateLimit(ctx, agent, endpoint('/retry-after'), []);
    done();
    expect(probe).toMatchObject({ sent: 3, limitedAt: 3, signal: 'retry-after', statuses: [401, 401, 401] });
    const sent = web.requests.filter((q) => q.path === '/retry-after');
    expect(sent).toHaveLength(3);
    // Credentials are never sent: no Authorization, a bogus password in the body; other headers are kept.
    expect(sent.every((q) => q.headers.authorization === undefined && q.headers['x-tenant'] === 't1' && q.method === 'POST')).toBe(true);
    expect(JSON.parse(sent[0]!.body)).toMatchObject({ password: expect.stringMatching(/^launch-ready-invalid-/) });
  });

  it('reads RateLimit-Remaining: 0 as limited, and records the advertised limit', async () => {
    const { ctx, agent, done } = await context();
    const { probe } = await probeRateLimit(ctx, agent, endpoint('/remaining'), []);
    done();
    expect(probe).toMatchObject({ sent: 4, limitedAt: 4, signal: 'ratelimit-remaining: 0', advertisedLimit: 4 });
  });

  it('stops at the cap when nothing limits', async () => {
    const { ctx, agent, done } = await context();
    const { probe } = await probeRateLimit(ctx, agent, endpoint('/never'), [], 7);
    done();
    expect(probe).toMatchObject({ sent: 7, max: 7, limitedAt: null });
    expect(web.requests.filter((q) => q.path === '/never')).toHaveLength(7);
  });

  it('never probes a non-loopback host without confirmation', async () => {
    const { ctx, agent, done } = await context();
    const before = web.requests.length;
    const { probe } = await probeRateLimit(ctx, agent, endpoint('/login', 'far.probe.test'), []);
    // Confirmed, it is still refused by the loopback guard the tests run under: no byte leaves loopback.
    const confirmed = await probeRateLimit(ctx, agent, endpoint('/login', 'far.probe.test'), ['far.probe.test']);
    done();
    expect(probe).toMatchObject({ sent: 0, limitedAt: null, skipped: 'far.probe.test is not loopback and not listed in load.confirm' });
    expect(confirmed.probe.sent).toBe(0);
    expect(confirmed.probe.error).toMatch(/loopback-only/);
    expect(web.requests.length).toBe(before);
  });
});

describe('source-map search', () => {
  it('follows each same-site script to its map: a map past the cap read in part, a 404, another site never asked', async () => {
    const { ctx, done } = await context();
    const edge = await collectEdge(ctx, targetOf('probe.test', ['maps']));
    done();
    const maps = edge.surfaces[0]!.sourceMaps!;
    expect(maps.map((m) => [m.script, m.via, m.url, m.outcome])).toEqual([
      ['https://maps.probe.test/big.js', 'comment', 'https://maps.probe.test/big.js.map', 'map'],
      ['https://maps.probe.test/missing.js', 'guess', 'https://maps.probe.test/missing.js.map', 'not-found'],
      ['https://maps.probe.test/other.js', 'comment', 'https://maps.vendor.test/other.js.map', 'other-site'],
      ['https://maps.probe.test/plain.js', 'guess', 'https://maps.probe.test/plain.js.map', 'not-found'],
    ]);
    expect(maps[0]).toMatchObject({ bytes: MAP_CAP, truncated: true, map: { version: 3, sources: 2, withContent: 1, partial: true } });
    const asked = web.requests.filter((q) => q.host === 'maps.probe.test').map((q) => `${q.scheme} ${q.path}`);
    // The http:// script was fetched over https; every script once (an asset is not fetched again for its map).
    expect(asked.filter((a) => a.endsWith('.js')).sort()).toEqual(['https /big.js', 'https /missing.js', 'https /other.js', 'https /plain.js']);
    expect(dns.queries.map((q) => q.name.toLowerCase())).not.toContain('maps.vendor.test');
    expect(dns.queries.map((q) => q.name.toLowerCase())).not.toContain('cdn.elsewhere.test');
  });
});

describe('edge-safety helpers', () => {
  it('replaces credential fields of JSON and form bodies, keeps the rest', () => {
    const json = JSON.parse(invalidCredentialsBody('{"email":"a@b.c","password":"real","otp":"123456"}', undefined).body) as Record<string, string>;
    expect(json.email).toBe('a@b.c');
    expect(json.password).toMatch(/^launch-ready-invalid-/);
    expect(json.otp).toMatch(/^launch-ready-invalid-/);
    const form = new URLSearchParams(invalidCredentialsBody('user=a&pwd=real', undefined).body);
    expect(form.get('user')).toBe('a');
    expect(form.get('pwd')).toMatch(/^launch-ready-invalid-/);
    expect(JSON.parse(invalidCredentialsBody(undefined, undefined).body)).toMatchObject({ email: 'launch-ready-probe@example.invalid' });
  });

  it('scans bundles with the secrets rules, masked, generic rules quiet', () => {
    const key = ['sk', 'live', 'Zq81Lm3Xv7Rt2Pk9Wn4Yb6Hd'].join('_');
    const hits = scanBundle('https://shop.test/assets/app.js', `var a=1;\nvar s="${key}";var token="Ab9x7Qw2Er5Ty8Ui3Op";`);
    expect(hits.map((h) => [h.ruleId, h.line])).toEqual([['stripe-live-secret-key', 2]]);
    expect(JSON.stringify(hits)).not.toContain(key);
  });

  it('masks values in the bodies it keeps, leaving names and structure', () => {
    const key = ['sk', 'live', 'Zq81Lm3Xv7Rt2Pk9Wn4Yb6Hd'].join('_');
    const out = sanitizeBody(`DB_PASSWORD=${'q'.repeat(3)}Zx81\nexport API_KEY = ${key}\n[core]\nref: refs/heads/main\n`);
    expect(out).not.toContain(key);
    expect(out).not.toContain('Zx81');
    expect(out).toMatch(/^DB_PASSWORD=.*redacted/m);
    expect(out).toMatch(/^export API_KEY = .*redacted/m);
    expect(out).toContain('[core]\nref: refs/heads/main');
  });

  it('finds same-origin scripts and stylesheets only', () => {
    const html = '<script src="/a.1234abcd.js"></script><script src="https://cdn.other.test/x.js"></script><link rel="stylesheet" href="/s.css"><link rel="icon" href="/f.ico"><script src="/a.1234abcd.js"></script>';
    expect(pageAssets(html, 'https://shop.test/')).toEqual(['https://shop.test/a.1234abcd.js', 'https://shop.test/s.css']);
  });

  it('takes same-site scripts (other hosts of the site too, http:// as https://) and leaves other sites alone', () => {
    const html = '<script src="/a.js"></script><script src="http://shop.test/b.js"></script><script src="http://shop.test:80/b.js"></script>'
      + '<script src="https://static.shop.test/c.js"></script><script src="//cdn.vendor.test/d.js"></script><!-- <script src="/e.js"></script> -->';
    expect(sameSiteScripts(html, 'https://shop.test/')).toEqual(['https://shop.test/a.js', 'https://shop.test/b.js', 'https://static.shop.test/c.js']);
  });

  it('scans the product\'s original sources for secrets, masked, dependencies left alone', () => {
    const key = ['SG', 'Zq81Lm3Xv7Rt2Pk9Wn4Yb6', 'Hd7Qp2Ls9Xc4Vb8Nm1Kj5Tg3Wr6Ye0Ua2Io7Pz4Sx9D'].join('.');
    const line = `// old: ${key}\n`;
    const hits = scanSources([
      { source: 'webpack://shop/./src/mail.ts', content: `export {};\n${line}` },
      { source: 'webpack://shop/./node_modules/sendgrid/example.js', content: line },
      // A test's fixture password stays quiet as in a repository scan (generic rules are quiet in tests).
      { source: 'webpack://shop/./src/__tests__/login.test.ts', content: 'const password = "Xk29vB7qLm4Tz8Rw";\n' },
    ]);
    expect(hits.map((h) => [h.source, h.line, h.ruleId, h.severity])).toEqual([['webpack://shop/./src/mail.ts', 2, 'sendgrid-api-key', 'critical']]);
    expect(JSON.stringify(hits)).not.toContain(key);
  });

  it('recognises health endpoints by name or path', () => {
    expect(isHealthEndpoint({ name: 'api', url: 'https://api.x.test/healthz' })).toBe(true);
    expect(isHealthEndpoint({ name: 'readiness', url: 'https://api.x.test/r' })).toBe(false);
    expect(isHealthEndpoint({ name: 'ping', url: 'https://api.x.test/p' })).toBe(true);
    expect(isHealthEndpoint({ name: 'orders', url: 'https://api.x.test/orders' })).toBe(false);
  });
});
