// Shared reading of redirect chains for the redirect checks (pure helpers, no I/O).
import type { TargetFacts } from '../facts/index.js';
import type { HttpSurface, RedirectChain } from '../facts/http.js';

export function chainsOf(s: HttpSurface): { name: 'http' | 'https' | 'probe'; chain: RedirectChain }[] {
  return [{ name: 'http', chain: s.http }, { name: 'https', chain: s.https }, { name: 'probe', chain: s.probe }];
}

/** The URLs a chain visited, in order, ending with where it stopped. */
export function pathText(c: RedirectChain): string {
  const urls = c.hops.map((h) => `${h.status ?? 'error'} ${h.url}`);
  if (c.outcome === 'loop' && c.finalUrl) urls.push(c.finalUrl);
  return urls.join(' → ');
}

/** The hop that failed, if the chain ended in an error. */
export function failure(c: RedirectChain): string | undefined {
  if (c.outcome !== 'error') return undefined;
  const last = c.hops[c.hops.length - 1];
  return last?.error ? `${last.url}: ${last.error.kind} (${last.error.message})` : 'failed';
}

const INCONCLUSIVE = new Set(['timeout', 'reset', 'error', 'dns-failure']);

/**
 * Why a chain says nothing, when it failed for a reason that is not itself a finding elsewhere (a closed port or
 * a TLS failure is https-unavailable's; a missing address is the DNS checks'): "could not find out".
 */
export function inconclusive(c: RedirectChain): string | undefined {
  if (c.outcome !== 'error') return undefined;
  const last = c.hops[c.hops.length - 1];
  return last?.error && INCONCLUSIVE.has(last.error.kind) ? `${last.url}: ${last.error.kind} (${last.error.message})` : undefined;
}

/** A chain that never reached the server because the host has no address: the DNS checks report that. */
export function unreachableHost(s: HttpSurface): boolean {
  return [s.http, s.https, s.probe].every((c) => c.outcome === 'error' && c.hops.length === 1 && c.hops[0]!.error?.kind === 'no-address');
}

export function redirectCount(c: RedirectChain): number {
  return c.hops.filter((h) => h.locationUrl !== undefined).length;
}

export function origin(url: string): string {
  return new URL(url).origin;
}

/** host is the domain or one of its subdomains. */
export function within(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase().replace(/\.$/, '');
  return h === d || h.endsWith(`.${d}`);
}

/** Domains a redirect may land on: every audited domain and what the config declares with redirectsTo. */
export function allowedDomains(target: TargetFacts): string[] {
  return target.domains.flatMap((d) => [d.name, ...(d.redirectsTo ?? [])]);
}
