// HTML pages need a Content-Security-Policy that keeps injected scripts out: no inline scripts, no script from any
// host. Judged as browsers enforce it: every header policy (comma-joined ones too) and every <meta> policy applies.
import { enforcedPolicies, judgeScripts } from '../../derive/csp.js';
import { metaPolicies } from '../../derive/html.js';
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
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP', 'https://csp.withgoogle.com/docs/strict-csp.html', 'https://www.w3.org/TR/CSP3/'],
  requires: ['http.surfaces'],
  messages: {
    missing: { message: '{url} sends no Content-Security-Policy header.' },
    'report-only': { message: '{url} only sends Content-Security-Policy-Report-Only: nothing is enforced.' },
    unrestricted: { message: 'The Content-Security-Policy of {url} does not restrict scripts (no script-src or default-src).' },
    'unsafe-inline': { message: "The Content-Security-Policy of {url} allows inline scripts ('unsafe-inline' in {directive} without a nonce or hash)." },
    'any-host': {
      message: 'The Content-Security-Policy of {url} allows scripts from any host ({source} in {directive}): an attacker serves the script from a host of their own.',
      remediation: "List the hosts your scripts come from (or use nonces with 'strict-dynamic') instead of `*`, a bare scheme such as `https:` or `data:`, or `https://*`.",
    },
    'insecure-source': {
      message: 'The Content-Security-Policy of {url} allows scripts over a plain scheme ({source} in {directive}): anyone on the path can replace them.',
      severity: 'low',
      remediation: 'Use https:// for every script source.',
    },
    'unsafe-eval': {
      message: "The Content-Security-Policy of {url} allows 'unsafe-eval' in {directive}: injected strings can become code through eval().",
      severity: 'low',
      remediation: "Drop 'unsafe-eval' (replace eval/new Function in your code and libraries).",
    },
    'open-plugins': {
      message: 'The Content-Security-Policy of {url} lets <object> and <embed> load from anywhere (no object-src, and no default-src that limits it).',
      severity: 'low',
      remediation: "Add `object-src 'none'`.",
    },
    'duplicate-directive': {
      message: 'The Content-Security-Policy of {url} repeats {directives}: browsers ignore every repeat, so what it says is not enforced.',
      severity: 'low',
      remediation: 'Merge the repeated directives into one.',
    },
    'strict-dynamic-alone': {
      message: "The Content-Security-Policy of {url} uses 'strict-dynamic' without a nonce or hash: browsers then load no script at all.",
      severity: 'low',
      impact: 'availability',
      whatBreaks: 'Every script of the page is blocked in CSP3 browsers.',
      remediation: "Add a per-response nonce (`'nonce-<random>'`) or the scripts' hashes next to 'strict-dynamic'.",
    },
  },
  run(facts, ctx) {
    const pages = htmlPages(facts['http.surfaces']);
    for (const p of pages) {
      const location = { host: p.host, url: p.url };
      const args = { url: p.url };
      const policies = enforcedPolicies(p.headers['content-security-policy'], metaPolicies(p.html).csp);
      if (policies.length === 0) {
        ctx.report({ code: p.headers['content-security-policy-report-only'] ? 'report-only' : 'missing', args, location });
        continue;
      }
      const j = judgeScripts(policies);
      if (j.unrestricted) ctx.report({ code: 'unrestricted', args, location });
      else if (j.inline) ctx.report({ code: 'unsafe-inline', args: { ...args, directive: j.inline.directive }, location });
      else if (j.anyHost) ctx.report({ code: 'any-host', args: { ...args, ...j.anyHost }, location });
      else if (j.insecure) ctx.report({ code: 'insecure-source', args: { ...args, ...j.insecure }, location });
      if (!j.unrestricted && !j.inline && j.eval) ctx.report({ code: 'unsafe-eval', args: { ...args, directive: 'script-src' }, location });
      if (!j.unrestricted && !j.inline && !j.anyHost && j.pluginsOpen) ctx.report({ code: 'open-plugins', args, location });
      if (j.duplicates.length > 0) ctx.report({ code: 'duplicate-directive', args: { ...args, directives: j.duplicates }, location });
      if (j.strictDynamicAlone) ctx.report({ code: 'strict-dynamic-alone', args, location });
    }
    if (pages.length === 0) ctx.notApplicable('no surface served an HTML page');
    ctx.details({ pages: pages.map((p) => p.url) });
  },
});
