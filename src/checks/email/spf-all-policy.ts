// The SPF policy must end by rejecting (-all) or flagging (~all) everyone else: +all, ?all or no all protect nothing.
import { defineCheck } from '../define.js';
import { isFailedLookup } from '../../derive/dns.js';
import { EMAIL_REFS, failText } from '../../derive/email.js';

export default defineCheck({
  id: 'spf-all-policy',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'The SPF policy ends in -all or ~all',
  description:
    'An SPF policy that passes or shrugs at every other sender lets anyone send mail as your domain, so phishing "from" you reaches your users, and mailbox providers trust your real mail less.',
  remediation: 'End the record with "-all" (or "~all" while you are still finding your senders), after the terms that list your real senders.',
  references: ['https://www.rfc-editor.org/rfc/rfc7208#section-5.1', EMAIL_REFS.spf],
  requires: ['email.domains'],
  messages: {
    'pass-all': { message: 'The SPF policy of {domain} ends in {term}: every server on the internet passes SPF for it.', severity: 'critical' },
    'neutral-all': { message: 'The SPF policy of {domain} ends in {term}: mail from anyone else is "neutral", not rejected.' },
    'no-all': { message: 'The SPF record of {domain} has no "all" term and no redirect: mail from anyone else is "neutral".' },
  },
  run({ 'email.domains': domains }, ctx) {
    for (const d of domains) {
      if (isFailedLookup(d.spf.lookup)) { ctx.unknown(failText(d.spf.lookup)); continue; }
      const root = d.spf.tree;
      if (root.status !== 'ok') continue;
      // A redirect hands the final word to the target's policy: follow redirects to the record that decides.
      let node = root;
      for (let hops = 0; node.all === undefined && hops < 10; hops++) {
        const next = node.children.find((c) => c.kind === 'redirect');
        if (!next || next.node.status !== 'ok') break;
        node = next.node;
      }
      const location = { host: d.domain, record: `${node.domain} TXT` };
      const all = node.all;
      if (all === undefined) {
        // A redirect that cannot be followed is spf-permerror's finding; a record with neither has no default.
        if (!node.redirect) ctx.report({ code: 'no-all', args: { domain: d.domain }, location, evidence: node.record });
        continue;
      }
      const term = node === root ? all : `${all} (in ${node.domain}, by redirect)`;
      const q = all[0];
      if (q === '+' || q === 'a') ctx.report({ code: 'pass-all', args: { domain: d.domain, term }, location, evidence: node.record });
      else if (q === '?') ctx.report({ code: 'neutral-all', args: { domain: d.domain, term }, location, evidence: node.record });
    }
  },
});
