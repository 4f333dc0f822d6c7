// The takeover collector: for each surface whose CNAME chain (or address) lands on a known service and that
// answers, fetches https:// and http:// once, so the check can match the service's unclaimed-page fingerprint.
import type { TargetFacts } from '../../facts/index.js';
import type { TakeoverProbe, TakeoverResponse } from '../../facts/takeover.js';
import { takeoverServiceOf } from '../../providers/takeover.js';
import type { CollectContext } from '../context.js';
import { walkChain } from '../http/index.js';

/** Kept of a page: unclaimed-site pages are short, and the fingerprint sits near the top. */
export const BODY_CAP = 16 * 1024;
/** A provider may redirect its error page once or twice (http → https, / → /404). */
const MAX_HOPS = 3;

// The one place this collector makes HTTP requests: reroute here when the shared bounded fetch lands.
async function fetchPage(ctx: CollectContext, url: string): Promise<TakeoverResponse> {
  const chain = await walkChain(ctx, url, MAX_HOPS);
  const statuses = chain.hops.flatMap((h) => (h.status === undefined ? [] : [h.status]));
  const failed = chain.hops.find((h) => h.error)?.error;
  return {
    url,
    statuses,
    ...(chain.html !== undefined ? { body: chain.html.slice(0, BODY_CAP) } : {}),
    ...(failed ? { error: { kind: failed.kind, message: failed.message } } : {}),
  };
}

export async function collectTakeover(ctx: CollectContext, target: TargetFacts): Promise<TakeoverProbe[]> {
  // DNS-only discovered hosts answer no web port: dangling-cname judges them from DNS alone.
  const hosts = target.domains.flatMap((d) => d.hosts).filter((h) => !h.dnsOnly);
  const probes = await Promise.all(hosts.map(async (h): Promise<TakeoverProbe | undefined> => {
    // The same cached lookups the DNS collector makes: no extra queries.
    const [a, aaaa] = await Promise.all([ctx.resolver.resolveAddresses(h.name, 'A'), ctx.resolver.resolveAddresses(h.name, 'AAAA')]);
    const addresses = [...a.addresses, ...aaaa.addresses];
    // A dangling chain has nothing to fetch: dangling-cname judges it from DNS alone.
    if (addresses.length === 0) return undefined;
    const chain = (a.chain.length >= aaaa.chain.length ? a.chain : aaaa.chain).map((hop) => hop.target);
    const named = chain.find((t) => takeoverServiceOf(t)) ?? addresses.find((ip) => takeoverServiceOf(ip));
    if (!named) return undefined;
    const responses = await Promise.all([fetchPage(ctx, `https://${h.name}/`), fetchPage(ctx, `http://${h.name}/`)]);
    return { host: h.name, target: named, chain, responses };
  }));
  return probes.filter((p) => p !== undefined);
}
