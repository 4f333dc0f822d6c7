// Waiting on a run's signal costs one 'abort' listener per signal, whatever the number of operations in flight:
// the DNS exchange, the TLS handshake and the fetch each stop waiting when they end, so a long-lived signal never
// collects listeners (the MaxListenersExceededWarning watch printed every round). The database, load and git
// collectors wait the same way: several of their operations at once on one signal still add a single listener.
import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onAbort, waitingOn } from '../../src/collect/abort.js';
import { openSession, parseDatabaseUrl } from '../../src/collect/database/connect.js';
import { exchange } from '../../src/collect/dns/wire.js';
import { gitOutput } from '../../src/collect/git/spawn.js';
import { rampEndpoint } from '../../src/collect/load/index.js';
import { NetPolicy } from '../../src/collect/net.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import { httpFetch } from '../../src/collect/http/fetch.js';
import { probeEndpoint } from '../../src/collect/tls/index.js';
import { loadZoneFile, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { CertFactory } from '../../src/sandbox/certs.js';
import { startWebSandbox, type WebSandbox } from '../../src/sandbox/https-server.js';
import type { TargetEndpoint } from '../../src/facts/latency.js';
import { postgresUnavailable, startPostgres } from '../helpers/postgres.js';

const zonesDir = fileURLToPath(new URL('../../fixtures/zones/', import.meta.url));
let dns: DnsSandbox;
let web: WebSandbox;

beforeAll(async () => {
  dns = await startDnsSandbox({ zones: [await loadZoneFile(`${zonesDir}clean.test.zone`)] });
  const certs = new CertFactory();
  web = await startWebSandbox({ hosts: { 'clean.test': { cert: certs.leaf('clean.test'), https: () => ({ status: 200, body: 'ok' }) } } });
});
afterAll(async () => { await dns.close(); await web.close(); });

const listeners = (s: AbortSignal) => getEventListeners(s, 'abort').length;

describe('onAbort', () => {
  it('fans one listener out to every waiter, and a stopped wait is not called', async () => {
    const c = new AbortController();
    const called: number[] = [];
    const stops = Array.from({ length: 50 }, (_, i) => onAbort(c.signal, () => called.push(i)));
    expect(listeners(c.signal)).toBe(1);
    expect(waitingOn(c.signal)).toBe(50);
    stops.slice(10).forEach((s) => s());
    expect(waitingOn(c.signal)).toBe(10);
    c.abort();
    expect(called).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(waitingOn(c.signal)).toBe(0);
  });

  it('an already aborted signal calls back on the next microtask, unless the wait stopped first', async () => {
    const c = new AbortController();
    c.abort();
    let a = 0;
    let b = 0;
    onAbort(c.signal, () => a++);
    onAbort(c.signal, () => b++)();
    expect(a).toBe(0);
    await Promise.resolve();
    expect([a, b]).toEqual([1, 0]);
  });
});

describe('collectors stop waiting when they end', () => {
  it('60 DNS exchanges in flight on one signal: one listener, none waiting afterwards', async () => {
    const c = new AbortController();
    let peak = 0;
    const policy = new NetPolicy({ loopbackOnly: true });
    const asks = Array.from({ length: 60 }, () => exchange({
      server: { address: dns.address, port: dns.port }, name: 'api.clean.test', type: 'A', timeoutMs: 2000, retries: 0, policy, signal: c.signal,
    }).finally(() => { peak = Math.max(peak, listeners(c.signal)); }));
    peak = Math.max(peak, listeners(c.signal));
    expect(waitingOn(c.signal)).toBe(60);
    const answers = await Promise.all(asks);
    expect(answers.every((a) => a.status === 'ok')).toBe(true);
    expect(peak).toBe(1);
    expect(waitingOn(c.signal)).toBe(0);
  });

  it('handshakes and fetches leave nothing waiting on the run signal', async () => {
    const net = await prepareNetwork({ resolver: `${dns.address}:${dns.port}`, connectTo: web.connectTo, timeoutMs: 3000, concurrency: 16, loopbackOnly: true });
    const c = new AbortController();
    const ctx = net.context(c.signal);
    const host = { name: 'clean.test', domain: 'clean.test', label: '@', declared: true };
    const [tlsResults, fetches] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => probeEndpoint(ctx, host))),
      Promise.all(Array.from({ length: 20 }, () => httpFetch(ctx, { url: 'https://clean.test/' }))),
    ]);
    expect(tlsResults.map((r) => r.status)).toEqual(Array(5).fill('ok'));
    expect(fetches.map((r) => ('status' in r ? r.status : r.error.message))).toEqual(Array(20).fill(200));
    // Only the run's HTTP client still waits (to close its sockets when the run ends), and closing it stops that.
    expect(waitingOn(c.signal)).toBe(1);
    await (await ctx.agent!()).close();
    expect(waitingOn(c.signal)).toBe(0);
    expect(listeners(c.signal)).toBe(1);
    c.abort();
  });
});

