// Waiting on a run's signal costs one 'abort' listener per signal, whatever the number of operations in flight:
// the DNS exchange, the TLS handshake and the fetch each stop waiting when they end, so a long-lived signal never
// collects listeners (the MaxListenersExceededWarning watch printed every round).
import { getEventListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onAbort, waitingOn } from '../../src/collect/abort.js';
import { exchange } from '../../src/collect/dns/wire.js';
import { NetPolicy } from '../../src/collect/net.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import { httpFetch } from '../../src/collect/http/fetch.js';
import { probeEndpoint } from '../../src/collect/tls/index.js';
import { loadZoneFile, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { CertFactory } from '../../src/sandbox/certs.js';
import { startWebSandbox, type WebSandbox } from '../../src/sandbox/https-server.js';

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
