// The apex and www must converge on the one canonical https:// origin the config names, in at most two hops.
import { defineCheck } from '../define.js';
import { inconclusive, origin, pathText, redirectCount, unreachableHost } from '../../derive/redirects.js';

const MAX_HOPS_TO_CANONICAL = 2;

export default defineCheck({
  id: 'non-canonical-origin',
  area: 'redirects',
  severity: 'medium',
  impact: 'hygiene',
  title: 'The apex and www end on the one canonical HTTPS origin',
  description:
    'Two live origins split logins (cookies and local storage are per origin: users appear logged out), duplicate content in search results, and OAuth or payment callbacks registered for one origin fail on the other.',
  remediation:
    'Redirect the non-canonical name (apex or www) with a 301 straight to the same path on the canonical https:// origin, and set `canonical` in the config to match.',
  references: ['https://developers.google.com/search/docs/crawling-indexing/consolidate-duplicate-urls', 'https://infosec.mozilla.org/guidelines/web_security#http-redirections'],
  requires: ['http.surfaces'],
  messages: {
    'wrong-origin': { message: '{start} ends on {final}, not on the canonical origin {canonical}. Chain: {chain}.' },
    'too-many-hops': {
      message: '{start} takes {hops} redirects to reach {canonical} (at most 2: http → https, then host). Chain: {chain}.',
      severity: 'low',
      impact: 'performance',
      whatBreaks: 'Each extra redirect costs visitors a round trip (often a new TLS handshake) before the first byte of the page.',
      remediation: 'Redirect straight to the final canonical URL from the first hop.',
    },
  },
  run({ 'http.surfaces': surfaces }, ctx) {
    const ends: Record<string, string> = {};
    let judged = 0;
    for (const s of surfaces) {
      if ((s.label !== '@' && s.label !== 'www') || unreachableHost(s)) continue;
      for (const c of [s.http, s.https]) {
        // Loops and closed ports belong to redirect-loop and https-unavailable; a timeout means "could not find out".
        if (c.outcome !== 'final' || !c.finalUrl) {
          const why = inconclusive(c);
          if (why) ctx.unknown(why);
          continue;
        }
        judged++;
        const final = origin(c.finalUrl);
        ends[c.start] = final;
        const args = { start: c.start, final, canonical: s.canonicalOrigin, chain: pathText(c) };
        const loc = { host: s.host, url: c.start };
        // A plain-HTTP final page is insecure-http's finding; here only the origin counts.
        if (final !== s.canonicalOrigin) {
          if (!c.finalUrl.startsWith('http:')) ctx.report({ code: 'wrong-origin', args, location: loc });
        } else if (redirectCount(c) > MAX_HOPS_TO_CANONICAL) {
          ctx.report({ code: 'too-many-hops', args: { ...args, hops: redirectCount(c) }, location: loc });
        }
      }
    }
    if (judged === 0 && surfaces.filter((s) => s.label === '@' || s.label === 'www').every(unreachableHost)) {
      return ctx.notApplicable('neither the apex nor www has an address');
    }
    ctx.details({ endsOn: ends });
  },
});
