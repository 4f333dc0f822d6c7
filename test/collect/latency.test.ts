// The latency collector against loopback endpoints with known, deterministic latency distributions: percentiles
// from the microsecond histogram, cold vs warm phase split, failures counted apart, early stop, cache probes, and
// secrets in headers that reach the server but never the facts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLatency } from '../../src/collect/latency/index.js';
import { LatencyHistogram } from '../../src/collect/latency/histogram.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import { targetEndpoint } from '../../src/config/target.js';
import { EndpointSchema } from '../../src/config/schema.js';
import type { TargetFacts } from '../../src/facts/index.js';
import type { EndpointLatency } from '../../src/facts/latency.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { startLatencySandbox, type LatencySandbox } from '../helpers/latency-sandbox.js';

let dns: DnsSandbox;
let web: LatencySandbox;
// Assembled at run time: the repository never holds a live-looking credential.
const TOKEN = ['lr', 'test', 'bearer', 'x'.repeat(12), '9f3a'].join('_');

beforeAll(async () => {
  dns = await startDnsSandbox({ zones: [parseZone('$ORIGIN lat.test.\n$TTL 60\n@ SOA ns.lat.test. h.lat.test. ( 1 60 60 60 60 )\napi A 127.0.0.1\n')] });
  web = await startLatencySandbox({
    '/fast': { delayMs: () => 2 },
    // Cold request n=0, warm-ups n=1..2, samples n=3..22: n=9 and n=19 are slow, 2 of 20 (10%).
    '/mixed': { delayMs: (n) => (n % 10 === 9 ? 450 : 20) },
    '/errors': { status: (n) => (n % 5 === 4 ? 503 : 200) },
    '/resets': { reset: (n) => n % 4 === 3 },
    '/hang': { delayMs: () => 30_000 },
    '/cached': { etag: '"v1"', headers: { 'cache-control': 'max-age=60' } },
    '/me': { headers: { 'cache-control': 'public, max-age=300' } },
  });
});
afterAll(async () => { await Promise.all([web.close(), dns.close()]); });

async function collect(endpoints: unknown[], timeoutMs = 3000, samples = 20): Promise<EndpointLatency[]> {
  const net = await prepareNetwork({ resolver: `${dns.address}:${dns.port}`, timeoutMs, concurrency: 4 });
  const controller = new AbortController();
  const target: TargetFacts = {
    domains: [], now: new Date().toISOString(), accept: [],
    endpoints: endpoints.map((e) => targetEndpoint(EndpointSchema.parse(e))),
    latency: { samples, warmup: 2 },
  };
  try {
    const facts = await collectLatency(net.context(controller.signal), target);
    expect(facts.options).toEqual({ samples, warmup: 2 });
    // The facts travel as JSON (--save-facts, reports): no header value may be in them.
    expect(JSON.stringify(facts)).not.toContain(TOKEN);
    expect(JSON.stringify(target)).not.toContain(TOKEN);
    return facts.endpoints;
  } finally {
    controller.abort();
  }
}

const url = (path: string) => `http://api.lat.test:${web.port}${path}`;

