// The zone apex must hold addresses itself: a CNAME there hides MX, TXT and NS records.
import { defineCheck } from '../define.js';
import { failureText, isFailedLookup } from '../../derive/dns.js';

export default defineCheck({
  id: 'apex-cname',
  area: 'dns',
  severity: 'high',
  impact: 'email',
  title: 'The apex has its own A/AAAA records, not a CNAME',
  description:
    'A CNAME at the apex is forbidden next to SOA/NS/MX: resolvers may ignore your MX and SPF/DMARC TXT records, so verification and receipt emails bounce or land in spam, and some resolvers fail the site itself.',
  remediation:
    'Replace the apex CNAME with A/AAAA records, or use your DNS provider\'s ALIAS/ANAME/CNAME-flattening feature pointing at the same target.',
  references: ['https://www.rfc-editor.org/rfc/rfc1912#section-2.4', 'https://www.rfc-editor.org/rfc/rfc2181#section-10.1'],
  requires: ['dns.hosts'],
  messages: {
    cname: { message: 'The apex {host} is a CNAME to {target}.' },
  },
  run({ 'dns.hosts': hosts }, ctx) {
    const apexes = hosts.filter((h) => h.label === '@');
    for (const apex of apexes) {
      const hop = apex.a.chain[0] ?? apex.aaaa.chain[0];
      if (!hop && isFailedLookup(apex.a) && isFailedLookup(apex.aaaa)) {
        ctx.unknown(failureText(apex));
        continue;
      }
      if (hop) {
        ctx.report({ code: 'cname', args: { host: apex.name, target: hop.target }, location: { host: apex.name, record: `${apex.name} CNAME ${hop.target}` } });
      }
    }
    ctx.details({ apexes: apexes.map((a) => a.name) });
  },
});
