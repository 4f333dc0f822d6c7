// HTML pages need a Content-Security-Policy that does not allow inline scripts: the browser's last line against XSS.
import { allowsInlineScript, parseCsp } from '../../derive/csp.js';
import { htmlPages } from '../../derive/responses.js';
import { defineCheck } from '../define.js';

export default defineCheck({
  id: 'weak-content-security-policy',
  area: 'edge',
  severity: 'medium',
  impact: 'data-exposure',
  title: 'HTML pages send a Content-Security-Policy without inline scripts',
  description: 'One injected script (a comment, a profile field, a compromised third-party tag) runs with full access to your users\' sessions and data: nothing in the browser stops it.',
  remediation:
    "Send a `Content-Security-Policy` header with a `script-src` that lists your script origins and uses nonces or hashes instead of 'unsafe-inline' (e.g. `script-src 'self' 'nonce-<random>'; object-src 'none'; base-uri 'none'`). Start with Content-Security-Policy-Report-Only to find what breaks.",
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP', 'https://csp.withgoogle.com/docs/strict-csp.html'],
  requires: ['http.surfaces'],
  messages: {
    missing: { message: '{url} sends no Content-Security-Policy header.' },
    'report-only': { message: '{url} only sends Content-Security-Policy-Report-Only: nothing is enforced.' },
    'unsafe-inline': { message: "The Content-Security-Policy of {url} allows inline scripts ('unsafe-inline' in {directive} without a nonce or hash)." },
  },
  run(facts, ctx) {
    const pages = htmlPages(facts['http.surfaces']);
    for (const p of pages) {
      const location = { host: p.host, url: p.url };
      const policy = p.headers['content-security-policy'];
      if (!policy) {
        ctx.report({ code: p.headers['content-security-policy-report-only'] ? 'report-only' : 'missing', args: { url: p.url }, location });
        continue;
      }
      const csp = parseCsp(policy);
      if (allowsInlineScript(csp)) {
        const directive = csp.has('script-src-elem') ? 'script-src-elem' : csp.has('script-src') ? 'script-src' : csp.has('default-src') ? 'default-src' : 'no script-src or default-src';
        ctx.report({ code: 'unsafe-inline', args: { url: p.url, directive }, location });
      }
    }
    if (pages.length === 0) ctx.notApplicable('no surface served an HTML page');
    ctx.details({ pages: pages.map((p) => p.url) });
  },
});
