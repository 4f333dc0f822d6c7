// A nameserver must not hand the whole zone to anyone who asks (AXFR): it lists every host, internal ones included.
import { defineCheck } from '../define.js';

export default defineCheck({
  id: 'zone-transfer-allowed',
  area: 'dns',
  severity: 'medium',
  impact: 'data-exposure',
  title: 'Nameservers refuse zone transfers to strangers',
  description:
    'Anyone can download the complete list of your hosts (staging, admin panels, internal tools, forgotten services) in one request, and aim at the weakest one.',
  remediation:
    'Allow AXFR only to your secondary nameservers (by IP or TSIG key): BIND allow-transfer, NSD provide-xfr, PowerDNS allow-axfr-ips; managed DNS providers refuse it by default.',
  references: ['https://www.rfc-editor.org/rfc/rfc5936#section-6', 'https://www.rfc-editor.org/rfc/rfc8945'],
  requires: ['dns.discovery'],
  messages: {
    allowed: { message: '{nameserver} ({server}) hands the whole {domain} zone to anyone: {names} names in one zone transfer.' },
  },
  run({ 'dns.discovery': discovery }, ctx) {
    if (!discovery.ran) return ctx.notApplicable('discovery did not run (--no-discover, or facts recorded without it), so no zone transfer was tried');
    if (discovery.axfr.length === 0) return ctx.notApplicable('no nameserver was asked for a zone transfer');
    for (const a of discovery.axfr) {
      if (a.status !== 'allowed') continue;
      ctx.report({
        code: 'allowed',
        args: { nameserver: a.nameserver, server: a.server, domain: a.domain, names: a.names ?? 0 },
        location: { host: a.nameserver, record: `${a.domain} AXFR` },
      });
    }
    ctx.details({ transfers: Object.fromEntries(discovery.axfr.map((a) => [`${a.nameserver} ${a.domain}`, a.status])) });
  },
});
