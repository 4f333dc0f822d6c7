// Given the configured sending setup (IPs, DKIM selectors), would mail from the domain pass DMARC?
import { defineCheck } from '../define.js';
import { appliedDmarc, EMAIL_REFS, usableDmarc } from '../../derive/email.js';

export default defineCheck({
  id: 'dmarc-alignment',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'Mail from the configured senders would pass DMARC',
  description:
    'DMARC passes only when SPF or DKIM passes for a domain aligned with the From: address; when neither would, receivers apply the DMARC policy to your own mail and quarantine or reject it.',
  remediation:
    'Make each sending IP pass SPF for the domain (see spf-sending-ip), or publish the DKIM key your provider signs with at <selector>._domainkey.<domain> and list the selector in email.dkimSelectors.',
  references: ['https://www.rfc-editor.org/rfc/rfc7489#section-3.1', EMAIL_REFS.dmarc],
  requires: ['email.domains'],
  messages: {
    'would-fail': { message: 'Mail from {ip} as {domain} would fail DMARC: SPF gives "{spf}" and no configured DKIM selector has a usable key ({dkim}).' },
  },
  run({ 'email.domains': domains }, ctx) {
    const verdicts: Record<string, string> = {};
    let judged = false;
    for (const d of domains) {
      if (d.sendingIps.length === 0 && d.dkimSelectors.length === 0) continue;
      const policy = usableDmarc(appliedDmarc(d));
      // DKIM with d=<domain> is aligned in either mode; a usable key on a configured selector is what we can see.
      const dkimOk = d.dkim.some((s) => s.source === 'config' && s.key && !s.key.revoked && !s.key.error && !(s.key.keyType === 'rsa' && (s.key.bits ?? 0) < 1024));
      const dkimText = d.dkimSelectors.length ? d.dkimSelectors.join(', ') : 'none configured';
      if (d.sendingIps.length === 0) {
        judged = true;
        verdicts[d.domain] = dkimOk ? 'pass (DKIM)' : 'fail';
        continue;
      }
      for (const ev of d.spf.evaluations) {
        judged = true;
        // MAIL FROM is postmaster@<domain>, the From: domain itself: aligned under strict and relaxed alike.
        const spfOk = ev.result === 'pass';
        const pass = spfOk || dkimOk;
        verdicts[`${d.domain} ${ev.ip}`] = pass ? `pass (${[spfOk ? 'SPF' : '', dkimOk ? 'DKIM' : ''].filter(Boolean).join(' + ')})` : 'fail';
        if (ev.result === 'temperror' && !dkimOk) { ctx.unknown(`SPF for ${ev.ip} at ${d.domain} is temperror: DMARC outcome unknown`); continue; }
        if (!pass) ctx.report({ code: 'would-fail', args: { ip: ev.ip, domain: d.domain, spf: ev.result, dkim: dkimText }, location: { host: d.domain, record: `_dmarc.${d.domain} TXT` } });
      }
      if (!policy) verdicts[`${d.domain} policy`] = 'no usable DMARC record (see dmarc-missing)';
    }
    if (!judged) ctx.notApplicable('no sending setup configured (email.sendingIps, email.dkimSelectors)');
    ctx.details({ dmarc: verdicts });
  },
});
