// The DMARC record must parse as RFC 7489 says: receivers discard an invalid record and apply no policy at all.
import { isDmarcRecord } from '../../email/dmarc.js';
import { defineCheck } from '../define.js';
import { appliedDmarc, EMAIL_REFS } from '../../derive/email.js';

export default defineCheck({
  id: 'dmarc-record',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'The DMARC record is valid',
  description:
    'Receivers ignore an invalid DMARC record (two records, p= missing or misplaced, a bad policy value): the domain is treated as having no DMARC, with the same spam-folder and spoofing consequences.',
  remediation: 'Keep exactly one TXT record at _dmarc.<domain>, starting "v=DMARC1; p=<none|quarantine|reject>;" with valid tags only.',
  references: ['https://www.rfc-editor.org/rfc/rfc7489#section-6.3', EMAIL_REFS.dmarc],
  requires: ['email.domains'],
  messages: {
    multiple: { message: '{at} has {count} DMARC records; receivers ignore them all.' },
    invalid: { message: 'The DMARC record at {at} is invalid: {errors}.' },
    'ignored-tags': {
      message: 'The DMARC record at {at} has tags receivers ignore: {warnings}.',
      severity: 'low',
      whatBreaks: 'What those tags were meant to do (reports, subdomain policy, percentage) does not happen.',
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
    }
  },
});
