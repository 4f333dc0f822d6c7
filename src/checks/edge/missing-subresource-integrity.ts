// Scripts a page loads from another site carry an integrity hash, and no script comes over plain HTTP: a
// compromised CDN or an attacker on the path otherwise runs code in your users' sessions.
import { siteOf } from '../../derive/dns.js';
import { pageScripts } from '../../derive/html.js';
import { htmlPages } from '../../derive/responses.js';
import { defineCheck } from '../define.js';

export default defineCheck({
  id: 'missing-subresource-integrity',
  area: 'edge',
  severity: 'low',
  impact: 'data-exposure',
  title: 'Third-party scripts carry an integrity hash, and no script loads over HTTP',
  description: 'A script from another site runs with full access to your page: when that CDN or vendor is compromised (it has happened to polyfill.io and others), the attacker\'s code reads what your users type and see. Over plain HTTP anyone on the path can swap it.',
  remediation: 'Add `integrity="sha384-…"` and `crossorigin="anonymous"` to every <script> from another site (pin a version; generate the hash with `openssl dgst -sha384 -binary file.js | openssl base64 -A`), or self-host the script; load every script over https://.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/Security/Subresource_Integrity', 'https://www.w3.org/TR/SRI/'],
  requires: ['http.surfaces'],
  messages: {
    'no-integrity': { message: '{url} loads {count} script(s) from other sites without an integrity hash: {scripts}.' },
    'no-integrity-sensitive': {
      message: '{url} loads {count} script(s) from other sites without an integrity hash on a page with {sensitive}: {scripts}.',
      severity: 'medium',
      whatBreaks: 'A compromised script host reads the passwords and session data this page handles.',
    },
    'insecure-script': {
      message: '{url} is served over plain HTTP and loads script(s) over plain HTTP: {scripts} (an integrity hash does not make that safe: the page itself can be swapped).',
      severity: 'medium',
      remediation: 'Load every script over https:// (or from your own origin with a relative URL).',
    },
  },
  run(facts, ctx) {
    const pages = htmlPages(facts['http.surfaces']);
    const judged: Record<string, number> = {};
    for (const p of pages) {
      const location = { host: p.host, url: p.url };
      const scripts = pageScripts(p.html, p.url);
      judged[p.url] = scripts.length;
      const insecure = scripts.filter((s) => s.url.startsWith('http:'));
      // On an HTTPS page tls.mixed-content already reports (and browsers block) them.
      if (insecure.length > 0 && p.url.startsWith('http:')) ctx.report({ code: 'insecure-script', args: { url: p.url, scripts: insecure.slice(0, 5).map((s) => s.src) }, location });
      const site = siteOf(p.host);
      const foreign = scripts.filter((s) => !s.url.startsWith('http:') && !s.integrity && siteOf(new URL(s.url).hostname) !== site);
      if (foreign.length === 0) continue;
      const sensitive = /<input\b[^>]*type\s*=\s*["']?password/i.test(p.html) ? 'a password field' : /session|auth|token|sid/i.test(p.headers['set-cookie'] ?? '') ? 'a session cookie' : '';
      const args = { url: p.url, count: foreign.length, scripts: foreign.slice(0, 5).map((s) => s.src), ...(sensitive ? { sensitive } : {}) };
      ctx.report({ code: sensitive ? 'no-integrity-sensitive' : 'no-integrity', args, location });
    }
    if (pages.length === 0) ctx.notApplicable('no surface served an HTML page');
    ctx.details({ scriptsPerPage: judged });
  },
});
