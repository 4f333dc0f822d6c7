// Table tests for the weak-network checks: compression, payload size, connection reuse and HTTP/2, each case
// changing one thing of a clean, compressed, kept-alive baseline.
import { describe } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import connectionReuse from '../../src/checks/latency/connection-reuse.js';
import http1Only from '../../src/checks/latency/http1-only.js';
import largePayload from '../../src/checks/latency/large-payload.js';
import uncompressedResponse from '../../src/checks/latency/uncompressed-response.js';
import type { FactMap } from '../../src/facts/index.js';
import type { TlsEndpoint } from '../../src/facts/tls.js';
import { checkTable } from '../helpers/check-tester.js';
import { ep, latencyFacts, type LatencyTableFacts } from '../helpers/latency-facts.js';

const c = (x: unknown) => x as AnyCheck;
const raw = (bytes: number, gzipBytes: number, contentType = 'application/json') => (f: LatencyTableFacts) => {
  ep(f, 'feed').transfer = { contentType, wireBytes: bytes, gzipBytes, truncated: false };
};

describe('uncompressed-response', () => {
  checkTable<LatencyTableFacts>(c(uncompressedResponse), latencyFacts, [
    { name: 'compressed responses pass', status: 'pass' },
    { name: 'no endpoints: not applicable', mutate: (f) => { f['latency.endpoints'].endpoints = []; }, status: 'not-applicable' },
    { name: 'no endpoint answered: unknown, not a pass', mutate: (f) => { for (const e of f['latency.endpoints'].endpoints) delete e.transfer; }, status: 'error' },
    {
      name: 'a 300 kB JSON feed sent raw is medium for a core endpoint, with sizes and 3G time saved',
      mutate: raw(300_000, 40_000),
      status: 'fail',
      findings: [{ code: 'uncompressed-core', severity: 'medium', message: /sent 293 kB of application\/json without Content-Encoding although the request accepted gzip, br; gzipped it is 39 kB: 1\.3 s less to transfer on 3G \(1600 kbit\/s\)\.$/ }],
    },
    {
      name: 'a non-core endpoint is low',
      mutate: (f) => { raw(300_000, 40_000)(f); ep(f, 'feed').critical = false; },
      status: 'warn',
      findings: [{ code: 'uncompressed', severity: 'low' }],
    },
    { name: '1 kB and under is not worth compressing', mutate: raw(1024, 400), status: 'pass' },
    { name: 'just over 1 kB is', mutate: raw(1025, 400), status: 'fail', findings: ['uncompressed-core'] },
    { name: 'images are already compressed', mutate: raw(300_000, 290_000, 'image/png'), status: 'pass' },
    { name: 'incompressible text (gzip saves under 10%) passes', mutate: raw(300_000, 280_000), status: 'pass' },
    ...['text/html', 'application/javascript', 'text/css', 'image/svg+xml', 'application/problem+json'].map((type) => ({
      name: `${type} is compressible`, mutate: raw(50_000, 10_000, type), status: 'fail' as const, findings: ['uncompressed-core'],
    })),
  ]);
});

describe('large-payload', () => {
  checkTable<LatencyTableFacts>(c(largePayload), latencyFacts, [
    { name: 'small responses pass', status: 'pass' },
    {
      name: 'over 100 kB compressed, with transfer times on the mobile profiles',
      mutate: (f) => { ep(f, 'feed').transfer = { contentType: 'application/json', contentEncoding: 'gzip', wireBytes: 250_000, truncated: false }; },
      status: 'fail',
      findings: [{ code: 'over-budget', severity: 'medium', message: /is 244 kB compressed \(244 kB sent\), over the 100 kB budget: its transfer alone takes 167 ms on good 4G, 222 ms on average 4G, 1250 ms on 3G/ }],
    },
    { name: 'exactly the budget passes', mutate: (f) => { ep(f, 'feed').transfer!.wireBytes = 102_400; }, status: 'pass' },
    { name: 'one byte over fails', mutate: (f) => { ep(f, 'feed').transfer!.wireBytes = 102_401; }, status: 'fail', findings: ['over-budget'] },
    { name: 'a raw body judged by what gzip makes it: under budget', mutate: raw(600_000, 90_000), status: 'pass' },
    {
      name: 'a raw body still over budget gzipped: the wire size is what the phone downloads',
      mutate: raw(900_000, 150_000),
      status: 'fail',
      findings: [{ code: 'over-budget', message: /146 kB compressed \(879 kB sent\).*4500 ms on 3G/ }],
    },
    {
      name: 'non-core endpoints are not judged when some are critical',
      mutate: (f) => { ep(f, 'feed').critical = false; ep(f, 'feed').transfer!.wireBytes = 500_000; },
      status: 'pass',
    },
  ]);
});

