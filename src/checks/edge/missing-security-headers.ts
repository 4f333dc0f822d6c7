// HTML pages need the cheap protective headers: nosniff, frame protection against clickjacking, a Referrer-Policy.
import { defineCheck } from '../define.js';
import { htmlPages } from '../../derive/responses.js';
import { parseCsp } from '../../derive/csp.js';

export default defineCheck({
  id: 'missing-security-headers',
  area: 'edge',
  severity: 'low',
  impact: 'data-exposure',
  title: 'HTML pages send nosniff, frame protection and a Referrer-Policy',
  description: 'Browsers fall back to unsafe defaults: uploaded files can be sniffed into scripts, your pages can be framed by another site to trick clicks, and full URLs (with tokens in them) leak to other sites in the Referer header.',
  remediation: 'Send on every HTML response: `X-Content-Type-Options: nosniff`, `Content-Security-Policy: frame-ancestors \'self\'` (or `X-Frame-Options: DENY`), and `Referrer-Policy: strict-origin-when-cross-origin`.',
  references: ['https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring', 'https://owasp.org/www-project-secure-headers/'],
  requires: ['http.surfaces'],
  messages: {
    nosniff: { message: '{url} does not send X-Content-Type-Options: nosniff.', remediation: 'Send `X-Content-Type-Options: nosniff` on every response.' },
    'frame-protection': {
      message: '{url} can be framed by any site (no X-Frame-Options and no CSP frame-ancestors).',
      severity: 'medium',
      whatBreaks: 'Another site can load your page in an invisible frame and trick users into clicking buttons on it (clickjacking): payments, settings, account deletion.',
      remediation: "Send `Content-Security-Policy: frame-ancestors 'self'` (or `X-Frame-Options: DENY`).",
    },
    'referrer-policy': { message: '{url} sends {policy}: full URLs leak to other sites.', remediation: 'Send `Referrer-Policy: strict-origin-when-cross-origin` (or stricter).' },
  },
  run(facts, ctx) {
    const pages = htmlPages(facts['http.surfaces']);
    for (const p of pages) {
      const location = { host: p.host, url: p.url };
      const h = p.headers;
      if ((h['x-content-type-options'] ?? '').trim().toLowerCase() !== 'nosniff') ctx.report({ code: 'nosniff', args: { url: p.url }, location });
      const xfo = (h['x-frame-options'] ?? '').trim().toLowerCase();
      const ancestors = h['content-security-policy'] ? parseCsp(h['content-security-policy']).get('frame-ancestors') : undefined;
      const framed = ancestors ? ancestors.includes('*') : !(xfo === 'deny' || xfo === 'sameorigin');
      if (framed) ctx.report({ code: 'frame-protection', args: { url: p.url }, location });
      const rp = (h['referrer-policy'] ?? '').toLowerCase();
      // The last recognised token wins (browsers skip unknown ones).
      const last = rp.split(',').map((t) => t.trim()).filter(Boolean).pop();
      if (!last || last === 'unsafe-url' || last === 'no-referrer-when-downgrade') ctx.report({ code: 'referrer-policy', args: { url: p.url, policy: last ? `Referrer-Policy: ${last}` : 'no Referrer-Policy' }, location });
    }
    if (pages.length === 0) ctx.notApplicable('no surface served an HTML page');
    ctx.details({ pages: pages.map((p) => p.url) });
  },
});
