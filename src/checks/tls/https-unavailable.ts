// A surface that resolves must answer TLS on port 443: a closed or broken port is a site that is down over HTTPS.
import { defineCheck } from '../define.js';
import { location } from '../../derive/tls.js';

export default defineCheck({
  id: 'https-unavailable',
  area: 'tls',
  severity: 'critical',
  impact: 'availability',
  title: 'Every surface with an address answers HTTPS on port 443',
  description:
    'Browsers (HTTPS-first) and every API client connect to port 443: with nothing there, the surface is down for them.',
  remediation:
    'Serve HTTPS on port 443 for this host (add it to the load balancer/CDN with a certificate), or remove its DNS records if it is not meant to exist.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/TLS'],
  requires: ['tls.endpoints'],
  messages: {
    closed: { message: '{host} has an address ({addresses}) but port 443 refuses connections.' },
    'closed-undeclared': {
      message: '{host} has an address ({addresses}) but port 443 refuses connections.',
      severity: 'medium',
      whatBreaks: 'Anyone who tries the host over HTTPS gets a connection error; if the host is not meant to serve users, its DNS record is a leftover.',
    },
    'discovered-closed': {
      message: '{host} answers on a web port but not HTTPS on port 443 ({reason}). Nobody listed it: it may be internal.',
      severity: 'info',
      whatBreaks: 'Nothing, if the host is internal or a leftover; anyone who tries it over HTTPS gets an error.',
      remediation: 'Serve HTTPS on it if users reach it; otherwise remove its DNS records, or list it in the config so it is audited as intended.',
    },
    'handshake-failed': { message: 'The TLS handshake with {host} fails: {reason}.' },
    reset: { message: '{host} closes the connection during the TLS handshake: {reason}.' },
  },
  run({ 'tls.endpoints': endpoints }, ctx) {
    const statuses: Record<string, string> = {};
    for (const e of endpoints) {
      statuses[e.host] = e.status;
      const args = { host: e.host, addresses: e.addresses.length ? e.addresses : ['?'], reason: e.message ?? e.status };
      // A discovered host never fails this check: at most a note (nobody said it should serve users).
      if (e.discovered && e.status !== 'ok' && e.status !== 'no-address' && e.status !== 'handshake-failed') {
        ctx.report({ code: 'discovered-closed', args, location: location(e) });
        continue;
      }
      switch (e.status) {
        case 'ok':
        case 'no-address':
          break;
        case 'refused':
          ctx.report({ code: e.declared ? 'closed' : 'closed-undeclared', args, location: location(e) });
          break;
        case 'handshake-failed':
          ctx.report({ code: 'handshake-failed', args, location: location(e) });
          break;
        case 'reset':
          ctx.report({ code: 'reset', args, location: location(e) });
          break;
        default:
          ctx.unknown(`${e.host}: ${e.status}${e.message ? ` (${e.message})` : ''}`);
      }
    }
    if (endpoints.every((e) => e.status === 'no-address')) return ctx.notApplicable('no surface has an address');
    ctx.details({ port443: statuses });
  },
});
