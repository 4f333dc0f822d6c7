// DMARC aggregate reports (rua) are how you see who sends as you; an external destination must authorize them.
import type { DmarcAuthorization } from '../../facts/email.js';
import { defineCheck } from '../define.js';
import { isFailedLookup } from '../../derive/dns.js';
import { appliedDmarc, EMAIL_REFS, usableDmarc } from '../../derive/email.js';

function authorized(a: DmarcAuthorization): boolean | undefined {
  const has = (texts: readonly string[]) => texts.some((t) => /^v=DMARC1\s*(?:;|$)/.test(t));
  if (has(a.lookup.records)) return true;
  if (a.wildcard && has(a.wildcard.records)) return true;
  if (isFailedLookup(a.lookup) || (a.wildcard && isFailedLookup(a.wildcard))) return undefined;
  return false;
}

export default defineCheck({
  id: 'dmarc-reporting',
  area: 'email',
  severity: 'medium',
  impact: 'email',
  title: 'DMARC aggregate reports are requested and can be delivered',
  description:
    'Without reports you cannot see which of your senders fail authentication (or who forges your domain), so moving to p=reject blocks your own mail blindly; reports to an unauthorized external domain are never sent.',
  remediation:
    'Add rua=mailto:<address> to the DMARC record. For an address at another domain, that domain must publish TXT "v=DMARC1" at <your-domain>._report._dmarc.<their-domain> (report services do this for you when you sign up).',
  references: ['https://www.rfc-editor.org/rfc/rfc7489#section-7.1', EMAIL_REFS.dmarc],
  requires: ['email.domains'],
  messages: {
    'no-rua': { message: 'The DMARC record at {at} asks for no aggregate reports (no rua=).' },
    unauthorized: { message: 'DMARC {tag} destination {uri} is at another domain, which does not authorize reports for it ({name} has no "v=DMARC1" record).' },
  },
  run({ 'email.domains': domains }, ctx) {
    for (const d of domains) {
      const a = appliedDmarc(d);
      const p = usableDmarc(a);
      if (!p) continue;
      const location = { host: d.domain, record: `${a.at} TXT` };
      if (p.rua.length === 0) ctx.report({ code: 'no-rua', args: { at: a.at }, location, evidence: a.record });
      for (const auth of d.dmarc.authorizations) {
        const ok = authorized(auth);
        if (ok === undefined) ctx.unknown(`${auth.name} TXT lookup ${auth.lookup.status}`);
        else if (!ok) ctx.report({ code: 'unauthorized', args: { tag: auth.tag, uri: auth.uri, name: auth.name }, location: { host: d.domain, record: `${auth.name} TXT` } });
      }
    }
  },
});
