// Every listed nameserver must answer for the zone with authority; a lame one fails a share of all lookups.
import { defineCheck } from '../define.js';
import { isFailure } from '../../derive/dns.js';

export default defineCheck({
  id: 'lame-delegation',
  area: 'dns',
  severity: 'high',
  impact: 'availability',
  title: 'Every nameserver answers authoritatively',
  description:
    'Resolvers pick nameservers at random: a nameserver that does not answer, or answers without authority, makes a share of lookups slow or fail. Users see intermittent "site can\'t be reached" and apps time out on first launch.',
  remediation:
    'Fix or remove the nameserver: make sure it serves the zone (the provider has the zone configured, the NS name points at the right address), or replace the NS record with one of your DNS provider\'s current nameservers at the registrar.',
  references: ['https://www.rfc-editor.org/rfc/rfc1912#section-2.8', 'https://www.rfc-editor.org/rfc/rfc8499'],
  requires: ['dns.zones'],
  messages: {
    'no-answer': { message: 'Nameserver {nameserver} ({server}) gave no usable answer for {domain}: {status}, {reason}.' },
    'not-authoritative': { message: 'Nameserver {nameserver} ({server}) answered for {domain} without authority (no AA flag, {status}).' },
    'no-address': { message: 'Nameserver {nameserver} of {domain} has no address: {reason}.' },
  },
  run({ 'dns.zones': zones }, ctx) {
    const probed: Record<string, string> = {};
    for (const z of zones) {
      for (const ns of z.nameservers) {
        const base = { nameserver: ns.name, domain: z.domain };
        const location = { host: ns.name, record: `${z.domain} NS ${ns.name}` };
        if (ns.addressError) ctx.report({ code: 'no-address', args: { ...base, reason: ns.addressError }, location });
        for (const p of ns.probes) {
          const a = p.answer;
          if (isFailure(a)) {
            ctx.report({ code: 'no-answer', args: { ...base, server: p.server.replace(/ \(.*\)$/, ''), status: a.status, reason: a.message }, location });
            probed[p.server] = a.status;
          } else if (!a.authoritative || a.status !== 'ok') {
            ctx.report({ code: 'not-authoritative', args: { ...base, server: p.server.replace(/ \(.*\)$/, ''), status: a.status }, location });
            probed[p.server] = `${a.status}${a.authoritative ? ', authoritative' : ', not authoritative'}`;
          } else {
            probed[p.server] = 'authoritative';
          }
        }
      }
    }
    if (Object.keys(probed).length === 0 && zones.every((z) => z.nameservers.length === 0)) {
      ctx.notApplicable('no nameservers were found to probe (see single-nameserver)');
      return;
    }
    ctx.details({ probes: probed });
  },
});
