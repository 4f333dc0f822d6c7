// Every surface users reach (apex, www and each declared host) must resolve to an address.
import { defineCheck } from '../define.js';
import { failureText, hostAddresses, hostChain, hostKnown } from '../../derive/dns.js';

export default defineCheck({
  id: 'unresolvable-host',
  area: 'dns',
  severity: 'high',
  impact: 'availability',
  title: 'Every public host resolves to an address',
  description:
    'Users, the mobile app and API clients get "server not found": sign-up pages, API calls and links in emails fail outright.',
  remediation:
    'Add an A/AAAA record (or a CNAME to your hosting provider) for the host at your DNS provider, or remove the host from the config if it is not part of the product.',
  references: ['https://www.rfc-editor.org/rfc/rfc1034#section-3.6'],
  requires: ['dns.hosts'],
  messages: {
    nxdomain: { message: '{host} does not exist in DNS (NXDOMAIN).' },
    'no-address': { message: '{host} exists but has no A or AAAA record.' },
    'surface-absent': {
      message: '{host} does not exist. It is a standard surface; declare your hosts in the config if you do not use it.',
      severity: 'info',
      whatBreaks: 'Nothing, if the product does not use this host; anything that calls it fails to connect.',
    },
  },
  run({ 'dns.hosts': hosts }, ctx) {
    const unknown: string[] = [];
    let resolved = 0;
    for (const h of hosts) {
      if (hostAddresses(h).length > 0) {
        resolved++;
        continue;
      }
      if (!hostKnown(h)) {
        unknown.push(failureText(h));
        continue;
      }
      // A broken CNAME chain is dangling-cname's finding; report the problem once.
      if (hostChain(h).length > 0) continue;
      const missing = h.a.status === 'nxdomain' || h.aaaa.status === 'nxdomain';
      const code = !missing ? 'no-address' : h.declared ? 'nxdomain' : 'surface-absent';
      ctx.report({ code, args: { host: h.name }, location: { host: h.name } });
    }
    ctx.details({ hosts: hosts.length, resolved });
    for (const u of unknown) ctx.unknown(u);
  },
});