describe('latency collector', () => {
  it('records a known distribution: 10% at 450 ms puts p95 at the slow mode, p50 at the fast one', async () => {
    const [e] = await collect([{ name: 'mixed', url: url('/mixed') }]);
    expect(e).toMatchObject({ status: 'ok', attempted: 20, recorded: 20, errorRate: 0, budgetP95Ms: 300, kind: 'read' });
    expect(e!.p95Ms).toBeGreaterThanOrEqual(449);
    expect(e!.p50Ms).toBeGreaterThanOrEqual(19);
    expect(e!.p50Ms).toBeLessThan(449);
    expect(e!.maxMs).toBeGreaterThanOrEqual(e!.p99Ms!);
    // Microsecond resolution: figures are not whole milliseconds (autocannon's loopback p50 = 0 ms problem).
    expect([e!.p50Ms, e!.p95Ms, e!.minMs].some((v) => !Number.isInteger(v))).toBe(true);
  });

  it('splits phases: the cold request resolves and connects, warm samples reuse the connection', async () => {
    const [e] = await collect([{ name: 'fast', url: url('/fast') }]);
    expect(e!.cold).not.toBeNull();
    expect(e!.cold!.connectMs).toBeGreaterThan(0);
    expect(e!.cold!.tlsMs).toBe(0);
    expect(e!.warm).toMatchObject({ dnsMs: 0, connectMs: 0, tlsMs: 0 });
    expect(e!.warm!.ttfbMs).toBeGreaterThan(0);
    expect(e!.responseBytes).toBe('{"ok":true}'.length);
    expect(dns.queries.some((q) => q.name === 'api.lat.test')).toBe(true);
    // cold + 2 warm-ups + 20 samples, sequential.
    expect(web.seen.get('/fast')).toHaveLength(23);
  });

  it('counts non-2xx answers apart: they never enter the histogram', async () => {
    const [e] = await collect([{ name: 'errors', url: url('/errors') }]);
    // Samples n=3..22: n=4, 9, 14, 19 answer 503.
    expect(e).toMatchObject({ status: 'ok', attempted: 20, recorded: 16, errorRate: 0.2 });
    expect(e!.errors).toMatchObject({ non2xx: 4, statusCodes: { 503: 4 }, timeouts: 0, resets: 0, other: 0 });
  });

  it('counts resets apart', async () => {
    const [e] = await collect([{ name: 'resets', url: url('/resets') }]);
    expect(e!.errors.resets).toBe(5);
    expect(e!.recorded).toBe(15);
    expect(e!.errors.non2xx).toBe(0);
  });

  it('stops after three timeouts in a row and says why', async () => {
    const [e] = await collect([{ name: 'hang', url: url('/hang') }], 200);
    expect(e).toMatchObject({ status: 'failed', recorded: 0, p95Ms: null, cold: null });
    expect(e!.errors.timeouts).toBe(1);
    expect(e!.stoppedEarly).toMatch(/3 requests in a row got no answer/);
    expect(web.seen.get('/hang')).toHaveLength(3);
  });

  it('a refused connection is a failure value, not a throw', async () => {
    const [e] = await collect([{ name: 'closed', url: 'http://127.0.0.1:1/x' }]);
    expect(e).toMatchObject({ status: 'failed', recorded: 0 });
    expect(e!.errors.other).toBe(1);
    expect(e!.errors.examples[0]).toMatch(/ECONNREFUSED/);
  });

  it('sends configured headers and body, and probes validators of cacheable endpoints with a conditional request', async () => {
    const eps = await collect([
      { name: 'cached', url: url('/cached'), cacheable: true },
      { name: 'me', url: url('/me'), kind: 'auth', method: 'POST', body: '{"q":1}', headers: { authorization: `Bearer ${TOKEN}` } },
    ], 3000, 3);
    expect(eps[0]!.cache).toMatchObject({ etag: '"v1"', cacheControl: 'max-age=60', conditionalStatus: 304 });
    expect(web.seen.get('/cached')!.at(-1)!['if-none-match']).toBe('"v1"');
    expect(eps[1]).toMatchObject({ authenticated: true, budgetP95Ms: 700, method: 'POST', cache: { cacheControl: 'public, max-age=300' } });
    expect(web.seen.get('/me')!.every((h) => h.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });
});

describe('latency histogram', () => {
  it('reads percentiles at microsecond resolution', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 18; i++) h.recordMs(0.25);
    h.recordMs(400.5);
    h.recordMs(401);
    expect(h.count).toBe(20);
    expect(h.percentileMs(50)).toBeCloseTo(0.25, 3);
    // 19th of 20 samples: the first slow one (3 significant digits).
    expect(h.percentileMs(95)).toBeCloseTo(400.5, 0);
    expect(h.maxMs()).toBeCloseTo(401, 0);
    h.destroy();
  });
});
