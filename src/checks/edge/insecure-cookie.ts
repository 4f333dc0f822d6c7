// Session-like cookies need Secure (never sent over plain HTTP), HttpOnly (out of reach of scripts) and SameSite;
// any other cookie still needs Secure. Load-balancer affinity cookies pick a backend and are left alone.
import { defineCheck } from '../define.js';
import { allResponses, parseSetCookie } from '../../derive/responses.js';
import { effectiveSameSite, isAffinityCookie, isSessionCookie } from '../../derive/cookies.js';

export default defineCheck({
  id: 'insecure-cookie',
  area: 'edge',
  severity: 'high',
  impact: 'auth',
  title: 'Session cookies are Secure, HttpOnly and SameSite',
  description: 'A session cookie without Secure travels in clear text on any plain-HTTP request (public Wi-Fi steals the session); without HttpOnly one XSS reads it; without SameSite other sites can ride on it (CSRF).',
  remediation: 'Set session and auth cookies with `Secure; HttpOnly; SameSite=Lax` (or Strict), and a `__Host-` prefix where the framework allows it.',
  references: ['https://developer.mozilla.org/en-US/docs/Web/HTTP/Cookies#security', 'https://owasp.org/www-community/controls/SecureCookieAttribute'],
  requires: ['http.surfaces', 'edge.http'],
  messages: {
    'no-secure': { message: 'The session cookie {cookie} set by {url} lacks the Secure attribute.' },
    'no-httponly': {
      message: 'The session cookie {cookie} set by {url} lacks HttpOnly: page scripts can read it.',
      severity: 'medium',
      remediation: 'Add `HttpOnly` to the cookie (the front end should never need to read a session token).',
    },
    'no-samesite': {
      message: 'The session cookie {cookie} set by {url} has no SameSite attribute{detail}.',
      severity: 'low',
      remediation: 'Add `SameSite=Lax` (or Strict); use `SameSite=None; Secure` only for cookies that must cross sites.',
    },
    'cookie-no-secure': {
      message: 'The cookie {cookie} set by {url} lacks the Secure attribute: it also travels over plain HTTP, where anyone on the path reads or replaces it.',
      severity: 'low',
      impact: 'data-exposure',
      whatBreaks: 'Whatever the cookie holds (preferences, tracking IDs, feature flags) is readable and forgeable on any plain-HTTP request to the domain.',
      remediation: 'Add `Secure` to every cookie an HTTPS site sets.',
    },
  },
  run(facts, ctx) {
    const responses = allResponses(facts['http.surfaces'], facts['edge.http']);
    const seen = new Set<string>();
    const names: string[] = [];
    for (const r of responses) {
      for (const raw of r.cookies) {
        const c = parseSetCookie(raw);
        if (c.deletion || isAffinityCookie(c.name)) continue;
        const key = `${r.host} ${c.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const args = { cookie: c.name, url: r.url };
        const location = { host: r.host, url: r.url };
        // Reported on HTTPS (where Secure costs nothing); over plain HTTP the insecure-http check already fails.
        const https = r.url.startsWith('https:');
        if (!isSessionCookie(c.name)) {
          if (!c.secure && https) ctx.report({ code: 'cookie-no-secure', args, location, identity: `${key} secure` });
          continue;
        }
        names.push(c.name);
        if (!c.secure && https) ctx.report({ code: 'no-secure', args, location, identity: `${key} secure` });
        if (!c.httpOnly && !/csrf|xsrf/i.test(c.name)) ctx.report({ code: 'no-httponly', args, location, identity: `${key} httponly` });
        const sameSite = effectiveSameSite(c);
        if (!sameSite) {
          // SameSite=True or a typo is ignored by browsers: the cookie behaves as if it had none.
          const detail = c.sameSite !== undefined ? ` that browsers accept (SameSite=${c.sameSite.slice(0, 20)} is not Strict, Lax or None, so it is ignored)` : '';
          ctx.report({ code: 'no-samesite', args: { ...args, detail }, location, identity: `${key} samesite` });
        } else if (sameSite === 'none' && !c.secure) {
          ctx.report({ code: 'no-samesite', args: { ...args, detail: ' that browsers accept (SameSite=None needs Secure)' }, location, identity: `${key} samesite` });
        }
      }
    }
    if (responses.length === 0) ctx.unknown('no HTTP response was received from any surface or endpoint');
    else if (seen.size === 0) ctx.notApplicable('no cookie was set on the responses seen');
    ctx.details({ sessionCookies: names });
  },
});
