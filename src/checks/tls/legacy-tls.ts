// TLS 1.0 and 1.1 were deprecated in 2021 (RFC 8996): a server that still accepts them allows downgrade attacks.
import { defineCheck } from '../define.js';
import { location } from '../../derive/tls.js';

export default defineCheck({
  id: 'legacy-tls',
  area: 'tls',
  severity: 'medium',
  impact: 'data-exposure',
  title: 'TLS 1.0 and 1.1 are refused',
  description:
    'Old protocol versions have known weaknesses (BEAST, weak ciphers, no AEAD) and fail PCI DSS and most security questionnaires; no current browser needs them.',
  remediation: 'Set the minimum protocol to TLS 1.2 (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`, or your CDN/load balancer\'s TLS policy).',
  references: ['https://www.rfc-editor.org/rfc/rfc8996', 'https://ssl-config.mozilla.org/'],
  requires: ['tls.endpoints'],
  messages: {
    'tls10-accepted': { message: '{host} still accepts TLS 1.0.' },
    'tls11-accepted': { message: '{host} still accepts TLS 1.1.' },
  },
  run({ 'tls.endpoints': endpoints }, ctx) {
    const seen: Record<string, Record<string, string>> = {};
    let judged = 0;
    for (const e of endpoints) {
      if (e.status !== 'ok') continue;
      judged++;
      seen[e.host] = Object.fromEntries(e.legacy.map((p) => [p.version, p.status]));
      for (const p of e.legacy) {
        if (p.status === 'accepted') {
          ctx.report({ code: p.version === 'TLSv1' ? 'tls10-accepted' : 'tls11-accepted', args: { host: e.host }, location: location(e) });
        } else if (p.status === 'untestable' || p.status === 'error') {
          // "Could not test" is not "refused".
          ctx.unknown(`${e.host}: ${p.version} ${p.status === 'untestable' ? 'could not be tested' : 'probe failed'}${p.message ? ` (${p.message})` : ''}`);
        }
      }
    }
    if (judged === 0) return ctx.notApplicable('no surface completed a TLS handshake (see tls.https-unavailable)');
    ctx.details({ legacyProtocols: seen });
  },
});
