// Redirects keep the path and query: an old link or a campaign URL must land on its page, not on the home page.
import { PROBE_PATH, PROBE_QUERY } from '../../facts/http.js';
import { defineCheck } from '../define.js';

export default defineCheck({
  id: 'dropped-path',
  area: 'redirects',
  severity: 'medium',
  impact: 'hygiene',
  title: 'Redirects preserve the path and query string',
  description:
    'Every deep link (shared product pages, password-reset and email-confirmation links, ad campaign URLs with utm_ tags) lands on the home page instead: users are lost and campaign attribution disappears.',
  remediation: 'Redirect to the same path and query on the target (nginx: `return 301 https://example.com$request_uri;`).',
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/Redirections'],
  requires: ['http.surfaces'],
  messages: {
    'path-dropped': { message: '{from} redirects to {to}: the path and query are lost.' },
    'query-dropped': { message: '{from} redirects to {to}: the query string is lost.' },
  },
  run({ 'http.surfaces': surfaces }, ctx) {
    const probes: Record<string, string> = {};
    for (const s of surfaces) {
      const c = s.probe;
      probes[s.host] = c.finalUrl ?? c.outcome;
      for (const h of c.hops) {
        if (!h.locationUrl) continue;
        const from = new URL(h.url);
        const to = new URL(h.locationUrl);
        // Only hops that still carry the probe: after one loss, the rest of the chain repeats the same finding.
        if (from.pathname !== PROBE_PATH || from.search !== `?${PROBE_QUERY}`) break;
        const loc = { host: s.host, url: h.url };
        if (to.pathname !== PROBE_PATH && to.pathname !== `${PROBE_PATH}/`) {
          ctx.report({ code: 'path-dropped', args: { from: h.url, to: h.locationUrl }, location: loc });
          break;
        }
        if (!to.search.includes(PROBE_QUERY)) {
          ctx.report({ code: 'query-dropped', args: { from: h.url, to: h.locationUrl }, location: loc });
          break;
        }
      }
    }
    ctx.details({ probeEndsOn: probes });
  },
});
