// The mail domain needs working MX targets (or a null MX with SPF -all when it never receives mail).
import { hostAddresses, isFailedLookup, lookupStatusText } from '../../derive/dns.js';
import { defineCheck } from '../define.js';
import { EMAIL_REFS } from '../../derive/email.js';

export default defineCheck({
  id: 'mx-record',
  area: 'email',
  severity: 'medium',
  impact: 'email',
  title: 'MX records point at resolvable mail hosts (or a null MX)',
  description:
    'Replies, bounces and DMARC reports to the domain cannot be delivered; some receivers also reject mail whose sender domain cannot receive mail.',
  remediation:
    'Publish MX records for your mail provider, each naming a host with A/AAAA records (not a CNAME, not an IP). A domain that never receives mail should publish a null MX ("MX 0 .") and "v=spf1 -all".',
  references: ['https://www.rfc-editor.org/rfc/rfc5321#section-5.1', EMAIL_REFS.nullMx, 'https://www.rfc-editor.org/rfc/rfc2181#section-10.3'],
  requires: ['email.domains'],
  messages: {
    absent: { message: '{domain} has no MX record: mail to it falls back to its A record or bounces.' },
    'null-mx-spf': {
      message: '{domain} publishes a null MX (it receives no mail) but its SPF is not "v=spf1 -all" ({spf}).',
      whatBreaks: 'A no-mail domain that does not say "-all" can still be used by spammers in your name.',
      remediation: 'Publish "v=spf1 -all" at the domain (and a DMARC p=reject record).',
    },
    unresolvable: {
      message: 'MX {exchange} of {domain} has no address (A: {a}, AAAA: {aaaa}).',
      severity: 'high',
      whatBreaks: 'Mail to the domain cannot be delivered through this host; with no other MX, nothing reaches you (replies, bounces, reports).',
    },
    cname: { message: 'MX {exchange} of {domain} is a CNAME (to {target}), which RFC 2181 forbids; some senders refuse it.' },
    'ip-literal': {
      message: 'MX of {domain} names the IP address {exchange} instead of a host name.',
      severity: 'high',
      whatBreaks: 'Senders look the "name" up as a host name, find nothing, and cannot deliver mail to the domain.',
    },
  },
  run({ 'email.domains': domains }, ctx) {
    const mx: Record<string, string[]> = {};
    for (const d of domains) {
      const m = d.mx;
      const location = { host: d.domain, record: `${d.domain} MX` };
      if (isFailedLookup(m)) { ctx.unknown(`${d.domain} MX lookup ${lookupStatusText(m)}`); continue; }
      if (m.nullMx) {
        mx[d.domain] = ['0 .'];
        const rec = d.spf.tree.record ?? '(none)';
        const strict = d.spf.tree.status === 'ok' && /^v=spf1\s+-all\s*$/i.test(d.spf.tree.record ?? '');
        if (!strict) ctx.report({ code: 'null-mx-spf', args: { domain: d.domain, spf: rec }, location });
        continue;
      }
      mx[d.domain] = m.targets.map((t) => `${t.preference} ${t.exchange}`);
      if (m.targets.length === 0) { ctx.report({ code: 'absent', args: { domain: d.domain }, location }); continue; }
      for (const t of m.targets) {
        const tl = { host: t.exchange, record: `${d.domain} MX ${t.preference} ${t.exchange}` };
        if (t.ipLiteral) { ctx.report({ code: 'ip-literal', args: { domain: d.domain, exchange: t.exchange }, location: tl }); continue; }
        if (t.cname) ctx.report({ code: 'cname', args: { domain: d.domain, exchange: t.exchange, target: t.cname }, location: tl });
        if (hostAddresses(t).length === 0) {
          if (isFailedLookup(t.a) || isFailedLookup(t.aaaa)) ctx.unknown(`address lookup of MX ${t.exchange}: A ${t.a.status}, AAAA ${t.aaaa.status}`);
          else ctx.report({ code: 'unresolvable', args: { domain: d.domain, exchange: t.exchange, a: t.a.status, aaaa: t.aaaa.status }, location: tl });
        }
      }
    }
    ctx.details({ mx });
  },
});
