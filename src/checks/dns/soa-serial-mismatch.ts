// All nameservers should serve the same version of the zone: differing SOA serials mean some serve stale records.
import { defineCheck } from '../define.js';
import { soaSerial } from '../../derive/dns.js';

export default defineCheck({
  id: 'soa-serial-mismatch',
  area: 'dns',
  severity: 'medium',
  impact: 'availability',
  title: 'Nameservers agree on the zone version (SOA serial)',
  description:
    'Nameservers serve different versions of your zone: depending on which one a user\'s resolver asks, they get old or new records, so a migration or a new host works for some users and not for others.',
  remediation:
    'Check zone transfers (NOTIFY/AXFR) from the primary to the secondaries, or re-sync the zone at your DNS provider; then confirm every nameserver returns the same SOA serial.',
  references: ['https://www.rfc-editor.org/rfc/rfc1996', 'https://www.rfc-editor.org/rfc/rfc1912#section-2.2'],
  requires: ['dns.zones'],
  messages: {
    mismatch: { message: 'Nameservers of {domain} disagree on the SOA serial: {serials}.' },
  },
  run({ 'dns.zones': zones }, ctx) {
    const details: Record<string, Record<string, number>> = {};
    for (const z of zones) {
      const serials: Record<string, number> = {};
      for (const ns of z.nameservers) {
        for (const p of ns.probes) {
          const s = soaSerial(p.answer);
          if (s !== undefined) serials[p.server] = s;
        }
      }
      details[z.domain] = serials;
      if (new Set(Object.values(serials)).size > 1) {
        const list = Object.entries(serials).map(([k, v]) => `${k}: ${v}`);
        ctx.report({ code: 'mismatch', args: { domain: z.domain, serials: list }, location: { host: z.domain, record: `${z.domain} SOA` } });
      }
    }
    if (Object.values(details).every((s) => Object.keys(s).length < 2)) {
      ctx.notApplicable('fewer than two nameservers returned an SOA record to compare');
      return;
    }
    ctx.details({ serials: details });
  },
});
