// Shared reading of address lookups for the DNS checks (pure helpers, no I/O).
import type { AddressLookup, HostResolution } from '../../facts/dns.js';

const FAILED = new Set(['servfail', 'refused', 'timeout', 'error']);

export function lookupFailed(l: AddressLookup): boolean {
  return FAILED.has(l.status);
}

/** Both families answered: we know whether the host has addresses. */
export function hostKnown(h: HostResolution): boolean {
  return hostAddresses(h).length > 0 || (!lookupFailed(h.a) && !lookupFailed(h.aaaa));
}

export function hostAddresses(h: HostResolution): string[] {
  return [...h.a.addresses, ...h.aaaa.addresses];
}

/** The CNAME chain of a host (both families follow the same chain; take the longer view). */
export function hostChain(h: HostResolution) {
  return h.a.chain.length >= h.aaaa.chain.length ? h.a.chain : h.aaaa.chain;
}

export function failureText(h: HostResolution): string {
  const parts: string[] = [];
  if (lookupFailed(h.a)) parts.push(`A ${h.a.status}${h.a.message ? ` (${h.a.message})` : ''}`);
  if (lookupFailed(h.aaaa)) parts.push(`AAAA ${h.aaaa.status}${h.aaaa.message ? ` (${h.aaaa.message})` : ''}`);
  return `${h.name}: ${parts.join('; ')}`;
}

export function chainText(h: HostResolution): string {
  return [h.name, ...hostChain(h).map((hop) => hop.target)].join(' → ');
}
