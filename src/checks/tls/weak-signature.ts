// Certificates signed with SHA-1 or MD5 are forgeable, and browsers reject them outright.
import { defineCheck } from '../define.js';
import { certName, handshaken, location, noneJudged, vouched } from '../../derive/tls.js';

export default defineCheck({
  id: 'weak-signature',
  area: 'tls',
  severity: 'high',
  impact: 'availability',
  title: 'Certificates are signed with SHA-256 or stronger',
  description:
    'Browsers reject SHA-1 and MD5 certificate signatures (NET::ERR_CERT_WEAK_SIGNATURE_ALGORITHM) and colliding signatures can be forged: the site fails for users or can be impersonated.',
  remediation: 'Have the certificate (and any intermediate) re-issued with a SHA-256 signature; every public CA does this by default.',
  references: ['https://shattered.io/', 'https://cabforum.org/working-groups/server/baseline-requirements/'],
  requires: ['tls.endpoints'],
  messages: {
    sha1: { message: 'The {role} certificate "{cert}" served by {host} is signed with SHA-1 ({algorithm}).' },
    md5: { message: 'The {role} certificate "{cert}" served by {host} is signed with MD5 ({algorithm}).', severity: 'critical' },
  },
  run({ 'tls.endpoints': endpoints }, ctx) {
    const none = noneJudged(endpoints);
    if (none) return ctx.notApplicable(none);
    const algorithms: Record<string, string> = {};
    for (const e of handshaken(endpoints)) {
      for (const { cert, role } of vouched(e)) {
        if (role === 'leaf') algorithms[e.host] = cert.signatureAlgorithm;
        const alg = cert.signatureAlgorithm.toLowerCase();
        const args = { host: e.host, role, cert: certName(cert), algorithm: cert.signatureAlgorithm };
        if (alg.includes('md5') || alg.includes('md2')) ctx.report({ code: 'md5', args, location: location(e) });
        else if (alg.includes('sha1')) ctx.report({ code: 'sha1', args, location: location(e) });
      }
    }
    ctx.details({ signatureAlgorithms: algorithms });
  },
});
