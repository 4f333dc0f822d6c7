// At least one DKIM key must be published: without DKIM, DMARC rests on SPF alone, which forwarding breaks.
import { defineCheck } from '../define.js';
import { isFailedLookup } from '../../derive/dns.js';
import { EMAIL_REFS } from '../../derive/email.js';

export default defineCheck({
  id: 'dkim-missing',
  area: 'email',
  severity: 'high',
  impact: 'email',
  title: 'A DKIM key is published for the mail domain',
  description:
    'Without DKIM signatures, Gmail and Yahoo treat bulk mail as unauthenticated and forwarded mail fails DMARC: onboarding and transactional mail lands in spam.',
  remediation:
    'Turn on DKIM signing at your mail provider and publish the TXT (or CNAME) record it gives you at <selector>._domainkey.<domain>. If you already sign, list the selector in the config (email.dkimSelectors) so it is checked.',
  references: [EMAIL_REFS.dkim, EMAIL_REFS.google],
  requires: ['email.domains'],
  messages: {
    'none-found': { message: 'No DKIM key found for {domain} (selectors tried: {tried}).' },
    'configured-absent': {
      message: 'The configured DKIM selector "{selector}" has no key at {name}.',
      whatBreaks: 'Mail signed with this selector fails DKIM verification at every receiver (the key cannot be found).',
    },
  },
  run({ 'email.domains': domains }, ctx) {
    const found: Record<string, string[]> = {};
    for (const d of domains) {
      const withKey = d.dkim.filter((s) => s.key);
      found[d.domain] = withKey.map((s) => s.selector);
      for (const s of d.dkim.filter((x) => x.source === 'config')) {
        if (isFailedLookup(s.lookup)) ctx.unknown(`${s.lookup.name} TXT lookup ${s.lookup.status}`);
        else if (!s.key) ctx.report({ code: 'configured-absent', args: { selector: s.selector, name: s.lookup.name }, location: { host: d.domain, record: `${s.lookup.name} TXT` } });
      }
      if (withKey.length > 0) continue;
      // A domain that says it sends no mail (null MX and "v=spf1 -all") needs no DKIM key.
      if (d.mx.nullMx && d.spf.tree.status === 'ok' && /^v=spf1\s+-all\s*$/i.test(d.spf.tree.record ?? '')) { found[d.domain] = ['(sends no mail)']; continue; }
      const failed = d.dkim.filter((s) => isFailedLookup(s.lookup));
      // A selector we could not ask might hold the key: that is unknown, not absent.
      if (failed.length > 0) { ctx.unknown(`DKIM lookups failed for ${d.domain}: ${failed.map((s) => `${s.lookup.name} ${s.lookup.status}`).join(', ')}`); continue; }
      if (d.dkimSelectors.length === 0) {
        const names = d.dkim.map((s) => s.selector);
        const tried = names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
        ctx.report({ code: 'none-found', args: { domain: d.domain, tried }, location: { host: d.domain, record: `_domainkey.${d.domain}` } });
      }
    }
    ctx.details({ selectorsFound: found, selectorsTried: Object.fromEntries(domains.map((d) => [d.domain, d.dkim.map((s) => s.selector)])) });
  },
});
