// DMARC must be enforced: p=none only monitors, and mailbox providers' bulk-sender rules expect enforcement.
import { defineCheck } from '../define.js';
import { appliedDmarc, EMAIL_REFS, usableDmarc } from '../../derive/email.js';

export default defineCheck({
  id: 'dmarc-policy',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'DMARC is enforced (p=quarantine or p=reject, on all mail)',
  description:
    'With p=none, receivers deliver mail forged in your name as if it were yours: phishing "from" your product reaches your users, and providers give an unprotected domain less trust.',
  remediation: 'Once DMARC reports show your real senders passing, set p=quarantine, then p=reject; keep pct at 100 and sp at the same strength.',
  references: ['https://www.rfc-editor.org/rfc/rfc7489#section-6.3', EMAIL_REFS.yahoo, EMAIL_REFS.google],
  requires: ['email.domains'],
  messages: {
    'p-none': { message: 'The DMARC policy of {domain} is p=none (at {at}): forged mail is delivered.' },
    'sp-none': {
      message: 'The DMARC subdomain policy at {at} is sp=none: mail forged from any subdomain of {domain} is delivered.',
      severity: 'medium',
    },
    'pct-partial': {
      message: 'The DMARC policy at {at} applies to pct={pct}% of failing mail only.',
      severity: 'medium',
      whatBreaks: 'The rest of the forged mail is handled one step weaker (quarantine becomes none, reject becomes quarantine).',
    },
  },
  run({ 'email.domains': domains }, ctx) {
    const policies: Record<string, string> = {};
    for (const d of domains) {
      const a = appliedDmarc(d);
      const p = usableDmarc(a);
      if (!p) continue;
      // At the organizational domain's record, a subdomain gets sp= (or p= without it).
      const fromOrg = a.at !== d.dmarc.own.name;
      const effective = fromOrg ? p.sp ?? p.p! : p.p!;
      policies[d.domain] = effective;
      const location = { host: d.domain, record: `${a.at} TXT` };
      if (effective === 'none') ctx.report({ code: 'p-none', args: { domain: d.domain, at: a.at }, location, evidence: a.record });
      else if (!fromOrg && p.sp === 'none') ctx.report({ code: 'sp-none', args: { domain: d.domain, at: a.at }, location, evidence: a.record });
      if (effective !== 'none' && p.pct < 100) ctx.report({ code: 'pct-partial', args: { at: a.at, pct: p.pct }, location, evidence: a.record });
    }
    ctx.details({ policies });
  },
});
