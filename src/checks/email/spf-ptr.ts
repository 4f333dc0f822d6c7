// RFC 7208 5.5 says "ptr" SHOULD NOT be used: slow, unreliable, and some receivers skip it.
import { spfNodes } from '../../email/spf/analyze.js';
import { defineCheck } from '../define.js';
import { EMAIL_REFS } from '../../derive/email.js';

export default defineCheck({
  id: 'spf-ptr',
  area: 'email',
  severity: 'low',
  impact: 'email',
  title: 'The SPF policy does not use the ptr mechanism',
  description:
    'The ptr mechanism costs several DNS lookups per message and depends on reverse DNS you may not control; large receivers may ignore it, so servers authorized only through it fail SPF.',
  remediation: 'Replace "ptr" with the ip4/ip6 ranges or the "a"/"include" terms of the servers it was meant to cover.',
  references: ['https://www.rfc-editor.org/rfc/rfc7208#section-5.5', EMAIL_REFS.spf],
  requires: ['email.domains'],
  messages: {
    used: { message: 'The SPF policy of {domain} uses "{term}"{via}.' },
  },
  run({ 'email.domains': domains }, ctx) {
    for (const d of domains) {
      for (const { node, path } of spfNodes(d.spf.tree)) {
        const via = path.length ? ` (in ${node.domain}, via ${path.join(' → ')})` : '';
        for (const term of node.ptr) ctx.report({ code: 'used', args: { domain: d.domain, term, via }, location: { host: d.domain, record: `${node.domain} TXT` } });
      }
    }
  },
});
