// The HTTP collector: walks redirect chains itself (the fetch follows none here) from http:// and https:// on every
// surface, hop by hop, with a hop limit, loop detection and cross-host hops, recording status, Location, headers,
// a dns/connect/tls/ttfb/total split per hop, and the final HTML page up to a size cap.
import type { TargetFacts } from '../../facts/index.js';
import { PROBE_PATH, PROBE_QUERY, type Hop, type HttpSurface, type RedirectChain } from '../../facts/http.js';
import type { CollectContext } from '../context.js';
import { httpFetch, isFetchFailure, REDIRECT_STATUSES, type FetchErrorKind, type ResponseHead } from './fetch.js';

export const MAX_HOPS = 10;
/** HTML kept for content checks; a page past this is cut and marked truncated. */
export const HTML_CAP = 512 * 1024;
/** Redirect and non-HTML bodies are drained (so the connection can be reused) up to this, then dropped. */
const DRAIN_CAP = 64 * 1024;
const ACCEPT = 'text/html,application/xhtml+xml,*/*;q=0.8';

function isHtmlPage(head: ResponseHead): boolean {
  return !REDIRECT_STATUSES.has(head.status) && /text\/html|application\/xhtml/i.test(head.headers['content-type'] ?? '');
}

// The hop facts know fewer kinds: the run's deadline reads as a timeout there, as it always has.
function hopErrorKind(kind: FetchErrorKind): NonNullable<Hop['error']>['kind'] {
  if (kind === 'aborted') return 'timeout';
  if (kind === 'invalid-url' || kind === 'too-many-redirects') return 'error';
  return kind;
}

interface HopResult {
  hop: Hop;
  html?: { text: string; truncated: boolean };
}

async function requestHop(ctx: CollectContext, url: URL): Promise<HopResult> {
  const r = await httpFetch(ctx, {
    url,
    headers: { accept: ACCEPT },
    read: (head) => (isHtmlPage(head) ? { maxBytes: HTML_CAP } : { maxBytes: DRAIN_CAP, keep: false }),
    slot: true,
  });
  if (isFetchFailure(r)) return { hop: { url: url.href, headers: {}, error: { kind: hopErrorKind(r.error.kind), message: r.error.message } } };
  const hop: Hop = { url: url.href, status: r.status, headers: r.headers };
  if (r.location !== undefined) hop.location = r.location;
  if (r.locationUrl !== undefined) hop.locationUrl = r.locationUrl;
  const t = r.timing;
  hop.timing = { dns: round(t.dns), connect: round(t.connect), tls: round(t.tls), ttfb: round(t.ttfb), total: round(t.total), reused: t.reused };
  return { hop, ...(isHtmlPage(r) ? { html: { text: r.body.toString('utf8'), truncated: r.truncated } } : {}) };
}

function round(ms: number): number {
  return Math.max(0, Math.round(ms * 10) / 10);
}

/** Follows one chain from `start`: every hop is a separate request; nothing is followed automatically. */
export async function walkChain(ctx: CollectContext, start: string, maxHops = MAX_HOPS): Promise<RedirectChain> {
  const hops: Hop[] = [];
  const seen = new Set<string>();
  let url = new URL(start);
  for (let i = 0; i < maxHops; i++) {
    seen.add(url.href);
    const { hop, html } = await requestHop(ctx, url);
    hops.push(hop);
    if (hop.error) return { start, hops, outcome: 'error' };
    if (!REDIRECT_STATUSES.has(hop.status!)) {
      return {
        start, hops, outcome: 'final', finalUrl: hop.url, finalStatus: hop.status!,
        ...(html ? { html: html.text, htmlTruncated: html.truncated } : {}),
      };
    }
    if (!hop.locationUrl) return { start, hops, outcome: 'bad-location' };
    const next = new URL(hop.locationUrl);
    if (seen.has(next.href)) return { start, hops, outcome: 'loop', finalUrl: next.href };
    url = next;
  }
  return { start, hops, outcome: 'too-many-hops' };
}

export async function collectHttp(ctx: CollectContext, target: TargetFacts): Promise<HttpSurface[]> {
  const jobs = target.domains.flatMap((d) => {
    const canonicalOrigin = `https://${d.canonical === 'www' ? `www.${d.name}` : d.name}`;
    // A discovered host with nothing on a web port is a DNS-only surface: nothing to walk.
    return d.hosts.filter((h) => !h.dnsOnly).map(async (h): Promise<HttpSurface> => {
      const [http, https, probe] = await Promise.all([
        walkChain(ctx, `http://${h.name}/`),
        walkChain(ctx, `https://${h.name}/`),
        walkChain(ctx, `http://${h.name}${PROBE_PATH}?${PROBE_QUERY}`),
      ]);
      return { host: h.name, domain: h.domain, label: h.label, declared: h.declared, canonicalOrigin, http, https, probe };
    });
  });
  return Promise.all(jobs);
}
