// RFC 7208 4.6.4: at most 10 DNS-querying terms per evaluation; past that, receivers return permerror.
import type { SpfNode } from '../../email/spf/analyze.js';
import { defineCheck } from '../define.js';
import { isFailedLookup } from '../../derive/dns.js';
import { EMAIL_REFS, failText } from '../../derive/email.js';

const LIMIT = 10;

function branches(node: SpfNode): string[] {
  return node.children.map((c) => `${c.term} = ${c.node.totalLookups + (c.kind === 'include' || c.kind === 'redirect' ? 1 : 0)}`);
}

export default defineCheck({
  id: 'spf-lookup-limit',
  area: 'email',
  severity: 'critical',
  impact: 'email',
  title: 'The SPF policy stays within 10 DNS lookups',
  description:
    'Receivers stop at the 11th DNS-querying term (include, a, mx, ptr, exists, redirect) and return permerror: mail from any sender listed after that point fails SPF and, without aligned DKIM, fails DMARC.',
  remediation:
    'Remove includes of providers you no longer use, replace a/mx terms with ip4/ip6 ranges, or split senders onto subdomains (mail.example.com with its own SPF). Flattening into IP ranges works but must be kept up to date.',
  references: ['https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4', EMAIL_REFS.spf],
  requires: ['email.domains'],
  messages: {
    over: { message: 'The SPF policy of {domain} needs {total} DNS lookups (limit {limit}). Per branch: {branches}.' },
    near: {
      message: 'The SPF policy of {domain} needs {total} of {limit} DNS lookups: one more include breaks it. Per branch: {branches}.',
      severity: 'low',
      whatBreaks: 'Nothing yet; the next provider you add (a CRM, a support desk) pushes the policy over the limit and all mail fails SPF.',
    },
  },
  run({ 'email.domains': domains }, ctx) {
    const counts: Record<string, number> = {};
    for (const d of domains) {
      if (isFailedLookup(d.spf.lookup)) { ctx.unknown(failText(d.spf.lookup)); continue; }
      const root = d.spf.tree;
      if (root.status !== 'ok') continue;
      const total = root.totalLookups;
      counts[d.domain] = total;
      const args = { domain: d.domain, total, limit: LIMIT, branches: [`own terms = ${root.ownLookups - root.children.length}`, ...branches(root)] };
      const location = { host: d.domain, record: `${d.domain} TXT` };
      if (total > LIMIT) ctx.report({ code: 'over', args, location, evidence: root.record });
      else if (total >= LIMIT - 1) ctx.report({ code: 'near', args, location, evidence: root.record });
    }
    ctx.details({ lookups: counts });
  },
});
