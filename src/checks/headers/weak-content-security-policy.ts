// HTML pages need a Content-Security-Policy that does not allow inline scripts: the browser's last line against XSS.
import type { HttpSurface } from '../../facts/http.js';
import { defineCheck } from '../define.js';
import { htmlPages } from './common.js';

/** Directive name to its source list, from a policy (untrusted: cut first). */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.slice(0, 4096).split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), sources.map((s) => s.toLowerCase()));
  }
  return out;
}

/** Whether the policy lets inline scripts run: 'unsafe-inline' counts unless a nonce, hash or strict-dynamic overrides it. */
export function allowsInlineScript(csp: Map<string, string[]>): boolean {
  const sources = csp.get('script-src-elem') ?? csp.get('script-src') ?? csp.get('default-src');
  if (!sources) return true;
  if (!sources.includes("'unsafe-inline'")) return false;
  // CSP2+: a nonce or hash makes browsers ignore 'unsafe-inline'.
  return !sources.some((s) => s.startsWith("'nonce-") || /^'sha(256|384|512)-/.test(s) || s === "'strict-dynamic'");
}

export default defineCheck({
  id: 'weak-content-security-policy',
  area: 'headers',
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
    const pages = htmlPages(facts['http.surfaces'] as HttpSurface[]);
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
