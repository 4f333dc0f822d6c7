// Readings of DNS facts shared by checks, collectors and `map`: failed lookups, a host's addresses and CNAME chain,
// a name's registrable domain.
import { getDomain } from 'tldts';
import type { AddressLookup, CnameHop, DnsAnswer, DnsFailureStatus, HostResolution } from '../facts/dns.js';

export { isFailure } from '../facts/dns.js';

/** Both address families of one name, as the resolver returns them (a host, an MX target, a nameserver). */
export interface AddressPair {
  a: AddressLookup;
  aaaa: AddressLookup;
}

const FAILED: ReadonlySet<string> = new Set<DnsFailureStatus>(['servfail', 'refused', 'timeout', 'error']);

/** SERVFAIL, REFUSED, timeout or garbage: the lookup (address or TXT) says nothing about the name. */
export function isFailedLookup(l: { status: string }): boolean {
  return FAILED.has(l.status);
}

/** A lookup's status, with its message when it has one: "servfail (server answered SERVFAIL)". */
export function lookupStatusText(l: { status: string; message?: string }): string {
  return `${l.status}${l.message ? ` (${l.message})` : ''}`;
}

export function hostAddresses(h: AddressPair): string[] {
  return [...h.a.addresses, ...h.aaaa.addresses];
}

/** Both families answered: we know whether the host has addresses. */
export function hostKnown(h: AddressPair): boolean {
  return hostAddresses(h).length > 0 || (!isFailedLookup(h.a) && !isFailedLookup(h.aaaa));
}

/** Neither family found an address, and both failed: "could not find out", not "has none". */
export function bothFailed(h: AddressPair): boolean {
  return isFailedLookup(h.a) && isFailedLookup(h.aaaa);
}

/** The family that followed the longer CNAME chain (both follow the same chain; one may have stopped early). */
export function chainLookup(h: AddressPair): AddressLookup {
  return h.a.chain.length >= h.aaaa.chain.length ? h.a : h.aaaa;
}

/** The CNAME chain of a host. */
export function hostChain(h: AddressPair): CnameHop[] {
  return chainLookup(h).chain;
}

/** The CNAME targets of a host, in order, lower-case as the resolver returned them. */
export function chainTargets(h: AddressPair): string[] {
  return hostChain(h).map((hop) => hop.target);
}

export function failureText(h: HostResolution): string {
  const parts: string[] = [];
  if (isFailedLookup(h.a)) parts.push(`A ${lookupStatusText(h.a)}`);
  if (isFailedLookup(h.aaaa)) parts.push(`AAAA ${lookupStatusText(h.aaaa)}`);
  return `${h.name}: ${parts.join('; ')}`;
}

export function chainText(h: HostResolution): string {
  return [h.name, ...chainTargets(h)].join(' → ');
}

export function soaSerial(a: DnsAnswer): number | undefined {
  if (a.status !== 'ok') return undefined;
  for (const r of a.records) if (r.type === 'SOA') return r.serial;
  return undefined;
}

/**
 * The registrable domain of a name (the "site", the DMARC organizational domain) by the public suffix list, private
 * suffixes included; a name without a public suffix (localhost, an IP) stands for itself.
 */
export function siteOf(host: string): string {
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}
