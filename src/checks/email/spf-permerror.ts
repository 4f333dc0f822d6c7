// An SPF policy that cannot be evaluated is a permerror at every receiver: all mail fails SPF, as if forged.
import { spfNodes } from '../../email/spf/analyze.js';
import { defineCheck } from '../define.js';
import { isFailedLookup } from '../../derive/dns.js';
import { EMAIL_REFS, failText } from '../../derive/email.js';

export default defineCheck({
  id: 'spf-permerror',
  area: 'email',
  severity: 'critical',
  impact: 'email',
  title: 'The SPF policy can be evaluated (no permerror)',
  description:
    'Receivers evaluate a broken SPF policy as "permerror": every message from the domain fails SPF, so DMARC fails unless DKIM aligns, and mail is quarantined or rejected.',
  remediation:
    'Fix the record named in the finding: keep exactly one "v=spf1" TXT record per name, correct the syntax error, and make every include point at a domain that publishes SPF.',
  references: [EMAIL_REFS.spf, 'https://www.rfc-editor.org/rfc/rfc7208#section-4.6'],
  requires: ['email.domains'],
  messages: {
    multiple: { message: '{domain} has {count} SPF records; exactly one is allowed: {records}.' },
    syntax: { message: 'The SPF record of {domain} does not parse ({error}){via}: "{record}".' },
    'include-none': { message: '{term}{via} points at {target}, which has no SPF record ({error}).' },
    'include-multiple': { message: '{term}{via} points at {target}, which has {count} SPF records.' },
    'include-syntax': { message: 'The SPF record of {target}, reached by {term}{via}, does not parse ({error}): "{record}".' },
    loop: { message: 'The SPF policy of {domain} includes itself: {error}.' },
    'invalid-domain': { message: '{term}{via} names an invalid domain: {error}.' },
  },
  run({ 'email.domains': domains }, ctx) {
    for (const d of domains) {
      if (isFailedLookup(d.spf.lookup)) { ctx.unknown(failText(d.spf.lookup)); continue; }
      const root = d.spf.tree;
      if (root.status === 'none') continue; // spf-missing says it
      for (const { node, path } of spfNodes(root)) {
        const isRoot = path.length === 0;
        const term = path[path.length - 1] ?? '';
        const via = path.length > 1 ? ` (via ${path.slice(0, -1).join(' → ')})` : '';
        const location = { host: d.domain, record: `${node.domain} TXT` };
        const records = (node.records ?? []).map((r) => `"${r}"`);
        switch (node.status) {
          case 'multiple':
            if (isRoot) ctx.report({ code: 'multiple', args: { domain: d.domain, count: records.length, records }, location });
            else ctx.report({ code: 'include-multiple', args: { term, via, target: node.domain, count: records.length }, location });
            break;
          case 'syntax':
            if (isRoot) ctx.report({ code: 'syntax', args: { domain: d.domain, error: node.error ?? '', via: '', record: node.record ?? '' }, location, evidence: node.record });
            else ctx.report({ code: 'include-syntax', args: { target: node.domain, term, via, error: node.error ?? '', record: node.record ?? '' }, location, evidence: node.record });
            break;
          case 'none':
            ctx.report({ code: 'include-none', args: { term, via, target: node.domain, error: node.error ?? '' }, location });
            break;
          case 'loop':
            ctx.report({ code: 'loop', args: { domain: d.domain, error: node.error ?? '' }, location });
            break;
          case 'invalid-domain':
            ctx.report({ code: 'invalid-domain', args: { term, via, error: node.error ?? '' }, location });
            break;
          case 'dns-error':
            ctx.unknown(`${node.error ?? 'DNS lookup failed'}${via || (term ? ` (at ${term})` : '')}`);
            break;
          default:
            break;
        }
      }
    }
  },
});
