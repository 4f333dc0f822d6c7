// A CAA record limits which certificate authorities may issue for the domain.
import { defineCheck } from '../define.js';
import { isFailure } from '../../derive/dns.js';

export default defineCheck({
  id: 'missing-caa',
  area: 'dns',
  severity: 'low',
  impact: 'data-exposure',
  title: 'CAA names the certificate authorities allowed to issue',
  description:
    'Any public certificate authority may issue a certificate for your domain, so a mis-issued or fraudulently obtained certificate can impersonate your login pages.',
  remediation:
    'Publish a CAA record for the CA you use, e.g. `example.com. CAA 0 issue "letsencrypt.org"` (add one per CA, and `iodef` for reports).',
  references: ['https://www.rfc-editor.org/rfc/rfc8659'],
  requires: ['dns.zones'],
  messages: {
    absent: { message: '{domain} has no CAA record.' },
  },
  run({ 'dns.zones': zones }, ctx) {
    const found: Record<string, string[]> = {};
    for (const z of zones) {
      if (isFailure(z.caa)) {
        ctx.unknown(`${z.domain}: CAA lookup ${z.caa.status} (${z.caa.message})`);
        continue;
      }
      const records = z.caa.status === 'ok' ? z.caa.records.filter((r) => r.type === 'CAA') : [];
      found[z.domain] = records.map((r) => (r.type === 'CAA' ? `${r.flags} ${r.tag} "${r.value}"` : ''));
      if (records.length === 0 && z.caa.status !== 'nxdomain') {
        ctx.report({ code: 'absent', args: { domain: z.domain }, location: { host: z.domain, record: `${z.domain} CAA` } });
      }
    }
    ctx.details({ caa: found });
  },
});
