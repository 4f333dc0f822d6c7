// The presented chain must lead to a trusted root: self-signed, unknown issuer and a missing intermediate all fail
// somewhere, and the missing intermediate fails only outside desktop browsers, which is why it survives testing.
import { defineCheck } from '../define.js';
import { handshaken, location, noneJudged } from '../../derive/tls.js';

export default defineCheck({
  id: 'untrusted-chain',
  area: 'tls',
  severity: 'critical',
  impact: 'availability',
  title: 'Certificate chains verify to a trusted root',
  description:
    'Clients that cannot build a chain to a root they trust refuse the connection: users see a security error and API clients fail.',
  remediation:
    'Serve the full chain (leaf then intermediates: the "fullchain.pem" of your CA, not "cert.pem") with a certificate from a public CA; for a private CA, audit with --ca <root.pem>.',
  references: ['https://www.ssllabs.com/ssltest/', 'https://whatsmychaincert.com/'],
  requires: ['tls.endpoints'],
  messages: {
    'self-signed': { message: '{host} serves a self-signed certificate: {reason}.' },
    'unknown-issuer': { message: 'The chain {host} serves does not lead to a trusted root: {reason}.' },
    incomplete: {
      message: 'The chain {host} serves is incomplete: {reason}.',
      whatBreaks:
        'Works in desktop Chrome (which fetches or caches the missing intermediate) and fails in Android and iOS apps, curl, server-to-server webhooks and many API clients: "unable to verify the first certificate".',
      remediation: 'Configure the server with the full chain file (leaf followed by the intermediate), e.g. Let\'s Encrypt\'s fullchain.pem, and reload it.',
    },
    'bad-signature': { message: 'The chain {host} serves does not verify: {reason}.' },
    empty: { message: '{host} completed a handshake without presenting a certificate.' },
  },
  run({ 'tls.endpoints': endpoints }, ctx) {
    const none = noneJudged(endpoints);
    if (none) return ctx.notApplicable(none);
    const anchors: Record<string, string> = {};
    for (const e of handshaken(endpoints)) {
      const t = e.trust;
      if (!t) {
        ctx.unknown(`${e.host}: the chain was not judged`);
        continue;
      }
      if (t.status === 'trusted') {
        anchors[e.host] = t.anchor;
        continue;
      }
      ctx.report({ code: t.status, args: { host: e.host, reason: t.detail }, location: location(e), ...(e.nodeVerifyError ? { evidence: `OpenSSL: ${e.nodeVerifyError}` } : {}) });
    }
    ctx.details({ trustedBy: anchors });
  },
});
