// A redirect must not leave the product's own domains unless the config declares the destination.
import { defineCheck } from '../define.js';
import { allowedDomains, chainsOf, pathText, within } from '../../derive/redirects.js';

export default defineCheck({
  id: 'off-domain-redirect',
  area: 'redirects',
  severity: 'high',
  impact: 'data-exposure',
  title: 'Redirects stay on your own domains (or declared ones)',
  description:
    'Visitors are sent to a domain you did not declare: a parked page, a previous owner, a hijacked or typo domain, or an open redirect that phishers can use with your name on the link.',
  remediation:
    'Fix the redirect target; if the destination is yours (a hosted login or shop), declare it in the config under `domains[].redirectsTo`.',
  references: ['https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html'],
  requires: ['http.surfaces'],
  messages: {
    'off-domain': { message: '{from} redirects to {to}, outside {domains}. Chain: {chain}.' },
  },
  run({ 'http.surfaces': surfaces, target }, ctx) {
    const allowed = allowedDomains(target);
    const reported = new Set<string>();
    for (const s of surfaces) {
      for (const { chain: c } of chainsOf(s)) {
        for (const h of c.hops) {
          if (!h.locationUrl) continue;
          const to = new URL(h.locationUrl).hostname;
          if (allowed.some((d) => within(to, d))) continue;
          const key = `${h.url} ${to}`;
          if (reported.has(key)) continue;
          reported.add(key);
          ctx.report({ code: 'off-domain', args: { from: h.url, to: h.locationUrl, domains: allowed, chain: pathText(c) }, location: { host: s.host, url: h.url } });
        }
      }
    }
    ctx.details({ allowedDomains: allowed });
  },
});