/** Samples the listener count and the waits on `signal` while `work` runs: the peak of each, and the waits left after. */
async function watchSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<{ result: T; peakListeners: number; peakWaiting: number; waitingAfter: number }> {
  let peakListeners = 0;
  let peakWaiting = 0;
  const sample = () => { peakListeners = Math.max(peakListeners, listeners(signal)); peakWaiting = Math.max(peakWaiting, waitingOn(signal)); };
  const timer = setInterval(sample, 5);
  try {
    const pending = work();
    sample();
    const result = await pending;
    return { result, peakListeners, peakWaiting, waitingAfter: waitingOn(signal) };
  } finally {
    clearInterval(timer);
  }
}

describe('database, load and git collectors wait through onAbort', () => {
  it('12 git commands at once on one signal: one listener, none waiting afterwards', async () => {
    const c = new AbortController();
    const seen = await watchSignal(c.signal, () => Promise.all(Array.from({ length: 12 }, () => gitOutput(tmpdir(), ['--version'], { signal: c.signal }))));
    expect(seen.result.every((b) => b.toString().startsWith('git version'))).toBe(true);
    expect(seen.peakWaiting).toBeGreaterThan(1);
    expect(seen.peakListeners).toBe(1);
    expect(seen.waitingAfter).toBe(0);
  });

  it('two load ramps at once on one signal: one listener, none waiting afterwards', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const net = await prepareNetwork({ timeoutMs: 3000, concurrency: 4, resolver: '127.0.0.1:9', loopbackOnly: true });
      const c = new AbortController();
      const ctx = net.context(c.signal);
      const ep = (name: string): TargetEndpoint => ({ name, url: `http://127.0.0.1:${port}/${name}`, method: 'GET', kind: 'read', budgetP95Ms: 1000, critical: true, cacheable: false, authenticated: false });
      const ramp = (name: string) => rampEndpoint(ctx, ep(name), { endpoints: [ep(name)], maxConcurrency: 2, stepDurationSec: 0.3 }, { requestsLeft: 100_000, cap: 100_000 });
      const seen = await watchSignal(c.signal, () => Promise.all([ramp('a'), ramp('b')]));
      expect(seen.result.map((r) => r.steps.length)).toEqual([2, 2]);
      expect(seen.peakWaiting).toBe(2);
      expect(seen.peakListeners).toBe(1);
      expect(seen.waitingAfter).toBe(0);
    } finally {
      server.close();
    }
  });

  const missing = postgresUnavailable();
  if (missing && process.env.CI) it('needs PostgreSQL under CI', () => { throw new Error(missing); });
  it.skipIf(Boolean(missing))(`six database sessions open at once on one signal: one listener, none waiting once closed${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const cluster = await startPostgres();
    try {
      const net = await prepareNetwork({ timeoutMs: 5000, concurrency: 16, resolver: '127.0.0.1:9', loopbackOnly: true });
      const c = new AbortController();
      const ctx = net.context(c.signal);
      const parsed = parseDatabaseUrl(cluster.url('postgres'));
      const seen = await watchSignal(c.signal, async () => {
        const sessions = await Promise.all(Array.from({ length: 6 }, () => openSession(ctx, parsed, 5000)));
        const during = { listeners: listeners(c.signal), waiting: waitingOn(c.signal) };
        await Promise.all(sessions.map((s) => s.query('SELECT 1')));
        await Promise.all(sessions.map((s) => s.close()));
        return during;
      });
      // Each open session waits to end its connection when the run stops: six waits, one listener.
      expect(seen.result).toEqual({ listeners: 1, waiting: 6 });
      expect(seen.peakListeners).toBe(1);
      expect(seen.waitingAfter).toBe(0);
    } finally {
      await cluster.stop();
    }
  }, 60_000);
});
