// A known-good latency baseline for the latency check tables: fast, error-free, cache-aware endpoints.
import type { TableFacts } from './check-tester.js';
import type { EndpointLatency, LatencyFacts } from '../../src/facts/latency.js';

export type LatencyTableFacts = TableFacts & { 'latency.endpoints': LatencyFacts };

export function endpoint(over: Partial<EndpointLatency> = {}): EndpointLatency {
  return {
    name: 'feed', url: 'https://api.shop.test/v1/feed', method: 'GET', kind: 'read', budgetP95Ms: 300,
    critical: true, cacheable: true, authenticated: false, status: 'ok', attempted: 30, recorded: 30,
    errors: { non2xx: 0, statusCodes: {}, timeouts: 0, resets: 0, other: 0, examples: [] }, errorRate: 0,
    p50Ms: 80.5, p95Ms: 120, p99Ms: 150.25, maxMs: 160.5, minMs: 70.125,
    cold: { dnsMs: 2, connectMs: 10, tlsMs: 12, ttfbMs: 100, downloadMs: 1, totalMs: 125 },
    warm: { dnsMs: 0, connectMs: 0, tlsMs: 0, ttfbMs: 80, downloadMs: 0.5, totalMs: 80.5 },
    responseBytes: 5000,
    cache: { cacheControl: 'private, max-age=60', etag: '"abc"', conditionalStatus: 304, firstTtfbMs: 100, repeatTtfbP50Ms: 80 },
    transfer: { contentType: 'application/json', contentEncoding: 'gzip', wireBytes: 5000, truncated: false },
    connections: { requests: 33, newConnections: 1, setupMs: 22, closeHeader: false },
    ...over,
  };
}

export function loginEndpoint(over: Partial<EndpointLatency> = {}): EndpointLatency {
  return endpoint({
    name: 'login', url: 'https://api.shop.test/v1/login', method: 'POST', kind: 'auth', budgetP95Ms: 700, critical: true,
    cacheable: false, authenticated: true, p50Ms: 200, p95Ms: 400, p99Ms: 450, maxMs: 460,
    cache: { cacheControl: 'no-store', firstTtfbMs: 210, repeatTtfbP50Ms: 200 }, ...over,
  });
}

export function latencyFacts(): LatencyTableFacts {
  return {
    target: { domains: [], now: '2026-11-29T10:00:00.000Z', accept: [] },
    'latency.endpoints': { options: { samples: 30, warmup: 2 }, endpoints: [endpoint(), loginEndpoint()] },
  };
}

export function ep(f: LatencyTableFacts, name: string): EndpointLatency {
  return f['latency.endpoints'].endpoints.find((e) => e.name === name)!;
}
