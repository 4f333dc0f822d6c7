// The certificate must name the host it is served for (subjectAltName, wildcards per RFC 6125).
import { defineCheck } from '../define.js';
import { certName, handshaken, location, nameMatches, noneJudged } from '../../derive/tls.js';

export default defineCheck({
  id: 'cert-name-mismatch',
  area: 'tls',
  severity: 'critical',
  impact: 'availability',
  title: 'Certificates cover the host name they are served for',
  description:
    'Browsers show "Your connection is not private" (NET::ERR_CERT_COMMON_NAME_INVALID) and apps refuse to connect: the surface is unusable for everyone.',
  remediation:
    'Issue a certificate whose subjectAltName lists this exact host (or a wildcard one level up, e.g. *.example.com, which does not cover the apex), and make sure the server picks it for this name (SNI).',
  references: ['https://www.rfc-editor.org/rfc/rfc6125#section-6.4', 'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/TLS'],
  requires: ['tls.endpoints'],
  messages: {
    mismatch: { message: '{host} serves a certificate for {names}, which does not cover {host}.' },
    'no-san': {
      message: '{host} serves a certificate ("{cert}") with no subjectAltName DNS names: clients ignore the common name.',
    },
  },
  run({ 'tls.endpoints': endpoints }, ctx) {
    const none = noneJudged(endpoints);
    if (none) return ctx.notApplicable(none);
    const names: Record<string, string[]> = {};
    for (const e of handshaken(endpoints)) {
      const leaf = e.chain[0]!;
      names[e.host] = leaf.dnsNames;
      if (leaf.dnsNames.length === 0) {
        ctx.report({ code: 'no-san', args: { host: e.host, cert: certName(leaf) }, location: location(e) });
      } else if (!leaf.dnsNames.some((n) => nameMatches(n, e.host))) {
        ctx.report({ code: 'mismatch', args: { host: e.host, names: leaf.dnsNames.slice(0, 8) }, location: location(e) });
      }
    }
    ctx.details({ names });
  },
});
