// Fact builders for DNS check tests: a known-good baseline that each case changes one field of.
import type { AddressLookup, DnsAnswer, DnsRecord, HostResolution, NameserverProbe, ZoneFacts } from '../../src/facts/dns.js';
import type { FactMap } from '../../src/facts/index.js';

export const NOW = '2026-11-29T10:00:00.000Z';

export function ok(name: string, type: DnsAnswer['type'], records: DnsRecord[], authoritative = false): DnsAnswer {
  return { status: 'ok', name, type, server: '127.0.0.1:53', elapsedMs: 1, authoritative, records, authority: [], viaTcp: false };
}

export function negative(status: 'nodata' | 'nxdomain', name: string, type: DnsAnswer['type'], authoritative = false): DnsAnswer {
  return { status, name, type, server: '127.0.0.1:53', elapsedMs: 1, authoritative, records: [], authority: [], viaTcp: false };
}

export function failed(status: 'timeout' | 'servfail' | 'refused' | 'error', name: string, type: DnsAnswer['type'], message = `${status} after 3 attempts`): DnsAnswer {
  return { status, name, type, server: '127.0.0.1:53', elapsedMs: 1, message };
}

export function addr(name: string, addresses: string[], chain: AddressLookup['chain'] = []): AddressLookup {
  return { status: addresses.length ? 'ok' : 'nodata', addresses, chain, finalName: chain.length ? chain[chain.length - 1]!.target : name };
}

export function host(label: string, domain: string, a: string[], aaaa: string[] = [], extra: Partial<HostResolution> = {}): HostResolution {
  const name = label === '@' ? domain : `${label}.${domain}`;
  return { name, domain, label, declared: true, a: addr(name, a), aaaa: addr(name, aaaa), ...extra };
}

export function soa(domain: string, serial: number): DnsRecord {
  return { name: domain, type: 'SOA', ttl: 300, mname: `ns1.${domain}`, rname: `hostmaster.${domain}`, serial, refresh: 3600, retry: 600, expire: 1209600, minimum: 300 };
}

export function nsProbe(name: string, domain: string, serial: number, server = '127.0.0.1:5301'): NameserverProbe {
  return { name, probes: [{ server: `${server} (${name})`, answer: ok(domain, 'SOA', [soa(domain, serial)], true) }] };
}

export function zone(domain: string): ZoneFacts {
  return {
    domain,
    ns: ok(domain, 'NS', [
      { name: domain, type: 'NS', ttl: 300, target: `ns1.${domain}` },
      { name: domain, type: 'NS', ttl: 300, target: `ns2.${domain}` },
    ]),
    soa: ok(domain, 'SOA', [soa(domain, 7)]),
    caa: ok(domain, 'CAA', [{ name: domain, type: 'CAA', ttl: 300, flags: 0, tag: 'issue', value: 'letsencrypt.org' }]),
    nameservers: [nsProbe(`ns1.${domain}`, domain, 7, '127.0.0.1:5301'), nsProbe(`ns2.${domain}`, domain, 7, '127.0.0.1:5302')],
  };
}

/** A clean product: apex and www with addresses, api a CNAME to an address, two agreeing authoritative NS, CAA. */
export type DnsFacts = Pick<FactMap, 'target' | 'dns.hosts' | 'dns.zones'>;

export function cleanFacts(): DnsFacts {
  const d = 'shop.test';
  return {
    target: {
      domains: [{ name: d, canonical: 'apex', hosts: [] }],
      now: NOW,
      accept: [],
    },
    'dns.hosts': [
      host('@', d, ['127.0.0.1'], ['::1']),
      host('www', d, ['127.0.0.1']),
      host('api', d, ['127.0.0.2'], [], {
        a: addr('api.shop.test', ['127.0.0.2'], [{ name: 'api.shop.test', target: 'edge.shop.test', ttl: 300 }]),
        aaaa: { status: 'nodata', addresses: [], chain: [{ name: 'api.shop.test', target: 'edge.shop.test', ttl: 300 }], finalName: 'edge.shop.test' },
      }),
    ],
    'dns.zones': [zone(d)],
  };
}

export function findHost(facts: DnsFacts, label: string): HostResolution {
  const h = facts['dns.hosts'].find((x) => x.label === label);
  if (!h) throw new Error(`no host ${label}`);
  return h;
}
