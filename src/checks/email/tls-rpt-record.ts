// TLS-RPT (RFC 8460) asks senders to report TLS failures delivering to you: the only way to see MTA-STS breakage.
import { parseTlsRpt } from '../../derive/email-mta-sts.js';
import { defineCheck } from '../define.js';
import { isFailedLookup } from '../../derive/dns.js';
import { EMAIL_REFS, failText } from '../../derive/email.js';

export default defineCheck({
  id: 'tls-rpt-record',
  area: 'email',
  severity: 'low',
  impact: 'email',
  title: 'A TLS-RPT record asks senders for TLS failure reports',
  description:
    'When senders cannot establish TLS to your MX hosts (expired certificate, MTA-STS mismatch), mail to you is delayed or lost and nobody tells you.',
  remediation: 'Publish TXT "v=TLSRPTv1; rua=mailto:tls-reports@<domain>" at _smtp._tls.<domain>.',
  references: [EMAIL_REFS.tlsRpt],
  requires: ['email.domains'],
  messages: {
    absent: { message: '{domain} publishes no TLS-RPT record (_smtp._tls.{domain} TXT).' },
    invalid: { message: 'The TLS-RPT record of {domain} is invalid: {errors}.' },
  },
  run({ 'email.domains': domains }, ctx) {
    for (const d of domains) {
      if (d.mx.nullMx) continue;
      const l = d.tlsRpt;
      if (isFailedLookup(l)) { ctx.unknown(failText(l)); continue; }
      const location = { host: d.domain, record: `_smtp._tls.${d.domain} TXT` };
      const recs = l.records.filter((t) => /^v=TLSRPTv1\b/.test(t));
      if (recs.length === 0) { ctx.report({ code: 'absent', args: { domain: d.domain }, location }); continue; }
      const errors = recs.length > 1 ? [`${recs.length} records (exactly one is allowed)`] : parseTlsRpt(recs[0]!).errors;
      if (errors.length) ctx.report({ code: 'invalid', args: { domain: d.domain, errors }, location, evidence: recs.join(' | ') });
    }
  },
});
