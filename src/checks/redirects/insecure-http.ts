// http:// must end on https:// through a permanent redirect: a page served over plain HTTP can be read and
// altered by anyone on the path.
import { defineCheck } from '../define.js';
import { failure, pathText, unreachableHost, within } from '../../derive/redirects.js';
import type { RedirectChain } from '../../facts/http.js';

/**
 * Whether the chain's first hop leaves http://host/ for anything but https://host/ while the host's HSTS would not
 * be set on the way: a parent domain the chain reaches over HTTPS with `includeSubDomains` covers the host too.
 */
function offFirstHop(host: string, c: RedirectChain): string | undefined {
  const first = c.hops[0];
  if (!first?.locationUrl) return undefined;
  const next = new URL(first.locationUrl);
  if (next.protocol === 'https:' && next.hostname.toLowerCase() === host.toLowerCase()) return undefined;
  const covered = c.hops.some((h) => {
    const u = new URL(h.url);
    return u.protocol === 'https:' && u.hostname !== host && within(host, u.hostname)
      && /includesubdomains/i.test(h.headers['strict-transport-security'] ?? '') && /max-age\s*=\s*"?[1-9]/i.test(h.headers['strict-transport-security'] ?? '');
  });
  return covered ? undefined : next.href;
}

export default defineCheck({
  id: 'insecure-http',
  area: 'redirects',
  severity: 'high',
  impact: 'data-exposure',
  title: 'Plain HTTP redirects to HTTPS with a permanent redirect',
  description:
    'Visitors who type the bare name or follow an old http:// link stay on plain HTTP: on public Wi-Fi their sessions can be stolen and pages altered, and browsers mark the site "Not secure".',
  remediation:
    'Answer every http:// request with a 301 (or 308) to the same path on https:// (nginx: `return 301 https://$host$request_uri;`), then add HSTS.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/TLS#http_redirections', 'https://infosec.mozilla.org/guidelines/web_security#http-redirections'],
  requires: ['http.surfaces'],
  messages: {
    'served-over-http': { message: 'http://{host}/ is served over plain HTTP (status {status}) instead of redirecting to HTTPS. Chain: {chain}.' },
    'temporary-redirect': {
      message: 'http://{host}/ moves to HTTPS with a temporary {status} redirect instead of 301/308. Chain: {chain}.',
      severity: 'low',
      impact: 'hygiene',
      whatBreaks: 'Browsers and search engines do not remember a temporary redirect: every visit starts over plain HTTP again and link equity stays split.',
      remediation: 'Use 301 (or 308) for the http → https redirect.',
    },
    'first-hop': {
      message: 'http://{host}/ first redirects to {next} instead of https://{host}/: the browser never gets this host\'s HSTS from that redirect. Chain: {chain}.',
      severity: 'medium',
      whatBreaks: 'Browsers learn HSTS for a host only from an HTTPS answer of that host: every later plain-HTTP visit to it starts in clear text again and can be stripped on public Wi-Fi.',
      remediation: 'Redirect http://<host>/ to https://<host>/ (the same host) first, then on to the canonical origin; or give the parent domain HSTS with includeSubDomains.',
    },
    'port-80-closed': {
      message: 'http://{host}/ refuses connections: visitors who type the bare name in an older browser or tool get an error instead of the site.',
      severity: 'low',
      impact: 'availability',
      whatBreaks: 'Older browsers, curl and some link previews try http:// first and fail instead of being sent to HTTPS.',
      remediation: 'Listen on port 80 and answer every request with a 301 to https://.',
    },
  },
  run({ 'http.surfaces': surfaces }, ctx) {
    const seen: Record<string, string> = {};
    let judged = 0;
    for (const s of surfaces) {
      if (unreachableHost(s)) continue;
      const c = s.http;
      const loc = { host: s.host, url: `http://${s.host}/` };
      if (c.outcome === 'error') {
        const last = c.hops[c.hops.length - 1]!;
        if (c.hops.length === 1 && last.error?.kind === 'refused') {
          judged++;
          seen[s.host] = 'port 80 closed';
          if (s.declared) ctx.report({ code: 'port-80-closed', args: { host: s.host }, location: loc });
          continue;
        }
        // Failing somewhere after HTTPS is reached says nothing against the upgrade itself.
        if (!c.hops.some((h) => h.url.startsWith('https:'))) ctx.unknown(`http://${s.host}/: ${failure(c)}`);
        continue;
      }
      if (c.outcome !== 'final' && c.outcome !== 'bad-location') continue; // loops are redirect-loop's
      judged++;
      const chain = pathText(c);
      seen[s.host] = chain;
      const last = c.hops[c.hops.length - 1]!;
      if (last.url.startsWith('http:')) {
        ctx.report({ code: 'served-over-http', args: { host: s.host, status: last.status ?? 0, chain }, location: loc });
        continue;
      }
      const next = offFirstHop(s.host, c);
      if (next) ctx.report({ code: 'first-hop', args: { host: s.host, next, chain }, location: loc });
      const upgrade = c.hops.find((h) => h.url.startsWith('http:') && h.locationUrl?.startsWith('https:'));
      if (upgrade && upgrade.status !== 301 && upgrade.status !== 308) {
        ctx.report({ code: 'temporary-redirect', args: { host: s.host, status: upgrade.status ?? 0, chain }, location: { host: s.host, url: upgrade.url } });
      }
    }
    if (judged === 0 && surfaces.every(unreachableHost)) return ctx.notApplicable('no surface has an address');
    ctx.details({ httpChains: seen });
  },
});