describe('connection-reuse', () => {
  checkTable<LatencyTableFacts>(c(connectionReuse), latencyFacts, [
    { name: 'one connection reused passes', status: 'pass' },
    {
      name: 'a new connection per request is flagged with the measured setup',
      mutate: (f) => { ep(f, 'feed').connections = { requests: 33, newConnections: 33, setupMs: 14.5, closeHeader: true }; },
      status: 'fail',
      findings: [{ code: 'no-keep-alive', severity: 'medium', message: /opened a new connection for 33 of 33 sequential requests \(the server sends Connection: close\): each paid 14\.5 ms of DNS, TCP and TLS here against 80\.5 ms.*about 600 ms per request/ }],
    },
    { name: 'one reuse is enough', mutate: (f) => { ep(f, 'feed').connections = { requests: 33, newConnections: 32, setupMs: 14.5, closeHeader: false }; }, status: 'pass' },
    { name: 'a single answer says nothing: unknown', mutate: (f) => { for (const e of f['latency.endpoints'].endpoints) e.connections = { requests: 1, newConnections: 1, setupMs: 3, closeHeader: false }; }, status: 'error' },
  ]);
});

type TF = Pick<FactMap, 'target' | 'tls.endpoints'>;
const tlsHost = (host: string, label: string, alpn: string | null): TlsEndpoint => ({
  host, domain: 'shop.test', label, declared: false, port: 443, addresses: ['203.0.113.5'], status: 'ok', alpn, chain: [], legacy: [], elapsedMs: 20,
});
function tlsFacts(): TF {
  return {
    target: { domains: [], now: '2026-11-29T10:00:00.000Z', accept: [] },
    'tls.endpoints': [tlsHost('api.shop.test', 'api', 'h2'), tlsHost('app.shop.test', 'app', 'h2'), tlsHost('www.shop.test', 'www', 'http/1.1')],
  };
}

describe('http1-only', () => {
  checkTable<TF>(c(http1Only), tlsFacts, [
    { name: 'h2 on api and app passes (www is not judged)', status: 'pass' },
    { name: 'an HTTP/1.1-only API is low', mutate: (f) => { f['tls.endpoints'][0]!.alpn = 'http/1.1'; }, status: 'warn', findings: [{ code: 'no-h2', severity: 'low', host: 'api.shop.test', message: /with http\/1\.1: HTTP\/1\.1 only/ }] },
    { name: 'no ALPN choice at all', mutate: (f) => { f['tls.endpoints'][1]!.alpn = null; }, status: 'warn', findings: [{ code: 'no-h2', host: 'app.shop.test', message: /no protocol choice/ }] },
    {
      name: 'a configured endpoint\'s host is judged whatever its label',
      mutate: (f) => { f.target.endpoints = [{ name: 'feed', url: 'https://www.shop.test/v1/feed', method: 'GET', kind: 'read', budgetP95Ms: 300, critical: true, cacheable: false, authenticated: false }]; },
      status: 'warn',
      findings: [{ code: 'no-h2', host: 'www.shop.test' }],
    },
    { name: 'no API or app host: not applicable', mutate: (f) => { f['tls.endpoints'] = [f['tls.endpoints'][2]!]; }, status: 'not-applicable' },
  ]);
});
