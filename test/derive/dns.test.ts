// DNS readings shared by checks, collectors and map: failed lookups, addresses, the CNAME chain.
import { describe, expect, it } from 'vitest';
import { bothFailed, chainLookup, chainTargets, chainText, failureText, hostAddresses, hostChain, hostKnown, isFailedLookup, soaSerial } from '../../src/derive/dns.js';
import type { AddressLookup } from '../../src/facts/dns.js';
import { addr, failed, host, ok, soa } from '../helpers/dns-facts.js';

const D = 'shop.test';
const lost = (status: AddressLookup['status'], message?: string): AddressLookup =>
  ({ status, addresses: [], chain: [], finalName: `www.${D}`, ...(message ? { message } : {}) });

describe('derive/dns', () => {
  it('a failed lookup is one that says nothing about the name; nxdomain, nodata and broken chains are answers', () => {
    for (const s of ['servfail', 'refused', 'timeout', 'error'] as const) expect(isFailedLookup(lost(s))).toBe(true);
    for (const s of ['ok', 'nodata', 'nxdomain', 'loop', 'chain-too-long'] as const) expect(isFailedLookup(lost(s))).toBe(false);
    // TXT lookups carry the same statuses.
    expect(isFailedLookup({ status: 'timeout' })).toBe(true);
  });

  it('addresses of both families, A first', () => {
    expect(hostAddresses(host('www', D, ['192.0.2.1'], ['2001:db8::1']))).toEqual(['192.0.2.1', '2001:db8::1']);
  });

  it('knows a host when it has addresses or both families answered', () => {
    expect(hostKnown(host('www', D, []))).toBe(true);
    expect(hostKnown(host('www', D, [], [], { aaaa: lost('timeout') }))).toBe(false);
    expect(hostKnown(host('www', D, ['192.0.2.1'], [], { aaaa: lost('timeout') }))).toBe(true);
    expect(bothFailed(host('www', D, [], [], { a: lost('servfail'), aaaa: lost('timeout') }))).toBe(true);
    expect(bothFailed(host('www', D, [], [], { aaaa: lost('timeout') }))).toBe(false);
  });

  it('takes the CNAME chain of the family that followed it further', () => {
    const hops = [{ name: `www.${D}`, target: 'shop.example-cdn.test', ttl: 60 }, { name: 'shop.example-cdn.test', target: 'edge.example-cdn.test', ttl: 60 }];
    const h = host('www', D, [], [], { a: addr(`www.${D}`, [], hops.slice(0, 1)), aaaa: addr(`www.${D}`, [], hops) });
    expect(chainLookup(h)).toBe(h.aaaa);
    expect(hostChain(h)).toEqual(hops);
    expect(chainTargets(h)).toEqual(['shop.example-cdn.test', 'edge.example-cdn.test']);
    expect(chainText(h)).toBe(`www.${D} → shop.example-cdn.test → edge.example-cdn.test`);
  });

  it('says which family failed and how', () => {
    const h = host('api', D, [], [], { a: lost('servfail', 'server answered SERVFAIL'), aaaa: lost('timeout') });
    expect(failureText(h)).toBe(`api.${D}: A servfail (server answered SERVFAIL); AAAA timeout`);
  });

  it('reads the SOA serial of an answer, and none from a failed one', () => {
    expect(soaSerial(ok(D, 'SOA', [soa(D, 2026112901)]))).toBe(2026112901);
    expect(soaSerial(failed('timeout', D, 'SOA'))).toBeUndefined();
  });
});
