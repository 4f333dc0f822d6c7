// Session-like cookies need Secure (never sent over plain HTTP), HttpOnly (out of reach of scripts) and SameSite.
import { defineCheck } from '../define.js';
import { allResponses, isSessionCookie, parseSetCookie } from '../../derive/responses.js';

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
  },
  run(facts, ctx) {
    const responses = allResponses(facts['http.surfaces'], facts['edge.http']);
    const seen = new Set<string>();
    const names: string[] = [];
    for (const r of responses) {
      for (const raw of r.cookies) {
        const c = parseSetCookie(raw);
        if (c.deletion || !isSessionCookie(c.name)) continue;
        const key = `${r.host} ${c.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        names.push(c.name);
        const args = { cookie: c.name, url: r.url };
        const location = { host: r.host, url: r.url };
        // Reported on HTTPS (where Secure costs nothing); over plain HTTP the insecure-http check already fails.
        if (!c.secure && r.url.startsWith('https:')) ctx.report({ code: 'no-secure', args, location, identity: `${key} secure` });
        if (!c.httpOnly && !/csrf|xsrf/i.test(c.name)) ctx.report({ code: 'no-httponly', args, location, identity: `${key} httponly` });
        if (!c.sameSite) ctx.report({ code: 'no-samesite', args: { ...args, detail: '' }, location, identity: `${key} samesite` });
        else if (c.sameSite === 'none' && !c.secure) ctx.report({ code: 'no-samesite', args: { ...args, detail: ' that browsers accept (SameSite=None needs Secure)' }, location, identity: `${key} samesite` });
      }
    }
    if (responses.length === 0) ctx.unknown('no HTTP response was received from any surface or endpoint');
    else if (names.length === 0) ctx.notApplicable('no session-like cookie was set on the responses seen');
    ctx.details({ sessionCookies: names });
  },
});
