// DMARC aggregate reports (rua) are how you see who sends as you; an external destination must authorize them.
import type { DmarcAuthorization, DmarcDestination } from '../../facts/email.js';
import { defineCheck } from '../define.js';
import { isFailedLookup } from '../../derive/dns.js';
import { appliedDmarc, EMAIL_REFS, usableDmarc } from '../../derive/email.js';

/** Why a report destination cannot receive mail, or undefined when it can ('unknown' when a lookup failed). */
function undeliverable(d: DmarcDestination): string | undefined {
  const { mx } = d;
  if (mx.exchanges.length === 1 && mx.exchanges[0] === '') return 'it publishes a null MX: it accepts no mail';
  if (mx.exchanges.length > 0) return undefined;
  if (mx.status === 'nxdomain') return 'the domain does not exist';
  if (mx.status !== 'ok' && mx.status !== 'nodata') return 'unknown';
  const addrs = d.addresses ?? [];
  if (addrs.some((a) => a.addresses.length > 0)) return undefined;
  if (addrs.some((a) => isFailedLookup(a))) return 'unknown';
  return 'it has no MX record and no address';
}

function authorized(a: DmarcAuthorization): boolean | undefined {
  const has = (texts: readonly string[]) => texts.some((t) => /^v\s*=\s*DMARC1\s*(?:;|$)/i.test(t));
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
    'Without reports you cannot see which of your senders fail authentication (or who forges your domain), so moving to p=reject blocks your own mail blindly; reports to an unauthorized external domain, or to one that receives no mail, are never delivered.',
  remediation:
    'Add rua=mailto:<address> to the DMARC record. For an address at another domain, that domain must publish TXT "v=DMARC1" at <your-domain>._report._dmarc.<their-domain> (report services do this for you when you sign up).',
  references: ['https://www.rfc-editor.org/rfc/rfc7489#section-7.1', EMAIL_REFS.dmarc],
  requires: ['email.domains'],
  messages: {
    'no-rua': { message: 'The DMARC record at {at} asks for no aggregate reports (no rua=).' },
    undeliverable: {
      message: 'DMARC rua destination {uri} cannot receive mail: {why}. Aggregate reports sent there are lost.',
      remediation: 'Send reports to an address whose domain receives mail (an MX record, or at least an address), or fix that domain\'s MX.',
    },
    unauthorized: { message: 'DMARC {tag} destination {uri} is at another domain, which does not authorize reports for it ({name} has no "v=DMARC1" record).' },
  },
  run({ 'email.domains': domains }, ctx) {
    for (const d of domains) {
      const a = appliedDmarc(d);
      const p = usableDmarc(a);
      if (!p) continue;
      const location = { host: d.domain, record: `${a.at} TXT` };
      if (p.rua.length === 0) ctx.report({ code: 'no-rua', args: { at: a.at }, location, evidence: a.record });
      for (const dest of d.dmarc.destinations ?? []) {
        const why = undeliverable(dest);
        if (why === 'unknown') ctx.unknown(isFailedLookup(dest.mx) ? `${dest.domain} MX lookup ${dest.mx.status}` : `${dest.domain} has no MX and its address lookup failed`);
        else if (why) ctx.report({ code: 'undeliverable', args: { uri: dest.uri, why }, location: { host: d.domain, record: `${dest.domain} MX` } });
      }
      for (const auth of d.dmarc.authorizations) {
        const ok = authorized(auth);
        if (ok === undefined) ctx.unknown(`${auth.name} TXT lookup ${auth.lookup.status}`);
        else if (!ok) ctx.report({ code: 'unauthorized', args: { tag: auth.tag, uri: auth.uri, name: auth.name }, location: { host: d.domain, record: `${auth.name} TXT` } });
      }
    }
  },
});
