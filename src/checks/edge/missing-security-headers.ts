// HTML pages need the cheap protective headers: nosniff, frame protection against clickjacking, and no Referrer-Policy
// that leaks URLs. Judged as browsers apply them: ALLOW-FROM is ignored, <meta name=referrer> counts, and with no
// Referrer-Policy at all browsers already send only the origin cross-site.
import { defineCheck } from '../define.js';
import { htmlPages } from '../../derive/responses.js';
import { enforcedPolicies, framingRestricted } from '../../derive/csp.js';
import { metaPolicies } from '../../derive/html.js';
import { effectiveReferrerPolicy, leaksFullUrl, leaksOriginOnDowngrade } from '../../derive/referrer-policy.js';

/** Header values as a list (repeated headers arrive joined with ", "). */
function values(v: string | undefined): string[] {
  return (v ?? '').slice(0, 512).split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
}

/** X-Frame-Options as HTML's "check a navigation response's adherence to X-Frame-Options" reads it. */
function frameOptions(raw: string | undefined): 'protected' | 'none' | 'allow-from' | 'invalid' {
  const list = values(raw);
  if (list.length === 0) return 'none';
  const set = new Set(list);
  // Several different values that include a known one: browsers block framing altogether.
  if (set.size > 1) return [...set].some((v) => v === 'deny' || v === 'sameorigin' || v === 'allowall') ? 'protected' : 'invalid';
  const [only] = set;
  if (only === 'deny' || only === 'sameorigin') return 'protected';
  return only!.startsWith('allow-from') ? 'allow-from' : 'invalid';
}

