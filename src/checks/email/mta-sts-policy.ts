// MTA-STS (RFC 8461) makes senders require TLS to your MX hosts; the TXT record and HTTPS policy must agree with MX.
import { mxPatternMatches, parseStsPolicy, parseStsTxt } from '../../derive/email-mta-sts.js';
import { defineCheck } from '../define.js';
import { isFailedLookup } from '../../derive/dns.js';
import { EMAIL_REFS, failText } from '../../derive/email.js';

export default defineCheck({
  id: 'mta-sts-policy',
  area: 'email',
  severity: 'low',
  impact: 'email',
  title: 'MTA-STS is published and its policy covers the MX hosts',
  description:
    'Without MTA-STS, an attacker on the network path can strip STARTTLS and read or alter mail to your domain (password resets, replies); a policy that does not cover your MX hosts makes enforcing senders refuse to deliver.',
  remediation:
    'Publish TXT "v=STSv1; id=<date>" at _mta-sts.<domain> and serve https://mta-sts.<domain>/.well-known/mta-sts.txt with version: STSv1, mode: enforce (after testing), max_age: 604800 or more, and one mx: line per MX host.',
  references: [EMAIL_REFS.mtaSts],
  requires: ['email.domains'],
  messages: {
    absent: { message: '{domain} publishes no MTA-STS record (_mta-sts.{domain} TXT).' },
    'txt-invalid': { message: 'The MTA-STS record at _mta-sts.{domain} is invalid: {errors}.' },
    'policy-unreachable': { message: 'The MTA-STS policy {url} could not be fetched: {reason}.', severity: 'medium' },
    'policy-cert-invalid': {
      message: 'The certificate of mta-sts.{domain} is not valid ({error}): senders ignore the MTA-STS policy.',
      severity: 'medium',
      whatBreaks: 'Senders treat the domain as having no MTA-STS policy: TLS to your MX hosts is not enforced.',
      remediation: 'Serve mta-sts.<domain> with a publicly trusted, in-date certificate for that exact name.',
    },
    'policy-content-type': {
      message: 'The MTA-STS policy {url} is served as "{contentType}", not text/plain: senders that check it (RFC 8461 3.2) ignore the policy.',
      severity: 'medium',
      whatBreaks: 'Those senders treat the domain as having no MTA-STS policy: TLS to your MX hosts is not enforced.',
      remediation: 'Serve /.well-known/mta-sts.txt with "Content-Type: text/plain".',
    },
    'policy-invalid': { message: 'The MTA-STS policy {url} is invalid: {errors}.', severity: 'medium' },
    'mode-not-enforce': { message: 'The MTA-STS policy of {domain} is in mode {mode}: senders do not require TLS yet.' },
    'max-age-short': { message: 'The MTA-STS policy of {domain} has max_age {maxAge} s; a week (604800) or more is recommended.' },
    'mx-not-covered': {
      message: 'MX {exchange} of {domain} matches no mx: line of the MTA-STS policy ({patterns}).',
      severity: 'medium',
      whatBreaks: 'Senders that enforce the policy refuse to deliver to that MX host: mail is delayed or bounced.',
    },
  },
  run({ 'email.domains': domains }, ctx) {
    for (const d of domains) {
      if (d.mx.nullMx) continue;
      const { txt, policy } = d.mtaSts;
      if (isFailedLookup(txt)) { ctx.unknown(failText(txt)); continue; }
      const sts = txt.records.filter((t) => /^v=STSv1\b/.test(t));
      const location = { host: d.domain, record: `_mta-sts.${d.domain} TXT` };
      if (sts.length === 0) { ctx.report({ code: 'absent', args: { domain: d.domain }, location }); continue; }
      const errors = sts.length > 1 ? [`${sts.length} records (exactly one is allowed)`] : parseStsTxt(sts[0]!).errors;
      if (errors.length) ctx.report({ code: 'txt-invalid', args: { domain: d.domain, errors }, location });
      const plocation = { host: `mta-sts.${d.domain}`, url: policy.url };
      if (policy.status === 'not-fetched') { ctx.unknown(`MTA-STS policy of ${d.domain} was not fetched: ${policy.reason ?? 'no reason given'}`); continue; }
      if (policy.status === 'error') { ctx.report({ code: 'policy-unreachable', args: { url: policy.url, reason: policy.reason ?? 'failed' }, location: plocation }); continue; }
      if (policy.certificate && !policy.certificate.valid) {
        ctx.report({ code: 'policy-cert-invalid', args: { domain: d.domain, error: policy.certificate.error ?? 'not trusted' }, location: plocation });
        continue;
      }
      if (policy.contentType !== undefined && !/^text\/plain\s*(;|$)/i.test(policy.contentType)) {
        ctx.report({ code: 'policy-content-type', args: { url: policy.url, contentType: policy.contentType.slice(0, 80) }, location: plocation });
      }
      const p = parseStsPolicy(policy.text ?? '');
      if (p.errors.length) { ctx.report({ code: 'policy-invalid', args: { url: policy.url, errors: p.errors }, location: plocation }); continue; }
      if (p.mode !== 'enforce') ctx.report({ code: 'mode-not-enforce', args: { domain: d.domain, mode: p.mode ?? '' }, location: plocation });
      if ((p.maxAge ?? 0) < 604800) ctx.report({ code: 'max-age-short', args: { domain: d.domain, maxAge: p.maxAge ?? 0 }, location: plocation });
      if (p.mode !== 'none') {
        for (const t of d.mx.targets) {
          if (!p.mx.some((pat) => mxPatternMatches(pat, t.exchange))) {
            ctx.report({ code: 'mx-not-covered', args: { domain: d.domain, exchange: t.exchange, patterns: p.mx }, location: plocation });
          }
        }
      }
    }
  },
});
