// The takeover collector: for each surface whose CNAME chain (or address) lands on a known service and that
// answers, fetches https:// and http:// once, so the check can match the service's unclaimed-page fingerprint.
import type { TargetFacts } from '../../facts/index.js';
import type { TakeoverProbe, TakeoverResponse } from '../../facts/takeover.js';
import { takeoverServiceOf } from '../../providers/takeover.js';
import type { CollectContext } from '../context.js';
import { httpFetch, isFetchFailure, REDIRECT_STATUSES, type ResponseHead } from '../http/fetch.js';

/** Kept of a page: unclaimed-site pages are short, and the fingerprint sits near the top. */
export const BODY_CAP = 16 * 1024;
/** A provider may redirect its error page once or twice (http → https, / → /404). */
const MAX_HOPS = 3;
/** What a redirect or a binary answer is drained to before the connection is reused. */
const DRAIN_CAP = 16 * 1024;

/**
 * Unclaimed answers come as HTML pages, but also as XML (S3's NoSuchBucket, Azure blob errors), JSON or plain text:
 * any textual body is kept (bounded), and so is one without a Content-Type, which such error answers often lack.
 */
function keepsBody(head: ResponseHead): boolean {
  if (REDIRECT_STATUSES.has(head.status) && head.headers.location !== undefined) return false;
  const type = head.headers['content-type'];
  return type === undefined || /^\s*(?:text\/|application\/(?:[\w.-]+\+)?(?:xml|json|xhtml\+xml)\b)/i.test(type);
}

/** One URL, its redirects followed hop by hop (each hop's status is evidence), through the run's one bounded fetch. */
async function fetchPage(ctx: CollectContext, url: string): Promise<TakeoverResponse> {
  const statuses: number[] = [];
  const seen = new Set<string>();
  let next = url;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    seen.add(next);
    const r = await httpFetch(ctx, {
      url: next,
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
      read: (head) => (keepsBody(head) ? { maxBytes: BODY_CAP } : { maxBytes: DRAIN_CAP, keep: false }),
      slot: true,
    });
    if (isFetchFailure(r)) return { url, statuses, error: { kind: r.error.kind, message: r.error.message } };
    statuses.push(r.status);
    const redirect = REDIRECT_STATUSES.has(r.status) ? r.locationUrl : undefined;
    if (redirect === undefined || seen.has(redirect) || hop === MAX_HOPS - 1) {
      return { url, statuses, ...(r.body.length > 0 ? { body: r.body.toString('utf8') } : {}) };
    }
    next = redirect;
  }
  return { url, statuses };
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
