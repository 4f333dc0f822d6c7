// Redirect chains must end: a loop or an endless chain is a page that never loads.
import { defineCheck } from '../define.js';
import { chainsOf, pathText } from '../../derive/redirects.js';

export default defineCheck({
  id: 'redirect-loop',
  area: 'redirects',
  severity: 'high',
  impact: 'availability',
  title: 'Redirect chains end (no loops, no endless chains)',
  description: 'Browsers give up with "ERR_TOO_MANY_REDIRECTS": the page never loads for anyone who reaches it this way.',
  remediation:
    'Make each rule redirect straight to the final canonical https:// URL; loops usually come from a proxy or CDN that talks HTTP to an app that redirects to HTTPS (trust X-Forwarded-Proto) or from competing apex/www rules.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/Redirections'],
  requires: ['http.surfaces'],
  messages: {
    // A loop through plain HTTP also downgrades: one cause, reported once.
    loop: { message: '{start} redirects in a loop: {chain}.', supersedes: ['redirects.https-downgrade.downgrade'] },
    'too-many-hops': { message: '{start} was still redirecting after {hops} hops: {chain}.' },
    'bad-location': {
      message: '{start} answers {status} without a usable Location header ("{location}").',
      severity: 'medium',
      whatBreaks: 'Browsers show an empty page or an error instead of following the redirect.',
    },
  },
  run({ 'http.surfaces': surfaces }, ctx) {
    let chains = 0;
    for (const s of surfaces) {
      for (const { chain: c } of chainsOf(s)) {
        chains++;
        const loc = { host: s.host, url: c.start };
        if (c.outcome === 'loop') ctx.report({ code: 'loop', args: { start: c.start, chain: pathText(c) }, location: loc });
        else if (c.outcome === 'too-many-hops') ctx.report({ code: 'too-many-hops', args: { start: c.start, hops: c.hops.length, chain: pathText(c) }, location: loc });
        else if (c.outcome === 'bad-location') {
          const last = c.hops[c.hops.length - 1]!;
          ctx.report({ code: 'bad-location', args: { start: c.start, status: last.status ?? 0, location: (last.location ?? '').slice(0, 120) }, location: loc });
        }
      }
    }
    ctx.details({ chainsWalked: chains });
  },
});
