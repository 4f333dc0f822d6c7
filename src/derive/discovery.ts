// Discovery's results as the rest of the run sees them: discovered hosts joined to the target (with how they were
// found), the "found via" wording, and the counts the report's summary line gives.
import { viaText, type DiscoveryFacts, type DiscoveryVia } from '../facts/discover.js';
import type { TargetFacts } from '../facts/index.js';

/** The target with every discovered host added to its domain (idempotent: a replayed target already has them). */
export function withDiscovered(target: TargetFacts, d: DiscoveryFacts): TargetFacts {
  if (!d.ran || d.hosts.length === 0) return target;
  return {
    ...target,
    domains: target.domains.map((dom) => {
      const present = new Set(dom.hosts.map((h) => h.name));
      const added = d.hosts.filter((h) => h.domain === dom.name && !present.has(h.name)).map((h) => ({
        name: h.name, domain: dom.name, label: h.name.slice(0, -(dom.name.length + 1)), declared: false,
        discoveredVia: h.via, ...(h.dnsOnly ? { dnsOnly: true } : {}),
      }));
      return added.length ? { ...dom, hosts: [...dom.hosts, ...added] } : dom;
    }),
  };
}

/** "found via the built-in wordlist and the certificate of www.example.com" */
export function foundVia(via: readonly DiscoveryVia[]): string {
  const texts = via.map(viaText);
  return texts.length <= 1 ? (texts[0] ?? '') : `${texts.slice(0, -1).join(', ')} and ${texts[texts.length - 1]}`;
}

/** How each discovered host of the target was found, by name. */
export function discoveredHosts(target: TargetFacts): Map<string, readonly DiscoveryVia[]> {
  return new Map(target.domains.flatMap((d) => d.hosts.flatMap((h) => (h.discoveredVia ? [[h.name, h.discoveredVia] as const] : []))));
}
