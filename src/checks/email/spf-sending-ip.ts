// Every configured sending IP must pass SPF for the mail domain: otherwise the mail it sends fails at receivers.
import { spfNodes } from '../../email/spf/analyze.js';
import { defineCheck } from '../define.js';
import { EMAIL_REFS } from '../../derive/email.js';

export default defineCheck({
  id: 'spf-sending-ip',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'Every configured sending IP and provider include passes SPF',
  description:
    'Mail your own servers send fails SPF at every receiver: without aligned DKIM it fails DMARC too and lands in spam or is rejected (verification codes, receipts, password resets).',
  remediation:
    'Add the IP (ip4:/ip6:) or your provider\'s include to the SPF record before any "all" term, keeping within 10 lookups; re-run `launch-ready spf <domain> --ip <ip>` to see the evaluation trace.',
  references: [EMAIL_REFS.spf, 'https://www.rfc-editor.org/rfc/rfc7208#section-4'],
  requires: ['email.domains'],
  messages: {
    'not-pass': { message: 'Mail from {ip} for {domain} gets SPF "{result}"{why}.' },
    'include-missing': {
      message: 'The SPF policy of {domain} does not include {include}{why}: mail your provider sends for {domain} fails SPF.',
      remediation: 'Add "include:<the provider domain>" to the SPF record before its "all" term (mind the 10-lookup limit), or remove the provider from email.spfIncludes if you no longer use it.',
    },
  },
  run({ 'email.domains': domains }, ctx) {
    const results: Record<string, string> = {};
    let any = false;
    for (const d of domains) {
      for (const ev of d.spf.evaluations) {
        any = true;
        results[`${d.domain} ${ev.ip}`] = ev.result;
        if (ev.result === 'pass') continue;
        if (ev.result === 'temperror') { ctx.unknown(`SPF for ${ev.ip} at ${d.domain}: temperror (${ev.problem ?? 'DNS failure'})`); continue; }
        const why = ev.problem ? `: ${ev.problem}` : ev.matched ? ` (matched "${ev.matched.term}" in ${ev.matched.domain})` : ' (no term matched)';
        ctx.report({ code: 'not-pass', args: { ip: ev.ip, domain: d.domain, result: ev.result, why }, location: { host: d.domain, record: `${d.domain} TXT` } });
      }
    }
    for (const d of domains) {
      for (const include of d.spfIncludes ?? []) {
        any = true;
        // Reachable through includes/redirects from the domain's policy, and itself a usable SPF record.
        const hit = spfNodes(d.spf.tree).find(({ node }) => node.domain === include);
        if (hit?.node.status === 'ok') { results[`${d.domain} include:${include}`] = 'included'; continue; }
        if (hit?.node.status === 'dns-error') { ctx.unknown(hit.node.error ?? `TXT lookup of ${include} failed`); continue; }
        if (d.spf.tree.status === 'dns-error') { ctx.unknown(d.spf.tree.error ?? `TXT lookup of ${d.domain} failed`); continue; }
        results[`${d.domain} include:${include}`] = hit ? hit.node.status : 'missing';
        const why = hit ? ` usably (${include}: ${hit.node.error ?? hit.node.status})` : '';
        ctx.report({ code: 'include-missing', args: { domain: d.domain, include, why }, location: { host: d.domain, record: `${d.domain} TXT` } });
      }
    }
    if (!any) ctx.notApplicable('no sending IPs or provider includes configured (email.sendingIps, email.spfIncludes)');
    ctx.details({ results });
  },
});
