// RFC 7208 4.6.4: a third DNS lookup that finds nothing (a void lookup) makes the evaluation a permerror; MX sets
// over 10 names do too. Terms pointing at dead names are found by looking their targets up.
import { spfNodes } from '../../email/spf/analyze.js';
import { defineCheck } from '../define.js';
import { EMAIL_REFS } from '../../derive/email.js';

export default defineCheck({
  id: 'spf-void-lookup',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'SPF terms point at names that exist (void-lookup and MX limits)',
  description:
    'Receivers return permerror at the third SPF term whose name has no records, and at an mx term with more than 10 MX names: mail from every sender listed after that point fails SPF.',
  remediation: 'Delete a/mx terms for servers and domains that are gone, and list a mail provider with more than 10 MX hosts by its include or ip4/ip6 ranges instead of mx.',
  references: ['https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4', EMAIL_REFS.spf],
  requires: ['email.domains'],
  messages: {
    'over-limit': { message: 'The SPF policy of {domain} has {count} terms whose names have no records ({terms}); receivers give permerror at the third.' },
    dead: {
      message: 'The SPF policy of {domain} has terms whose names have no records: {terms}.',
      severity: 'low',
      whatBreaks: 'Nothing yet: each costs a void lookup, and a third one makes every later sender fail SPF.',
    },
    'mx-names': { message: '"{term}" in the SPF policy of {domain}{via} names {count} MX hosts; more than 10 is a permerror.', severity: 'critical' },
  },
  run({ 'email.domains': domains }, ctx) {
    const counts: Record<string, number> = {};
    for (const d of domains) {
      if (d.spf.tree.status !== 'ok') continue;
      const terms: string[] = [];
      for (const { node, path } of spfNodes(d.spf.tree)) {
        const via = path.length ? ` (in ${node.domain}, via ${path.join(' → ')})` : '';
        for (const t of node.voidTerms ?? []) terms.push(path.length ? `${t} in ${node.domain}` : t);
        for (const o of node.mxOverLimit ?? []) ctx.report({ code: 'mx-names', args: { term: o.term, domain: d.domain, via, count: o.count }, location: { host: d.domain, record: `${node.domain} TXT` } });
      }
      counts[d.domain] = terms.length;
      const location = { host: d.domain, record: `${d.domain} TXT` };
      if (terms.length > 2) ctx.report({ code: 'over-limit', args: { domain: d.domain, count: terms.length, terms }, location });
      else if (terms.length > 0) ctx.report({ code: 'dead', args: { domain: d.domain, terms }, location });
    }
    ctx.details({ voidTerms: counts });
  },
});