export default defineCheck({
  id: 'missing-security-headers',
  area: 'edge',
  severity: 'low',
  impact: 'data-exposure',
  title: 'HTML pages send nosniff and frame protection, and no leaky Referrer-Policy',
  description: 'Browsers fall back to unsafe defaults: uploaded files can be sniffed into scripts, your pages can be framed by another site to trick clicks, and a loose Referrer-Policy leaks full URLs (with tokens in them) to other sites.',
  remediation: 'Send on every HTML response: `X-Content-Type-Options: nosniff`, `Content-Security-Policy: frame-ancestors \'self\'` (or `X-Frame-Options: DENY`), and `Referrer-Policy: strict-origin-when-cross-origin` (or stricter; leaving it out gives the same in current browsers).',
  references: ['https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring', 'https://owasp.org/www-project-secure-headers/', 'https://html.spec.whatwg.org/multipage/document-lifecycle.html#the-x-frame-options-header', 'https://w3c.github.io/webappsec-referrer-policy/'],
  requires: ['http.surfaces'],
  messages: {
    nosniff: { message: '{url} does not send X-Content-Type-Options: nosniff.', remediation: 'Send `X-Content-Type-Options: nosniff` on every response.' },
    'frame-protection': {
      message: '{url} can be framed by any site (no X-Frame-Options and no CSP frame-ancestors).',
      severity: 'medium',
      whatBreaks: 'Another site can load your page in an invisible frame and trick users into clicking buttons on it (clickjacking): payments, settings, account deletion.',
      remediation: "Send `Content-Security-Policy: frame-ancestors 'self'` (or `X-Frame-Options: DENY`).",
    },
    'frame-allow-from': {
      message: '{url} can be framed by any site: browsers ignore X-Frame-Options: {value} (ALLOW-FROM is no longer supported) and there is no CSP frame-ancestors.',
      severity: 'medium',
      whatBreaks: 'Another site can load your page in an invisible frame and trick users into clicking buttons on it (clickjacking).',
      remediation: "Replace ALLOW-FROM with `Content-Security-Policy: frame-ancestors 'self' https://partner.example`.",
    },
    'frame-invalid': {
      message: '{url} can be framed by any site: X-Frame-Options: {value} is not a value browsers know, and there is no CSP frame-ancestors.',
      severity: 'medium',
      whatBreaks: 'Another site can load your page in an invisible frame and trick users into clicking buttons on it (clickjacking).',
      remediation: "Send `X-Frame-Options: DENY` (or SAMEORIGIN), or `Content-Security-Policy: frame-ancestors 'self'`.",
    },
    'repeated-header': {
      message: '{url} sends {header} more than once ("{value}"): two layers set it. Browsers cope while the copies agree; the day they differ, the header stops doing what either layer meant.',
      impact: 'hygiene',
      remediation: 'Set the header in one place (the app or the proxy, not both).',
    },
    'referrer-policy': { message: '{url} sends {policy}: full URLs leak to other sites.', remediation: 'Send `Referrer-Policy: strict-origin-when-cross-origin` (or stricter).' },
    'referrer-origin': {
      message: '{url} uses {policy}: the origin is also sent to plain-HTTP sites, which the browsers\' default (strict-origin-when-cross-origin) does not do.',
      remediation: 'Send `Referrer-Policy: strict-origin-when-cross-origin` (or strict-origin, same-origin, no-referrer).',
    },
    'referrer-invalid': {
      message: '{url} sets a Referrer-Policy browsers ignore ({ignored}): whatever it meant is not applied, and the browser default strict-origin-when-cross-origin is used instead.',
      impact: 'hygiene',
      remediation: 'Send a value browsers know, e.g. `Referrer-Policy: strict-origin-when-cross-origin`.',
    },
  },
  run(facts, ctx) {
    const pages = htmlPages(facts['http.surfaces']);
    const referrers: Record<string, string> = {};
    for (const p of pages) {
      const location = { host: p.host, url: p.url };
      const h = p.headers;
      const repeated = (header: string, name: string) => {
        if (values(h[header]).length > 1) ctx.report({ code: 'repeated-header', args: { url: p.url, header: name, value: (h[header] ?? '').slice(0, 80) }, location, identity: `${p.url} ${header}` });
      };
      // Fetch's "determine nosniff": the first value decides.
      if (values(h['x-content-type-options'])[0] !== 'nosniff') ctx.report({ code: 'nosniff', args: { url: p.url }, location });
      else repeated('x-content-type-options', 'X-Content-Type-Options');
      const meta = metaPolicies(p.html);
      // frame-ancestors overrides X-Frame-Options; a <meta> policy cannot carry it.
      const restricted = framingRestricted(enforcedPolicies(h['content-security-policy']));
      const xfo = frameOptions(h['x-frame-options']);
      if (restricted === true) {
        // Protected by CSP: X-Frame-Options is moot.
      } else if (restricted === false || xfo === 'none') {
        ctx.report({ code: 'frame-protection', args: { url: p.url }, location });
      } else if (xfo === 'allow-from' || xfo === 'invalid') {
        ctx.report({ code: xfo === 'allow-from' ? 'frame-allow-from' : 'frame-invalid', args: { url: p.url, value: (h['x-frame-options'] ?? '').slice(0, 80) }, location });
      } else {
        repeated('x-frame-options', 'X-Frame-Options');
      }
      const rp = effectiveReferrerPolicy(h['referrer-policy'], meta.referrer);
      referrers[p.url] = `${rp.policy} (${rp.source})`;
      const policy = rp.source === 'meta' ? `<meta name="referrer" content="${rp.policy}">` : `Referrer-Policy: ${rp.policy}`;
      if (rp.source !== 'default' && leaksFullUrl(rp.policy)) ctx.report({ code: 'referrer-policy', args: { url: p.url, policy }, location });
      else if (rp.source !== 'default' && leaksOriginOnDowngrade(rp.policy)) ctx.report({ code: 'referrer-origin', args: { url: p.url, policy }, location });
      // An ignored header is reported (it is on every response and someone meant it); an ignored <meta> tag alone
      // changes nothing on a page that keeps the browsers' safe default.
      else if (rp.source === 'default' && rp.ignored.some((i) => i.startsWith('Referrer-Policy:'))) ctx.report({ code: 'referrer-invalid', args: { url: p.url, ignored: rp.ignored }, location });
    }
    if (pages.length === 0) ctx.notApplicable('no surface served an HTML page');
    ctx.details({ pages: pages.map((p) => p.url), referrerPolicy: referrers });
  },
});
