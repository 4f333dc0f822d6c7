// A mail domain must publish an SPF record: without one, receivers cannot tell your mail from forgeries.
import { defineCheck } from '../define.js';
import { isFailedLookup } from '../../derive/dns.js';
import { EMAIL_REFS, failText } from '../../derive/email.js';

export default defineCheck({
  id: 'spf-missing',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'The mail domain publishes an SPF record',
  description:
    'Gmail, Yahoo and Outlook require SPF (or DKIM) from every sender and both from bulk senders: sign-up confirmations, password resets and receipts land in spam or are rejected, and anyone can send mail as your domain.',
  remediation:
    'Publish one TXT record at the domain such as "v=spf1 include:<your mail provider> -all" (your provider documents the include), then re-run the audit.',
  references: [EMAIL_REFS.spf, EMAIL_REFS.google, EMAIL_REFS.yahoo],
  requires: ['email.domains'],
  messages: {
    absent: { message: '{domain} has no SPF record (TXT "v=spf1 ..."){reason}.' },
  },
  run({ 'email.domains': domains }, ctx) {
    const found: string[] = [];
    for (const d of domains) {
      const l = d.spf.lookup;
      if (isFailedLookup(l)) { ctx.unknown(failText(l)); continue; }
      if (d.spf.tree.status === 'none') {
        ctx.report({
          code: 'absent',
          args: { domain: d.domain, reason: l.status === 'nxdomain' ? ': the domain does not exist' : '' },
          location: { host: d.domain, record: `${d.domain} TXT` },
        });
      } else found.push(d.domain);
    }
    ctx.details({ withSpf: found });
  },
});
