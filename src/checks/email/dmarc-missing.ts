// A mail domain must publish a usable DMARC record (its own, or its organizational domain's).
import { defineCheck } from '../define.js';
import { appliedDmarc, EMAIL_REFS, failText } from '../../derive/email.js';

export default defineCheck({
  id: 'dmarc-missing',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'The mail domain has a DMARC record',
  description:
    'Gmail and Yahoo require a DMARC record from bulk senders and reject or junk their mail without one; and nothing tells receivers to refuse mail forged in your name.',
  remediation: 'Publish a TXT record at _dmarc.<domain>: start with "v=DMARC1; p=none; rua=mailto:dmarc@<domain>", read the reports, then move to p=quarantine or p=reject.',
  references: [EMAIL_REFS.dmarc, EMAIL_REFS.google, EMAIL_REFS.yahoo],
  requires: ['email.domains'],
  messages: {
    absent: { message: '{domain} has no DMARC record (looked at {looked}).' },
  },
  run({ 'email.domains': domains }, ctx) {
    const where: Record<string, string> = {};
    for (const d of domains) {
      const a = appliedDmarc(d);
      if (a.failed) { ctx.unknown(failText(a.failed)); continue; }
      if (a.count === 0) {
        const looked = [d.dmarc.own.name, ...(d.dmarc.walk ?? (d.dmarc.org ? [d.dmarc.org] : [])).map((l) => l.name)];
        ctx.report({ code: 'absent', args: { domain: d.domain, looked }, location: { host: d.domain, record: `_dmarc.${d.domain} TXT` } });
      } else where[d.domain] = a.at;
    }
    ctx.details({ recordAt: where });
  },
});
