// Key sizes that still resist factoring: RSA 2048 bits and EC 256 bits at least.
import { defineCheck } from '../define.js';
import { certName, handshaken, location, noneJudged, vouched } from '../../derive/tls.js';

export default defineCheck({
  id: 'weak-key',
  area: 'tls',
  severity: 'medium',
  impact: 'data-exposure',
  title: 'Certificate keys are at least RSA 2048 / EC 256 bits',
  description:
    'A short key can be broken by a well-funded attacker, who can then impersonate the site; browsers and public CAs already reject RSA keys under 2048 bits.',
  remediation: 'Generate a new key (RSA 2048+ or, better, ECDSA P-256) and have the certificate re-issued for it.',
  references: ['https://cabforum.org/working-groups/server/baseline-requirements/', 'https://www.keylength.com/'],
  requires: ['tls.endpoints'],
  messages: {
    'rsa-weak': { message: 'The {role} certificate "{cert}" served by {host} has a {bits}-bit RSA key (2048 bits is the minimum).' },
    'rsa-broken': {
      message: 'The {role} certificate "{cert}" served by {host} has a {bits}-bit RSA key: keys this short are breakable.',
      severity: 'critical',
    },
    'ec-weak': { message: 'The {role} certificate "{cert}" served by {host} has a {bits}-bit EC key (256 bits is the minimum).' },
  },
  run({ 'tls.endpoints': endpoints }, ctx) {
    const none = noneJudged(endpoints);
    if (none) return ctx.notApplicable(none);
    const keys: Record<string, string> = {};
    for (const e of handshaken(endpoints)) {
      for (const { cert, role } of vouched(e)) {
        if (role === 'leaf') keys[e.host] = `${cert.keyType.toUpperCase()} ${cert.keyBits ?? '?'}`;
        if (cert.keyBits === null) continue;
        const args = { host: e.host, role, cert: certName(cert), bits: cert.keyBits };
        if (cert.keyType === 'rsa' && cert.keyBits < 1024) ctx.report({ code: 'rsa-broken', args, location: location(e) });
        else if (cert.keyType === 'rsa' && cert.keyBits < 2048) ctx.report({ code: 'rsa-weak', args, location: location(e) });
        else if (cert.keyType === 'ec' && cert.keyBits < 256) ctx.report({ code: 'ec-weak', args, location: location(e) });
      }
    }
    ctx.details({ keys });
  },
});
