// The derive readings behind the edge header checks: CSP policies as browsers combine them, Referrer-Policy
// resolution, cookie names and SameSite, and what a page's markup declares.
import { describe, expect, it } from 'vitest';
import { anyHostSource, enforcedPolicies, framingRestricted, judgeScripts } from '../../src/derive/csp.js';
import { effectiveSameSite, isAffinityCookie, isSessionCookie } from '../../src/derive/cookies.js';
import { metaPolicies, pageScripts } from '../../src/derive/html.js';
import { effectiveReferrerPolicy, headerReferrerPolicy, metaReferrerPolicy } from '../../src/derive/referrer-policy.js';
import { parseSetCookie } from '../../src/derive/responses.js';

describe('CSP as enforced', () => {
  it('recognises sources that match any host', () => {
    for (const s of ['*', 'https:', 'http:', 'data:', 'https://*', 'http://*:*']) expect(anyHostSource([s]), s).toBe(s);
    for (const s of ['https://cdn.test', '*.cdn.test', "'self'", 'https://*.cdn.test']) expect(anyHostSource([s]), s).toBeUndefined();
  });
  it('splits comma-joined policies and strips what meta may not carry', () => {
    const ps = enforcedPolicies("default-src 'none', script-src *", ["frame-ancestors 'none'; report-uri /r; sandbox; img-src 'self'"]);
    expect(ps.map((p) => [p.from, [...p.directives.keys()]])).toEqual([['header', ['default-src']], ['header', ['script-src']], ['meta', ['img-src']]]);
  });
  it('allows a script only when every policy does', () => {
    expect(judgeScripts(enforcedPolicies("script-src *, default-src 'self'")).anyHost).toBeUndefined();
    expect(judgeScripts(enforcedPolicies('script-src *, img-src x')).anyHost).toEqual({ directive: 'script-src', source: '*' });
    expect(judgeScripts(enforcedPolicies("script-src 'unsafe-inline'", ["default-src 'self'"])).inline).toBeUndefined();
    expect(judgeScripts(enforcedPolicies('img-src x')).unrestricted).toBe(true);
  });
  it("ignores host sources under 'strict-dynamic' and flags it without a nonce", () => {
    const j = judgeScripts(enforcedPolicies("script-src 'strict-dynamic' https:"));
    expect(j.anyHost).toBeUndefined();
    expect(j.strictDynamicAlone).toBe(true);
  });
  it('reads frame-ancestors from header policies only', () => {
    expect(framingRestricted(enforcedPolicies(undefined, ["frame-ancestors 'none'"]))).toBeUndefined();
    expect(framingRestricted(enforcedPolicies("frame-ancestors 'self'"))).toBe(true);
    expect(framingRestricted(enforcedPolicies('frame-ancestors *'))).toBe(false);
  });
});

describe('Referrer-Policy', () => {
  it('takes the last recognised header token', () => {
    expect(headerReferrerPolicy('no-referrer, whimsy')).toBe('no-referrer');
    expect(headerReferrerPolicy('No-Referrer, UNSAFE-URL')).toBe('unsafe-url');
    expect(headerReferrerPolicy('whimsy')).toBeUndefined();
  });
  it('reads a meta tag as one token with legacy keywords', () => {
    expect(metaReferrerPolicy('never')).toBe('no-referrer');
    expect(metaReferrerPolicy('no-referrer, same-origin')).toBeUndefined();
  });
  it('falls back to the browsers default', () => {
    expect(effectiveReferrerPolicy(undefined)).toEqual({ policy: 'strict-origin-when-cross-origin', source: 'default', ignored: [] });
    expect(effectiveReferrerPolicy('unsafe-url', ['same-origin'])).toMatchObject({ policy: 'same-origin', source: 'meta' });
  });
});

describe('cookies', () => {
  it('tells sessions from preferences and affinity', () => {
    for (const n of ['SESSIONID', 'connect.sid', 'sid', 'auth_token', 'remember_me', 'csrftoken', 'user', 'user_id', '__Host-session']) expect(isSessionCookie(n), n).toBe(true);
    for (const n of ['user_pref', 'remember_lang', 'theme', 'heroku-session-affinity', 'AWSALB', 'consider']) expect(isSessionCookie(n), n).toBe(false);
    expect(isAffinityCookie('ARRAffinity')).toBe(true);
  });
  it('ignores SameSite values browsers do not know', () => {
    expect(effectiveSameSite(parseSetCookie('a=b; SameSite=True'))).toBeUndefined();
    expect(effectiveSameSite(parseSetCookie('a=b; SameSite=LAX'))).toBe('lax');
  });
});

describe('page markup', () => {
  it('reads meta policies case- and space-insensitively, not in comments', () => {
    const html = `<meta http-equiv=" Content-SECURITY-Policy " content="default-src 'none'"><!-- <meta name="referrer" content="unsafe-url"> --><meta name=referrer content='same-origin'>`;
    expect(metaPolicies(html)).toEqual({ csp: ["default-src 'none'"], referrer: ['same-origin'] });
  });
  it('resolves scripts against the page, protocol-relative ones included', () => {
    const s = pageScripts('<script src="//cdn.test/a.js" integrity="sha384-x"></script><script src="/b.js"></script><script>inline()</script>', 'https://shop.test/');
    expect(s).toEqual([{ src: '//cdn.test/a.js', url: 'https://cdn.test/a.js', integrity: 'sha384-x' }, { src: '/b.js', url: 'https://shop.test/b.js' }]);
  });
});
