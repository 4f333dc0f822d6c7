// No redirect may send an HTTPS visitor back to plain HTTP.
import { defineCheck } from '../define.js';
import { chainsOf, pathText } from '../../derive/redirects.js';

export default defineCheck({
  id: 'https-downgrade',
  area: 'redirects',
  severity: 'high',
  impact: 'data-exposure',
  title: 'No redirect downgrades HTTPS to HTTP',
  description:
    'A visitor who arrived over HTTPS is sent to plain HTTP: cookies without the Secure flag and whatever they type next travel in clear text, and HSTS browsers refuse the hop.',
  remediation: 'Make the redirect target https:// (check absolute URLs built by the app behind a TLS-terminating proxy: trust X-Forwarded-Proto).',
  references: ['https://infosec.mozilla.org/guidelines/web_security#http-redirections'],
  requires: ['http.surfaces'],
  messages: {
    downgrade: { message: '{from} redirects to plain HTTP: {to}. Chain: {chain}.' },
  },
  run({ 'http.surfaces': surfaces }, ctx) {
    const reported = new Set<string>();
    for (const s of surfaces) {
      for (const { chain: c } of chainsOf(s)) {
        for (const h of c.hops) {
          if (!h.url.startsWith('https:') || !h.locationUrl?.startsWith('http:')) continue;
          if (reported.has(h.url)) continue;
          reported.add(h.url);
          ctx.report({ code: 'downgrade', args: { from: h.url, to: h.locationUrl, chain: pathText(c) }, location: { host: new URL(h.url).hostname, url: h.url } });
        }
      }
    }
  },
});
