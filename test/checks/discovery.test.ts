// Table-driven tests of what discovery adds to the checks: zone-transfer-allowed over the discovery fact, the
// HTTPS note for discovered hosts, and the "found via" wording every finding on a discovered host carries.
import { describe, expect, it } from 'vitest';
import zoneTransferAllowed from '../../src/checks/dns/zone-transfer-allowed.js';
import httpsUnavailable from '../../src/checks/tls/https-unavailable.js';
import { withDiscovered } from '../../src/derive/discovery.js';
import { DISCOVERY_NOT_RUN, type DiscoveryFacts } from '../../src/facts/discover.js';
import type { TargetFacts } from '../../src/facts/index.js';
import type { TlsEndpoint } from '../../src/facts/tls.js';
import { runCheck } from '../../src/run/audit.js';
import { checkTable, type TableFacts } from '../helpers/check-tester.js';

const D = 'example.test';
const target = (): TargetFacts => ({
  now: '2026-01-10T00:00:00.000Z', accept: [],
  domains: [{ name: D, canonical: 'apex', hosts: [{ name: D, domain: D, label: '@', declared: true }] }],
});
const discovery = (): DiscoveryFacts => ({
  ran: true, wildcards: [], cut: 0, queries: 40, elapsedMs: 10, errors: [],
  hosts: [{ name: `promo.${D}`, domain: D, via: [{ source: 'wordlist' }, { source: 'certificate', from: `www.${D}` }], dnsOnly: false }],
  axfr: [{ domain: D, nameserver: `ns1.${D}`, server: '192.0.2.1:53', status: 'refused', message: 'refused' }],
});

describe('zone-transfer-allowed', () => {
  checkTable<TableFacts>(zoneTransferAllowed, () => ({ target: target(), 'dns.discovery': discovery() }), [
    { name: 'every nameserver refuses', status: 'pass' },
    { name: 'one hands the zone out', mutate: (f) => { f['dns.discovery']!.axfr.push({ domain: D, nameserver: `ns2.${D}`, server: '192.0.2.2:53', status: 'allowed', names: 12 }); }, status: 'fail', findings: [{ code: 'allowed', host: `ns2.${D}`, message: /hands the whole example\.test zone to anyone: 12 names/ }] },
    { name: 'a transfer that failed is not a finding', mutate: (f) => { f['dns.discovery']!.axfr[0]!.status = 'error'; }, status: 'pass' },
    { name: 'discovery off', mutate: (f) => { f['dns.discovery'] = DISCOVERY_NOT_RUN; }, status: 'not-applicable' },
    { name: 'no nameserver asked', mutate: (f) => { f['dns.discovery']!.axfr = []; }, status: 'not-applicable' },
  ]);
});

const endpoint = (over: Partial<TlsEndpoint>): TlsEndpoint => ({
  host: `promo.${D}`, domain: D, label: 'promo', declared: false, port: 443, addresses: ['192.0.2.9'], status: 'refused', chain: [], legacy: [], elapsedMs: 1, ...over,
});

describe('https-unavailable on discovered hosts', () => {
  checkTable<TableFacts>(httpsUnavailable, () => ({ target: target(), 'tls.endpoints': [endpoint({ discovered: true })] }), [
    { name: 'a refused discovered host is an info note', status: 'warn', findings: [{ code: 'discovered-closed', severity: 'info' }] },
    { name: 'a timeout on a discovered host is a note too, not an error', mutate: (f) => { f['tls.endpoints']![0]!.status = 'timeout'; }, status: 'warn', findings: [{ code: 'discovered-closed', severity: 'info' }] },
    { name: 'the same host, not discovered, is medium', mutate: (f) => { delete f['tls.endpoints']![0]!.discovered; }, status: 'fail', findings: [{ code: 'closed-undeclared', severity: 'medium' }] },
  ]);
});

describe('findings on discovered hosts say how they were found', () => {
  it('adds "found via" to the message, for that host only', () => {
    const t = withDiscovered(target(), discovery());
    const facts = { target: t, 'tls.endpoints': [endpoint({ discovered: true }), endpoint({ host: D, label: '@', declared: true })] };
    const r = runCheck(httpsUnavailable, facts, [], '2026-01-10');
    const byHost = Object.fromEntries(r.findings.map((f) => [f.location.host, f.message]));
    expect(byHost[`promo.${D}`]).toMatch(/\(found via the built-in wordlist and the certificate of www\.example\.test\)$/);
    expect(byHost[D]).not.toMatch(/found via/);
  });

  it('joins discovered hosts to their domain once, with their sources (a replay adds nothing twice)', () => {
    const once = withDiscovered(target(), discovery());
    const twice = withDiscovered(once, discovery());
    expect(twice.domains[0]!.hosts.map((h) => [h.name, h.declared, h.discoveredVia?.length ?? 0])).toEqual([[D, true, 0], [`promo.${D}`, false, 2]]);
    expect(withDiscovered(target(), DISCOVERY_NOT_RUN)).toEqual(target());
  });
});
