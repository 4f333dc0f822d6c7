// A zone needs at least two nameservers: with one, its outage takes the whole product offline.
import { isFailure } from '../../derive/dns.js';
import { defineCheck } from '../define.js';

export default defineCheck({
  id: 'single-nameserver',
  area: 'dns',
  severity: 'medium',
  impact: 'availability',
  title: 'At least two nameservers serve the domain',
  description:
    'If the only nameserver is down or unreachable, nobody can look up your site, API or mail servers: the whole product and its email go dark at once.',
  remediation: 'Delegate the domain to at least two nameservers on separate networks (every managed DNS provider gives you two or more; list all of them at your registrar).',
  references: ['https://www.rfc-editor.org/rfc/rfc1034#section-4.1', 'https://www.rfc-editor.org/rfc/rfc2182#section-5'],
  requires: ['dns.zones'],
  messages: {
    one: { message: '{domain} is served by a single nameserver: {nameservers}.' },
    none: {
      message: '{domain} has no NS records ({status}).',
      severity: 'high',
      whatBreaks: 'Without a delegation nothing under the domain resolves reliably: site, API and email all fail.',
      remediation: 'Set the nameservers for the domain at your registrar and publish matching NS records in the zone.',
    },
  },
  run({ 'dns.zones': zones }, ctx) {
    const counts: Record<string, number> = {};
    for (const z of zones) {
      if (isFailure(z.ns)) {
        ctx.unknown(`${z.domain}: NS lookup ${z.ns.status} (${z.ns.message})`);
        continue;
      }
      counts[z.domain] = z.nameservers.length;
      if (z.nameservers.length === 0) ctx.report({ code: 'none', args: { domain: z.domain, status: z.ns.status }, location: { host: z.domain, record: `${z.domain} NS` } });
      else if (z.nameservers.length === 1) {
        ctx.report({ code: 'one', args: { domain: z.domain, nameservers: z.nameservers.map((n) => n.name) }, location: { host: z.domain, record: `${z.domain} NS` } });
      }
    }
    ctx.details({ nameservers: counts });
  },
});
