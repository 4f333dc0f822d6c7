// The DMARC record must parse as RFC 9989 says (noting where receivers still on RFC 7489 differ): receivers discard
// an invalid record and apply no policy at all.
import { isDmarcRecord } from '../../derive/email-dmarc.js';
import { defineCheck } from '../define.js';
import { appliedDmarc } from '../../derive/email.js';

export default defineCheck({
  id: 'dmarc-record',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'The DMARC record is valid',
  description:
    'Receivers ignore an invalid DMARC record (two records, p= missing or misplaced, a bad policy value): the domain is treated as having no DMARC, with the same spam-folder and spoofing consequences.',
  remediation: 'Keep exactly one TXT record at _dmarc.<domain>, starting "v=DMARC1; p=<none|quarantine|reject>;" with valid tags only.',
  references: ['https://www.rfc-editor.org/rfc/rfc9989', 'https://www.rfc-editor.org/rfc/rfc7489#section-6.3'],
  requires: ['email.domains'],
  messages: {
    multiple: { message: '{at} has {count} DMARC records; receivers ignore them all.' },
    invalid: { message: 'The DMARC record at {at} is invalid: {errors}.' },
    'ignored-tags': {
      message: 'The DMARC record at {at} has tags receivers ignore: {warnings}.',
      severity: 'low',
      whatBreaks: 'What those tags were meant to do (reports, subdomain policy, percentage) does not happen.',
    },
    'removed-tags': {
      message: 'The DMARC record at {at} uses tags RFC 9989 removed: {removed}. Receivers on RFC 9989 ignore them; receivers still on RFC 7489 apply them.',
      severity: 'low',
      whatBreaks: 'Receivers disagree on what the record asks for: the same mail is handled differently depending on who receives it.',
      remediation: 'Drop pct=, rf= and ri= (use t=y instead of pct=0 while testing).',
    },
    'test-mode': {
      message: 'The DMARC record at {at} is in test mode (t=y): receivers on RFC 9989 handle failing mail one step weaker (reject as quarantine, quarantine as none).',
      severity: 'medium',
      whatBreaks: 'Part of the mail forged in your name is delivered while t=y stays.',
      remediation: 'Remove t=y once the reports show your own mail passes DMARC.',
    },
    'rfc7489-differs': {
      message: 'Receivers still on RFC 7489 read the DMARC record at {at} differently: {differences}.',
      severity: 'medium',
      whatBreaks: 'For receivers on RFC 7489 the domain has no DMARC policy: forged mail reaches their users.',
      remediation: 'Write the record as "v=DMARC1; p=<policy>; ..." with p= right after v=: every receiver reads it the same way.',
    },
  },
  run({ 'email.domains': domains }, ctx) {
    for (const d of domains) {
      const a = appliedDmarc(d);
      if (a.failed || a.count === 0) continue;
      const location = { host: d.domain, record: `${a.at} TXT` };
      if (a.count > 1) {
        const lookup = a.at === d.dmarc.own.name ? d.dmarc.own : d.dmarc.org!;
        ctx.report({ code: 'multiple', args: { at: a.at, count: a.count }, location, evidence: lookup.records.filter(isDmarcRecord).join(' | ') });
        continue;
      }
      const p = a.parsed!;
      if (p.errors.length) ctx.report({ code: 'invalid', args: { at: a.at, errors: p.errors }, location, evidence: a.record });
      if (p.warnings.length) ctx.report({ code: 'ignored-tags', args: { at: a.at, warnings: p.warnings }, location, evidence: a.record });
      if (p.errors.length) continue;
      const discarded = p.rfc7489.filter((x) => /discard/.test(x));
      if (discarded.length) ctx.report({ code: 'rfc7489-differs', args: { at: a.at, differences: discarded }, location, evidence: a.record });
      if (p.removed.length) ctx.report({ code: 'removed-tags', args: { at: a.at, removed: p.removed }, location, evidence: a.record });
      if (p.testing) ctx.report({ code: 'test-mode', args: { at: a.at }, location, evidence: a.record });
    }
  },
});
