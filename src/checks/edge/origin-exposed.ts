// Which public surfaces sit behind a CDN or edge platform (from CNAME targets and response headers) and which are
// answered straight by the origin; and whether static assets come with any edge cache status.
import { isEdge, providerOfTarget, providersOfHeaders, type ProviderMatch } from '../../providers/index.js';
import { defineCheck } from '../define.js';
import { hostChain } from '../../derive/dns.js';
import { hasCacheStatus } from '../../derive/responses.js';

export default defineCheck({
  id: 'origin-exposed',
  area: 'edge',
  severity: 'low',
  impact: 'availability',
  title: 'The apex and API sit behind a CDN or edge network',
  description: 'Requests go straight to your servers: a traffic spike or a small DDoS takes the product down, nothing absorbs it, and nothing is cached at the edge.',
  remediation: 'Put the apex and API behind a CDN or edge proxy (Cloudflare, Fastly, CloudFront, or your host\'s edge network), then restrict the origin to accept traffic from the edge only.',
  references: ['https://www.cloudflare.com/learning/ddos/ddos-mitigation/', 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Caching'],
  requires: ['dns.hosts', 'http.surfaces', 'edge.http'],
  messages: {
    'origin-exposed': { message: '{host} ({role}) is answered straight by the origin: no CDN or edge network was recognised in its DNS or response headers.' },
    'uncached-assets': {
      message: 'Static assets on {host} come without any edge cache status ({count} checked, e.g. {example}).',
      severity: 'info',
      impact: 'performance',
      whatBreaks: 'Every script and stylesheet is served by the origin: slower pages far from your servers, and load that an edge cache would absorb.',
      remediation: 'Serve static assets through a CDN (or your platform\'s edge cache) with long-lived Cache-Control.',
    },
  },
  run(facts, ctx) {
    const hosts = facts['dns.hosts'];
    const surfaces = facts['http.surfaces'];
    const edge = facts['edge.http'];
    const byHost: Record<string, string> = {};
    for (const s of surfaces) {
      const hops = [...s.https.hops, ...s.http.hops].filter((h) => h.status !== undefined && new URL(h.url).hostname === s.host);
      if (hops.length === 0) continue;
      const matches: ProviderMatch[] = [];
      const h = hosts.find((x) => x.name === s.host);
      for (const link of h ? hostChain(h) : []) {
        const m = providerOfTarget(link.target);
        if (m) matches.push(m);
      }
      for (const hop of hops) matches.push(...providersOfHeaders(hop.headers));
      const edges = matches.filter(isEdge);
      byHost[s.host] = edges.length ? `${edges[0]!.name} (${edges[0]!.evidence})` : 'origin';
      const role = s.label === '@' ? 'apex' : /^api(?:[.-]|$)/.test(s.label) ? 'API' : undefined;
      if (!edges.length && role) ctx.report({ code: 'origin-exposed', args: { host: s.host, role }, location: { host: s.host } });
    }
    for (const s of edge.surfaces) {
      const answered = s.assets.filter((a) => a.status !== undefined && a.status < 400);
      if (answered.length === 0 || answered.some((a) => hasCacheStatus(a.headers))) continue;
      ctx.report({ code: 'uncached-assets', args: { host: s.host, count: answered.length, example: answered[0]!.url }, location: { host: s.host } });
    }
    if (Object.keys(byHost).length === 0) ctx.notApplicable('no surface answered HTTP or HTTPS');
    ctx.details({ edge: byHost });
  },
});
