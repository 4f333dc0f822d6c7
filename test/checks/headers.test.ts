// Table tests for every headers-area check: one known-good product, each case changes one thing.
import { describe, expect, it } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import bundleSecret from '../../src/checks/edge/bundle-secret.js';
import errorPageLeak from '../../src/checks/edge/error-page-leak.js';
import exposedFile from '../../src/checks/edge/exposed-file.js';
import healthEndpoint from '../../src/checks/edge/health-endpoint.js';
import insecureCookie from '../../src/checks/edge/insecure-cookie.js';
import missingAuthRateLimit from '../../src/checks/edge/missing-auth-rate-limit.js';
import missingCacheValidators from '../../src/checks/edge/missing-cache-validators.js';
import missingSecurityHeaders from '../../src/checks/edge/missing-security-headers.js';
import originExposed from '../../src/checks/edge/origin-exposed.js';
import permissiveCors from '../../src/checks/edge/permissive-cors.js';
import privateResponseCaching from '../../src/checks/edge/private-response-caching.js';
import shortLivedStaticAsset from '../../src/checks/edge/short-lived-static-asset.js';
import weakContentSecurityPolicy from '../../src/checks/edge/weak-content-security-policy.js';
import missingSubresourceIntegrity from '../../src/checks/edge/missing-subresource-integrity.js';
import unprotectedCrossOriginResource from '../../src/checks/edge/unprotected-cross-origin-resource.js';
import versionBanner from '../../src/checks/edge/version-banner.js';
import exposedSourceMap from '../../src/checks/edge/exposed-source-map.js';
import type { ScriptSourceMap } from '../../src/facts/edge.js';
import { runCheck } from '../../src/run/audit.js';
import { checkTable } from '../helpers/check-tester.js';
import { apexPage, D, edgeSafetyFacts, edgeSurfaceOf, endpointOf, exposedProbe } from '../helpers/edge-safety-facts.js';

const c = (x: unknown) => x as AnyCheck;
const API = `api.${D}`;

describe('private-response-caching', () => {
  checkTable(c(privateResponseCaching), edgeSafetyFacts, [
    { name: 'private, no-store personalized pages pass', status: 'pass' },
    {
      name: 'a cookie-setting page marked public is critical',
      mutate: (f) => { apexPage(f)['cache-control'] = 'public, max-age=300'; },
      status: 'fail',
      findings: [{ code: 'shared-cacheable', host: D, severity: 'critical', message: /sets the cookie session.*public, max-age=300/ }],
    },
    {
      name: 'a cookie-setting page without Cache-Control is cacheable by default',
      mutate: (f) => { delete apexPage(f)['cache-control']; },
      status: 'fail',
      findings: [{ code: 'shared-cacheable-by-default', severity: 'critical', message: /no Cache-Control header/ }],
    },
    {
      name: 'a response varying by Cookie with s-maxage is critical',
      mutate: (f) => { const h = f['http.surfaces'][1]!.https.hops[0]!.headers; h['cache-control'] = 's-maxage=600'; h.vary = 'Accept-Encoding, Cookie'; },
      status: 'fail',
      findings: [{ code: 'shared-cacheable', host: API, message: /varies by Cookie/ }],
    },
    {
      name: 'an auth endpoint answer marked public is critical even without a cookie',
      mutate: (f) => { endpointOf(f, 'login').response!.headers['cache-control'] = 'public, max-age=60'; },
      status: 'fail',
      findings: [{ code: 'shared-cacheable', message: /auth endpoint "login"/ }],
    },
    {
      name: 'a CDN HIT on a personalized response is critical',
      mutate: (f) => { Object.assign(endpointOf(f, 'me').response!.headers, { 'cf-cache-status': 'HIT', age: '42' }); },
      status: 'fail',
      findings: [{ code: 'cdn-hit', severity: 'critical', message: /cf-cache-status: HIT/ }],
    },
    {
      name: 'an X-Cache hit on a cookie-setting page is critical',
      mutate: (f) => { Object.assign(apexPage(f), { 'x-cache': 'Hit from cloudfront' }); delete apexPage(f)['cf-cache-status']; },
      status: 'fail',
      findings: [{ code: 'cdn-hit', message: /x-cache: Hit from cloudfront/ }],
    },
    {
      name: 'a cached public read without cookies is fine',
      mutate: (f) => { endpointOf(f, 'products').response!.headers['cf-cache-status'] = 'HIT'; },
      status: 'pass',
    },
    {
      name: 'max-age on an Authorization request is not stored by shared caches',
      mutate: (f) => { endpointOf(f, 'me').response!.headers['cache-control'] = 'max-age=60'; },
      status: 'pass',
    },
    {
      name: 'no response at all is an error, never a pass',
      mutate: (f) => { f['http.surfaces'] = []; f['edge.http'] = { surfaces: [], endpoints: [] }; },
      status: 'error',
    },
  ]);
});

describe('missing-cache-validators', () => {
  checkTable(c(missingCacheValidators), edgeSafetyFacts, [
    { name: 'max-age and ETag pass', status: 'pass' },
    {
      name: 'no max-age and no validators is low',
      mutate: (f) => { endpointOf(f, 'products').response!.headers = { 'cache-control': 'public' }; },
      status: 'warn',
      findings: [{ code: 'no-validators', severity: 'low' }],
    },
    { name: 'ETag alone is enough', mutate: (f) => { endpointOf(f, 'products').response!.headers = { etag: '"1"' }; }, status: 'pass' },
    { name: 'not applicable without a cacheable endpoint', mutate: (f) => { endpointOf(f, 'products').cacheable = false; }, status: 'not-applicable' },
  ]);
});

describe('short-lived-static-asset', () => {
  checkTable(c(shortLivedStaticAsset), edgeSafetyFacts, [
    { name: 'immutable fingerprinted asset passes', status: 'pass' },
    {
      name: 'fingerprinted asset with max-age=300 is info',
      mutate: (f) => { edgeSurfaceOf(f, D).assets[0]!.headers['cache-control'] = 'public, max-age=300'; },
      status: 'warn',
      findings: [{ code: 'short-lived', severity: 'info' }],
    },
    { name: 'unhashed names are not judged', mutate: (f) => { edgeSurfaceOf(f, D).assets[0]!.url = `https://${D}/app.js`; }, status: 'not-applicable' },
  ]);
});

describe('weak-content-security-policy', () => {
  checkTable(c(weakContentSecurityPolicy), edgeSafetyFacts, [
    { name: 'nonce-based policy passes', status: 'pass' },
    { name: 'missing CSP is medium', mutate: (f) => { delete apexPage(f)['content-security-policy']; }, status: 'fail', findings: [{ code: 'missing', severity: 'medium', host: D }] },
    {
      name: 'unsafe-inline without nonce is flagged',
      mutate: (f) => { apexPage(f)['content-security-policy'] = "default-src 'self'; script-src 'self' 'unsafe-inline'"; },
      status: 'fail',
      findings: [{ code: 'unsafe-inline', message: /script-src/ }],
    },
    { name: "unsafe-inline next to a nonce is ignored by browsers", mutate: (f) => { apexPage(f)['content-security-policy'] = "object-src 'none'; script-src 'self' 'unsafe-inline' 'nonce-x'"; }, status: 'pass' },
    {
      name: 'report-only enforces nothing',
      mutate: (f) => { const h = apexPage(f); h['content-security-policy-report-only'] = h['content-security-policy']!; delete h['content-security-policy']; },
      status: 'fail',
      findings: ['report-only'],
    },
    { name: 'JSON API roots are not HTML pages', mutate: (f) => { delete f['http.surfaces'][1]!.https.hops[0]!.headers['content-security-policy']; }, status: 'pass' },
    ...([
      ['a bare https: scheme', "default-src 'none'; script-src https:", 'https:'],
      ['a bare http: scheme (CSP3 lets it match https too)', 'script-src http:', 'http:'],
      ['data:', 'script-src data:', 'data:'],
      ['*', "default-src 'none'; script-src *", '*'],
      ['https://*', "default-src 'none'; script-src https://*", 'https://*'],
      ['the default-src fallback', "default-src https://cdn.test https:", 'https:'],
    ] as const).map(([what, policy, source]) => ({
      name: `scripts from any host through ${what} are as bad as inline`,
      mutate: (f: ReturnType<typeof edgeSafetyFacts>) => { apexPage(f)['content-security-policy'] = policy; },
      status: 'fail' as const,
      findings: [{ code: 'any-host', severity: 'medium' as const, message: new RegExp(`any host \\(${source.replace(/[*.]/g, '\\$&')} in `) }],
    })),
    { name: "'strict-dynamic' makes browsers ignore host sources", mutate: (f) => { apexPage(f)['content-security-policy'] = "default-src 'none'; script-src 'strict-dynamic' 'nonce-x' https://*"; }, status: 'pass' },
    { name: "'unsafe-eval' alone is low", mutate: (f) => { apexPage(f)['content-security-policy'] = "default-src 'none'; script-src 'unsafe-eval'"; }, status: 'warn', findings: [{ code: 'unsafe-eval', severity: 'low' }] },
    { name: 'a named http:// script host is low', mutate: (f) => { apexPage(f)['content-security-policy'] = "default-src 'none'; script-src http://cdn.test"; }, status: 'warn', findings: [{ code: 'insecure-source', severity: 'low', message: /http:\/\/cdn\.test/ }] },
    { name: 'a policy without script-src or default-src restricts no script', mutate: (f) => { apexPage(f)['content-security-policy'] = 'upgrade-insecure-requests'; }, status: 'fail', findings: ['unrestricted'] },
    { name: 'an empty header restricts nothing', mutate: (f) => { apexPage(f)['content-security-policy'] = ''; }, status: 'fail', findings: ['unrestricted'] },
    { name: 'plugins unrestricted when scripts are locked is low', mutate: (f) => { apexPage(f)['content-security-policy'] = "script-src 'none'"; }, status: 'warn', findings: [{ code: 'open-plugins', severity: 'low' }] },
    { name: 'a repeated directive is low', mutate: (f) => { apexPage(f)['content-security-policy'] = "default-src 'none'; img-src 'self'; default-src 'self'"; }, status: 'warn', findings: [{ code: 'duplicate-directive', severity: 'low', message: /repeats default-src/ }] },
    { name: "'strict-dynamic' without a nonce blocks every script", mutate: (f) => { apexPage(f)['content-security-policy'] = "default-src 'none'; script-src 'strict-dynamic'"; }, status: 'warn', findings: [{ code: 'strict-dynamic-alone', severity: 'low' }] },
    {
      name: 'comma-joined policies are each enforced: one strict policy is enough',
      mutate: (f) => { apexPage(f)['content-security-policy'] = "default-src 'none'; style-src 'unsafe-inline', script-src 'unsafe-inline'"; },
      status: 'pass',
    },
    {
      name: 'a <meta> policy alone is enforced',
      mutate: (f) => { delete apexPage(f)['content-security-policy']; f['http.surfaces'][0]!.https.html = `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head></html>`; },
      status: 'pass',
    },
    {
      name: 'a <meta> policy tightens a loose header policy',
      mutate: (f) => { apexPage(f)['content-security-policy'] = "script-src 'unsafe-inline'"; f['http.surfaces'][0]!.https.html = `<meta http-equiv=" content-SECURITY-policy " content="default-src 'self'">`; },
      status: 'pass',
    },
    {
      name: 'a <meta> policy with only frame-ancestors restricts nothing (meta may not carry it)',
      mutate: (f) => { delete apexPage(f)['content-security-policy']; f['http.surfaces'][0]!.https.html = `<meta http-equiv="Content-Security-Policy" content="frame-ancestors 'none'">`; },
      status: 'fail',
      findings: ['unrestricted'],
    },
    {
      name: 'a <meta> policy inside a comment is not read',
      mutate: (f) => { delete apexPage(f)['content-security-policy']; f['http.surfaces'][0]!.https.html = `<!-- <meta http-equiv="Content-Security-Policy" content="default-src 'none'"> -->`; },
      status: 'fail',
      findings: ['missing'],
    },
  ]);
});

describe('missing-security-headers', () => {
  checkTable(c(missingSecurityHeaders), edgeSafetyFacts, [
    { name: 'all headers present pass', status: 'pass' },
    { name: 'no nosniff is low', mutate: (f) => { delete apexPage(f)['x-content-type-options']; }, status: 'warn', findings: [{ code: 'nosniff', severity: 'low' }] },
    {
      name: 'no frame protection is medium',
      mutate: (f) => { apexPage(f)['content-security-policy'] = "script-src 'self'"; },
      status: 'fail',
      findings: [{ code: 'frame-protection', severity: 'medium' }],
    },
    { name: 'X-Frame-Options DENY protects without frame-ancestors', mutate: (f) => { apexPage(f)['content-security-policy'] = "script-src 'self'"; apexPage(f)['x-frame-options'] = 'DENY'; }, status: 'pass' },
    { name: 'unsafe-url referrer policy is flagged', mutate: (f) => { apexPage(f)['referrer-policy'] = 'unsafe-url'; }, status: 'warn', findings: [{ code: 'referrer-policy', message: /sends Referrer-Policy: unsafe-url/ }] },
    { name: 'no Referrer-Policy at all is the browsers\' safe default', mutate: (f) => { delete apexPage(f)['referrer-policy']; }, status: 'pass' },
    { name: 'the last recognised Referrer-Policy token wins', mutate: (f) => { apexPage(f)['referrer-policy'] = 'unsafe-url, no-referrer, whimsy'; }, status: 'pass' },
    { name: 'a leaky last token wins over a strict first one', mutate: (f) => { apexPage(f)['referrer-policy'] = 'no-referrer, unsafe-url'; }, status: 'warn', findings: [{ code: 'referrer-policy', message: /unsafe-url/ }] },
    { name: 'origin sends the origin on downgrades too', mutate: (f) => { apexPage(f)['referrer-policy'] = 'origin-when-cross-origin'; }, status: 'warn', findings: [{ code: 'referrer-origin', severity: 'low' }] },
    { name: 'a Referrer-Policy browsers ignore is low', mutate: (f) => { apexPage(f)['referrer-policy'] = 'whimsy, whimsy2'; }, status: 'warn', findings: [{ code: 'referrer-invalid', severity: 'low', message: /whimsy, whimsy2/ }] },
    {
      name: 'a valid <meta name=referrer> overrides the header',
      mutate: (f) => { apexPage(f)['referrer-policy'] = 'unsafe-url'; f['http.surfaces'][0]!.https.html = '<meta name="referrer" content="same-origin">'; },
      status: 'pass',
    },
    {
      name: 'a <meta name=referrer> with a list is not a value HTML knows: the header stays',
      mutate: (f) => { apexPage(f)['referrer-policy'] = 'unsafe-url'; f['http.surfaces'][0]!.https.html = '<meta name="referrer" content="no-referrer, same-origin">'; },
      status: 'warn',
      findings: ['referrer-policy'],
    },
    { name: 'an ignored <meta name=referrer> alone leaves the safe default', mutate: (f) => { delete apexPage(f)['referrer-policy']; f['http.surfaces'][0]!.https.html = '<meta name="referrer" content="no-referrer, same-origin">'; }, status: 'pass' },
    {
      name: 'a leaky <meta name=referrer> alone is flagged',
      mutate: (f) => { delete apexPage(f)['referrer-policy']; f['http.surfaces'][0]!.https.html = '<meta name="referrer" content="always">'; },
      status: 'warn',
      findings: [{ code: 'referrer-policy', message: /<meta name="referrer" content="unsafe-url">/ }],
    },
    {
      name: 'X-Frame-Options ALLOW-FROM is ignored by browsers',
      mutate: (f) => { apexPage(f)['content-security-policy'] = "script-src 'self'"; apexPage(f)['x-frame-options'] = 'ALLOW-FROM https://partner.test'; },
      status: 'fail',
      findings: [{ code: 'frame-allow-from', severity: 'medium', message: /ignore X-Frame-Options: ALLOW-FROM/ }],
    },
    { name: 'an unknown X-Frame-Options value protects nothing', mutate: (f) => { apexPage(f)['content-security-policy'] = "script-src 'self'"; apexPage(f)['x-frame-options'] = 'whimsy'; }, status: 'fail', findings: ['frame-invalid'] },
    { name: 'frame-ancestors overrides X-Frame-Options', mutate: (f) => { apexPage(f)['x-frame-options'] = 'whimsy'; }, status: 'pass' },
    { name: 'frame-ancestors * protects nothing', mutate: (f) => { apexPage(f)['content-security-policy'] = "script-src 'self'; frame-ancestors *"; apexPage(f)['x-frame-options'] = 'DENY'; }, status: 'fail', findings: ['frame-protection'] },
    { name: 'frame-ancestors in a <meta> policy is ignored', mutate: (f) => { apexPage(f)['content-security-policy'] = "script-src 'self'"; f['http.surfaces'][0]!.https.html = `<meta http-equiv="Content-Security-Policy" content="frame-ancestors 'none'">`; }, status: 'fail', findings: ['frame-protection'] },
    { name: 'X-Frame-Options sent twice is low', mutate: (f) => { apexPage(f)['content-security-policy'] = "script-src 'self'"; apexPage(f)['x-frame-options'] = 'SAMEORIGIN, SAMEORIGIN'; }, status: 'warn', findings: [{ code: 'repeated-header', severity: 'low', message: /X-Frame-Options more than once/ }] },
    { name: 'nosniff sent twice still works, and is low', mutate: (f) => { apexPage(f)['x-content-type-options'] = 'nosniff, nosniff'; }, status: 'warn', findings: [{ code: 'repeated-header', message: /X-Content-Type-Options/ }] },
    { name: 'an unknown nosniff value is no nosniff', mutate: (f) => { apexPage(f)['x-content-type-options'] = 'whimsy'; }, status: 'warn', findings: ['nosniff'] },
  ]);
});

describe('permissive-cors', () => {
  checkTable(c(permissiveCors), edgeSafetyFacts, [
    { name: 'an allow-listed origin and a public wildcard pass', status: 'pass' },
    {
      name: 'reflected origin with credentials is high',
      mutate: (f) => { Object.assign(endpointOf(f, 'me').cors!.headers, { 'access-control-allow-origin': 'https://launch-ready-cors-probe.invalid', 'access-control-allow-credentials': 'true' }); },
      status: 'fail',
      findings: [{ code: 'reflected-credentials', severity: 'high', host: API }],
    },
    {
      name: 'wildcard with credentials is high',
      mutate: (f) => { endpointOf(f, 'products').cors!.headers['access-control-allow-credentials'] = 'true'; },
      status: 'fail',
      findings: [{ code: 'wildcard-credentials', severity: 'high' }],
    },
    {
      name: 'reflected origin without credentials is low',
      mutate: (f) => { const s = edgeSurfaceOf(f, API); s.cors!.headers['access-control-allow-origin'] = s.corsOrigin; delete s.cors!.headers['access-control-allow-credentials']; },
      status: 'warn',
      findings: [{ code: 'reflected-origin', severity: 'low' }],
    },
    {
      name: 'a preflight allowing any origin with credentials is high, once per URL',
      mutate: (f) => {
        const e = endpointOf(f, 'login');
        e.preflight = { ...e.response!, method: 'OPTIONS', status: 204, headers: { 'access-control-allow-origin': e.corsOrigin, 'access-control-allow-credentials': 'true' } };
      },
      status: 'fail',
      findings: [{ code: 'reflected-credentials', message: /login \(preflight\) echoes/ }],
    },
    {
      name: 'the same hole on GET and preflight is one finding',
      mutate: (f) => {
        const e = endpointOf(f, 'me');
        Object.assign(e.cors!.headers, { 'access-control-allow-origin': e.corsOrigin, 'access-control-allow-credentials': 'true' });
        e.preflight = { ...e.cors!, method: 'OPTIONS', status: 204 };
      },
      status: 'fail',
      findings: ['reflected-credentials'],
    },
    {
      name: 'null origin with credentials is high',
      mutate: (f) => { edgeSurfaceOf(f, API).cors!.headers['access-control-allow-origin'] = 'null'; },
      status: 'fail',
      findings: ['null-credentials'],
    },
  ]);
});

describe('insecure-cookie', () => {
  const everyCookie = (f: ReturnType<typeof edgeSafetyFacts>, value: string) => {
    for (const s of f['http.surfaces']) for (const ch of [s.https, s.http, s.probe]) for (const h of ch.hops) if (h.headers['set-cookie']) h.headers['set-cookie'] = value;
  };
  checkTable(c(insecureCookie), edgeSafetyFacts, [
    { name: 'Secure HttpOnly SameSite session cookie passes', status: 'pass' },
    {
      name: 'session cookie without Secure on HTTPS is high',
      mutate: (f) => { apexPage(f)['set-cookie'] = 'session=abc; Path=/; HttpOnly; SameSite=Lax'; },
      status: 'fail',
      findings: [{ code: 'no-secure', severity: 'high', host: D, message: /session/ }],
    },
    {
      name: 'session cookie without HttpOnly and SameSite',
      mutate: (f) => { apexPage(f)['set-cookie'] = 'session=abc; Path=/; Secure'; },
      status: 'fail',
      findings: [{ code: 'no-httponly', severity: 'medium' }, { code: 'no-samesite', severity: 'low' }],
    },
    {
      name: 'SameSite=None without Secure is flagged twice',
      mutate: (f) => { apexPage(f)['set-cookie'] = 'auth_token=abc; HttpOnly; SameSite=None'; },
      status: 'fail',
      findings: ['no-secure', { code: 'no-samesite', message: /SameSite=None needs Secure/ }],
    },
    {
      name: 'cookies set by an endpoint are judged too',
      mutate: (f) => { endpointOf(f, 'login').response!.cookies = ['sid=x; Path=/']; },
      status: 'fail',
      findings: ['no-secure', 'no-httponly', 'no-samesite'],
    },
    { name: 'a non-session cookie needs only Secure', mutate: (f) => { everyCookie(f, 'theme=dark; Path=/; Secure'); }, status: 'pass' },
    { name: 'a non-session cookie without Secure is low', mutate: (f) => { everyCookie(f, 'theme=dark; Path=/'); }, status: 'warn', findings: [{ code: 'cookie-no-secure', severity: 'low' }] },
    { name: 'preference names are not sessions', mutate: (f) => { everyCookie(f, 'user_pref=1; Path=/; Secure'); endpointOf(f, 'login').response!.cookies = ['remember_lang=en; Secure']; }, status: 'pass' },
    { name: 'load-balancer affinity cookies are left alone', mutate: (f) => { everyCookie(f, 'heroku-session-affinity=x; Path=/'); endpointOf(f, 'login').response!.cookies = ['AWSALB=x; Path=/']; }, status: 'not-applicable' },
    ...['True', 'Invalid', ''].map((v) => ({
      name: `SameSite=${v || '(empty)'} is ignored by browsers: as if missing`,
      mutate: (f: ReturnType<typeof edgeSafetyFacts>) => { apexPage(f)['set-cookie'] = `SESSIONID=x; Path=/; Secure; HttpOnly; SameSite=${v}`; },
      status: 'warn' as const,
      findings: [{ code: 'no-samesite', severity: 'low' as const, message: /is not Strict, Lax or None, so it is ignored/ }],
    })),
    { name: 'SameSite values are case-insensitive', mutate: (f) => { apexPage(f)['set-cookie'] = 'SESSIONID=x; Path=/; Secure; HttpOnly; SameSite=STRICT'; }, status: 'pass' },
    { name: 'remember-me and CSRF tokens are judged', mutate: (f) => { apexPage(f)['set-cookie'] = 'CSRFTOKEN=x; Path=/; Secure; HttpOnly'; }, status: 'warn', findings: ['no-samesite'] },
    { name: 'a deletion is not a live cookie', mutate: (f) => { everyCookie(f, 'session=; Max-Age=0; Path=/'); }, status: 'not-applicable' },
  ]);
});

describe('exposed-file', () => {
  const served = (path: string, body: string, extra: Record<string, unknown> = {}) => (f: ReturnType<typeof edgeSafetyFacts>) => {
    const p = exposedProbe(f, D, path);
    Object.assign(p.response, { status: 200, headers: { 'content-type': 'text/plain' }, body, bodyHash: `real-${path}`, bodyBytes: body.length, ...extra });
  };
  checkTable(c(exposedFile), edgeSafetyFacts, [
    { name: 'every probe 404 passes', status: 'pass' },
    {
      name: 'a served .env is critical and names variables, never values',
      mutate: served('/.env', 'DATABASE_URL=postgres://u:hunter2@db/x\nSTRIPE_KEY=sk_live_xxx\n'),
      status: 'fail',
      findings: [{ code: 'env', severity: 'critical', host: D, message: /2 variable\(s\): DATABASE_URL, STRIPE_KEY \(values not shown\)/ }],
    },
    { name: 'a served .git/config is critical', mutate: served('/.git/config', '[core]\n\trepositoryformatversion = 0\n'), status: 'fail', findings: [{ code: 'git', severity: 'critical' }] },
    { name: 'a served .git/HEAD is critical', mutate: served('/.git/HEAD', 'ref: refs/heads/main\n'), status: 'fail', findings: ['git'] },
    { name: 'a served .DS_Store is recognised by its magic', mutate: served('/.DS_Store', '', { magic: '0000000142756431' }), status: 'fail', findings: [{ code: 'config', severity: 'medium' }] },
    { name: 'a SQL dump is critical', mutate: served('/dump.sql', '-- PostgreSQL database dump\nCREATE TABLE users (id int);\n'), status: 'fail', findings: [{ code: 'dump', severity: 'critical' }] },
    { name: 'a phpMyAdmin login is medium', mutate: served('/phpmyadmin/', '<html><head><title>localhost / phpMyAdmin</title>'), status: 'fail', findings: [{ code: 'admin', severity: 'medium' }] },
    { name: 'server-status is high', mutate: served('/server-status', '<html><title>Apache Status</title><h1>Apache Server Status for shop</h1>'), status: 'fail', findings: [{ code: 'debug', severity: 'high' }] },
    {
      name: 'catch-all 200: the random path and .env get the same page',
      mutate: (f) => {
        const s = edgeSurfaceOf(f, D);
        Object.assign(s.notFound!, { status: 200, bodyHash: 'spa', body: 'API_URL=x' });
        Object.assign(exposedProbe(f, D, '/.env').response, { status: 200, bodyHash: 'spa', body: 'API_URL=x' });
      },
      status: 'pass',
    },
    {
      name: 'catch-all HTML shell with a different hash is still not a .env',
      mutate: served('/.env', '<!doctype html><html><div id="root"></div><script>window.X=1</script></html>'),
      status: 'pass',
    },
    {
      name: 'no answer to any probe is an error',
      mutate: (f) => { for (const s of f['edge.http'].surfaces) for (const p of s.exposed) { delete p.response.status; p.response.error = 'timeout'; } },
      status: 'error',
    },
  ]);
});

describe('missing-auth-rate-limit', () => {
  checkTable(c(missingAuthRateLimit), edgeSafetyFacts, [
    { name: 'limited at the 5th attempt passes', status: 'pass' },
    {
      name: 'never limited in 30 attempts is high',
      mutate: (f) => { endpointOf(f, 'login').rateLimit = { sent: 30, max: 30, limitedAt: null, statuses: Array(30).fill(401) as number[] }; },
      status: 'fail',
      findings: [{ code: 'never-limited', severity: 'high', message: /all 30 attempts.*401/ }],
    },
    {
      name: 'an advertised limit above the burst is low',
      mutate: (f) => { endpointOf(f, 'login').rateLimit = { sent: 30, max: 30, limitedAt: null, advertisedLimit: 100, statuses: [401] }; },
      status: 'warn',
      findings: [{ code: 'limit-not-reached', severity: 'low' }],
    },
    {
      name: 'an unconfirmed non-loopback host is an error, not a pass',
      mutate: (f) => { endpointOf(f, 'login').rateLimit = { sent: 0, max: 30, limitedAt: null, statuses: [], skipped: 'api.shop.test is not loopback and not listed in load.confirm' }; },
      status: 'error',
      error: /load\.confirm/,
      details: { probes: [{ name: 'login', sent: 0, skipped: 'api.shop.test is not loopback and not listed in load.confirm' }] },
    },
    { name: 'not applicable without opt-in', mutate: (f) => { delete endpointOf(f, 'login').rateLimit; }, status: 'not-applicable' },
    {
      name: 'never limited: located at the endpoint, each status named once',
      mutate: (f) => { endpointOf(f, 'login').rateLimit = { sent: 30, max: 30, limitedAt: null, statuses: [...Array(29).fill(401) as number[], 403] }; },
      status: 'fail',
      findings: [{
        code: 'never-limited', message: /^The auth endpoint "login" \(https:\/\/api\.shop\.test\/login\) answered all 30 attempts .*\(statuses: 401, 403\)\.$/,
        location: { host: 'api.shop.test', url: 'https://api.shop.test/login' },
        args: { name: 'login', url: 'https://api.shop.test/login', sent: 30, statuses: ['401', '403'] },
      }],
      details: { limitedAt: { login: null } },
    },
    {
      name: 'an advertised limit equal to the burst was not reached: low',
      mutate: (f) => { endpointOf(f, 'login').rateLimit = { sent: 30, max: 30, limitedAt: null, advertisedLimit: 30, statuses: [401] }; },
      status: 'warn',
      findings: [{ code: 'limit-not-reached', location: { host: 'api.shop.test', url: 'https://api.shop.test/login' }, args: { name: 'login', sent: 30, advertised: 30 } }],
    },
    {
      name: 'an advertised limit below the burst that never bit is never-limited',
      mutate: (f) => { endpointOf(f, 'login').rateLimit = { sent: 30, max: 30, limitedAt: null, advertisedLimit: 29, statuses: [401] }; },
      status: 'fail',
      findings: [{ code: 'never-limited', severity: 'high' }],
    },
    {
      name: 'a probe that failed before any limit is unknown, not never-limited',
      mutate: (f) => { endpointOf(f, 'login').rateLimit = { sent: 2, max: 30, limitedAt: null, statuses: [401, 401], error: 'ECONNRESET' }; },
      status: 'error',
      error: /^rate-limit probe of "login" failed after 2 request\(s\): ECONNRESET$/,
      details: { probes: [{ name: 'login', sent: 2, max: 30, limitedAt: null, signal: null, error: 'ECONNRESET' }] },
    },
    {
      name: 'an error recorded beside a seen limit still passes: the limit is what counts',
      mutate: (f) => { endpointOf(f, 'login').rateLimit = { sent: 3, max: 30, limitedAt: 3, signal: '429', statuses: [401, 401, 429], error: 'ECONNRESET' }; },
      status: 'pass',
      details: { limitedAt: { login: 3 }, probes: [{ name: 'login', limitedAt: 3, error: 'ECONNRESET' }] },
    },
  ]);
  it('reports limitedAt in details even when it passes', () => {
    const f = edgeSafetyFacts();
    const { outcome } = runCheck(c(missingAuthRateLimit), f, [], '2026-11-29');
    expect(outcome.status).toBe('pass');
    expect(outcome.details).toMatchObject({ limitedAt: { login: 5 }, probes: [{ name: 'login', sent: 5, limitedAt: 5, signal: '429' }] });
  });
});

describe('origin-exposed', () => {
  checkTable(c(originExposed), edgeSafetyFacts, [
    { name: 'apex and api behind Cloudflare pass', status: 'pass' },
    {
      name: 'an API answered by the origin is low',
      mutate: (f) => {
        f['dns.hosts'][1]!.a = { status: 'ok', addresses: ['127.0.0.1'], chain: [], finalName: API };
        f['dns.hosts'][1]!.aaaa = { status: 'nodata', addresses: [], chain: [], finalName: API };
        for (const ch of [f['http.surfaces'][1]!.https, f['http.surfaces'][1]!.http]) for (const h of ch.hops) { delete h.headers['cf-ray']; }
      },
      status: 'warn',
      findings: [{ code: 'origin-exposed', host: API, severity: 'low', message: /\(API\)/ }],
    },
    {
      name: 'assets without any cache status are noted',
      mutate: (f) => { const a = edgeSurfaceOf(f, D).assets[0]!; delete a.headers['cf-cache-status']; delete a.headers.age; },
      status: 'warn',
      findings: [{ code: 'uncached-assets', severity: 'info' }],
    },
  ]);
});

describe('health-endpoint', () => {
  checkTable(c(healthEndpoint), edgeSafetyFacts, [
    { name: 'fast uncached 200 passes', status: 'pass' },
    { name: 'a 503 is high', mutate: (f) => { endpointOf(f, 'health').response!.status = 503; }, status: 'fail', findings: [{ code: 'not-ok', severity: 'high' }] },
    { name: 'slow answers are medium', mutate: (f) => { endpointOf(f, 'health').response!.ms = 2500; }, status: 'fail', findings: [{ code: 'slow', message: /2500 ms/ }] },
    { name: 'a cacheable health answer is flagged', mutate: (f) => { endpointOf(f, 'health').response!.headers['cache-control'] = 'public, max-age=60'; }, status: 'fail', findings: ['cached'] },
    { name: 'versions are low', mutate: (f) => { endpointOf(f, 'health').response!.body = '{"status":"ok","version":"2.3.1"}'; }, status: 'warn', findings: [{ code: 'leaks-version', severity: 'low' }] },
    {
      name: 'a stack trace is medium',
      mutate: (f) => { endpointOf(f, 'health').response!.body = 'Error: db down\n    at Pool.connect (/app/node_modules/pg/lib/pool.js:45:11)\n'; },
      status: 'fail',
      findings: [{ code: 'leaks-stack', message: /Node\.js stack trace/ }],
    },
    { name: 'unreachable is high', mutate: (f) => { const r = endpointOf(f, 'health').response!; delete r.status; r.error = 'ECONNREFUSED'; }, status: 'fail', findings: ['unreachable'] },
    { name: 'no health endpoint among the configured ones is info', mutate: (f) => { endpointOf(f, 'health').health = false; }, status: 'warn', findings: [{ code: 'not-configured', severity: 'info' }] },
  ]);
});

describe('error-page-leak', () => {
  checkTable(c(errorPageLeak), edgeSafetyFacts, [
    { name: 'plain 404 pages pass', status: 'pass' },
    {
      name: 'a Django debug 404 is medium',
      mutate: (f) => { edgeSurfaceOf(f, D).notFound!.body = "<html>Page not found (404)... You're seeing this error because you have <code>DEBUG = True</code> in your Django settings"; },
      status: 'fail',
      findings: [{ code: 'debug-output', severity: 'medium', host: D, message: /Django debug page/ }],
    },
    {
      name: 'an endpoint error with a Python traceback',
      mutate: (f) => { endpointOf(f, 'login').response!.body = 'Traceback (most recent call last):\n  File "/app/views.py", line 3'; },
      status: 'fail',
      findings: [{ code: 'debug-output', message: /Python traceback/ }],
    },
  ]);
});

describe('bundle-secret', () => {
  const secret = { url: `https://${D}/app.3f9a1c2b.js`, ruleId: 'stripe-live-secret-key', description: 'Stripe live secret or restricted key', masked: 'sk_l…[redacted, 32 chars]', secretId: 'abc', line: 3, evidence: 'const k = "sk_l…[redacted, 32 chars]"' };
  checkTable(c(bundleSecret), edgeSafetyFacts, [
    { name: 'a bundle without secrets passes', status: 'pass' },
    {
      name: 'a live key in a bundle is critical',
      mutate: (f) => { edgeSurfaceOf(f, D).bundleSecrets.push({ ...secret, severity: 'critical' }); },
      status: 'fail',
      findings: [{ code: 'secret', severity: 'critical', host: D, message: /Stripe live secret or restricted key \(sk_l…\[redacted, 32 chars\]\) on line 3/ }],
    },
    { name: 'a lower-severity token is medium', mutate: (f) => { edgeSurfaceOf(f, D).bundleSecrets.push({ ...secret, severity: 'low' }); }, status: 'fail', findings: [{ code: 'token', severity: 'medium' }] },
    { name: 'no script at all is not applicable', mutate: (f) => { edgeSurfaceOf(f, D).assets = []; }, status: 'not-applicable' },
  ]);
});

describe('missing-subresource-integrity', () => {
  const html = (body: string) => (f: ReturnType<typeof edgeSafetyFacts>) => { f['http.surfaces'][0]!.https.html = body; };
  const cookieless = (body: string) => (f: ReturnType<typeof edgeSafetyFacts>) => { html(body)(f); delete apexPage(f)['set-cookie']; };
  const SRI = 'integrity="sha384-abc" crossorigin="anonymous"';
  checkTable(c(missingSubresourceIntegrity), edgeSafetyFacts, [
    { name: 'same-origin scripts need no hash', status: 'pass' },
    { name: 'a same-site script on another host is not third-party', mutate: html(`<script src="https://static.${D}/a.js"></script>`), status: 'pass' },
    { name: 'a protocol-relative same-site script takes the page\'s https', mutate: html(`<script src="//www.${D}/a.js"></script>`), status: 'pass' },
    { name: 'a third-party script with a hash passes', mutate: html(`<script src="https://cdn.vendor.test/lib.js" ${SRI}></script>`), status: 'pass' },
    { name: 'a third-party script without a hash is low', mutate: cookieless('<script src="https://cdn.vendor.test/lib.js"></script>'), status: 'warn', findings: [{ code: 'no-integrity', severity: 'low', message: /cdn\.vendor\.test\/lib\.js/ }] },
    { name: 'a protocol-relative third-party script without a hash is low', mutate: cookieless('<script src="//cdn.vendor.test/lib.js"></script>'), status: 'warn', findings: ['no-integrity'] },
    { name: 'on a page that sets a session cookie it is medium', mutate: html('<script src="https://cdn.vendor.test/lib.js"></script>'), status: 'fail', findings: [{ code: 'no-integrity-sensitive', message: /a session cookie/ }] },
    {
      name: 'on a page with a password field it is medium',
      mutate: html('<form><input type="password" name="pw"></form><script src="https://cdn.vendor.test/lib.js"></script>'),
      status: 'fail',
      findings: [{ code: 'no-integrity-sensitive', severity: 'medium', message: /a password field/ }],
    },
    { name: 'a commented-out script is not loaded', mutate: html('<!-- <script src="https://cdn.vendor.test/lib.js"></script> -->'), status: 'pass' },
    {
      name: 'an http: script on a plain-HTTP page is medium even with a hash',
      mutate: (f) => { const s0 = f['http.surfaces'][0]!; s0.http = { ...s0.https, start: `http://${D}/`, finalUrl: `http://${D}/`, hops: [{ ...s0.https.hops[0]!, url: `http://${D}/` }], html: `<script src="http://cdn.vendor.test/lib.js" ${SRI}></script>` }; },
      status: 'fail',
      findings: [{ code: 'insecure-script', severity: 'medium' }],
    },
    { name: 'an http: script on an HTTPS page is left to tls.mixed-content', mutate: html(`<script src="http://cdn.vendor.test/lib.js" ${SRI}></script>`), status: 'pass' },
    { name: 'no HTML page is not applicable', mutate: (f) => { for (const s0 of f['http.surfaces']) for (const ch of [s0.https, s0.http]) for (const h of ch.hops) h.headers['content-type'] = 'application/json'; }, status: 'not-applicable' },
  ]);
});

describe('unprotected-cross-origin-resource', () => {
  const withCorp = (f: ReturnType<typeof edgeSafetyFacts>) => {
    for (const e of f['edge.http'].endpoints) for (const r of [e.response, e.cors]) if (r) r.headers['cross-origin-resource-policy'] = 'same-origin';
  };
  checkTable(c(unprotectedCrossOriginResource), () => { const f = edgeSafetyFacts(); withCorp(f); return f; }, [
    { name: 'credentialed answers with CORP pass', status: 'pass' },
    {
      name: 'a credentialed API answer without CORP is low',
      mutate: (f) => { const e = endpointOf(f, 'me'); for (const r of [e.response, e.cors]) delete r!.headers['cross-origin-resource-policy']; },
      status: 'warn',
      findings: [{ code: 'missing', severity: 'low', message: /carried authorization/ }],
    },
    { name: 'a public answer needs none', mutate: (f) => { delete endpointOf(f, 'products').response!.headers['cross-origin-resource-policy']; }, status: 'pass' },
    { name: 'an unknown value is ignored by browsers', mutate: (f) => { endpointOf(f, 'products').response!.headers['cross-origin-resource-policy'] = 'whimsy'; }, status: 'warn', findings: [{ code: 'invalid', message: /whimsy/ }] },
    { name: 'two values are one invalid value', mutate: (f) => { endpointOf(f, 'products').response!.headers['cross-origin-resource-policy'] = 'same-origin, cross-origin'; }, status: 'warn', findings: ['invalid'] },
  ]);
});

describe('version-banner', () => {
  checkTable(c(versionBanner), edgeSafetyFacts, [
    { name: 'no versions advertised passes', status: 'pass' },
    { name: 'a bare product name is fine', mutate: (f) => { apexPage(f).server = 'nginx'; }, status: 'pass' },
    {
      name: 'Server and X-Powered-By with versions are one low finding per host',
      mutate: (f) => { Object.assign(apexPage(f), { server: 'nginx/1.25.3', 'x-powered-by': 'PHP/8.1.2' }); },
      status: 'warn',
      findings: [{ code: 'banner', severity: 'low', host: D, message: /server: nginx\/1\.25\.3, x-powered-by: PHP\/8\.1\.2/ }],
    },
  ]);
});

describe('exposed-source-map', () => {
  const SCRIPT = `https://${D}/app.3f9a1c2b.js`;
  const found = (extra: Partial<ScriptSourceMap> = {}, map: Partial<NonNullable<ScriptSourceMap['map']>> = {}): ScriptSourceMap => ({
    script: SCRIPT, via: 'comment', url: `${SCRIPT}.map`, inline: false, outcome: 'map', status: 200, bytes: 5120, truncated: false, secrets: [],
    map: { version: 3, sources: 2, withContent: 2, sample: ['webpack://shop/src/main.ts', 'webpack://shop/src/api.ts'], ...map },
    ...extra,
  });
  const only = (...maps: ScriptSourceMap[]) => (f: ReturnType<typeof edgeSafetyFacts>) => { edgeSurfaceOf(f, D).sourceMaps = maps; };
  const secret = { source: 'webpack://shop/src/config.ts', line: 4, ruleId: 'stripe-live-secret-key', description: 'Stripe live secret or restricted key', masked: 'sk_l…[redacted, 32 chars]', secretId: 'abc' };
  checkTable(c(exposedSourceMap), edgeSafetyFacts, [
    { name: 'a bundle whose .map is a 404 passes', status: 'pass' },
    {
      name: 'a map with the original text is medium',
      mutate: only(found()),
      status: 'fail',
      findings: [{ code: 'source-content', severity: 'medium', host: D, message: /^https:\/\/shop\.test\/app\.3f9a1c2b\.js\.map, the source map of https:\/\/shop\.test\/app\.3f9a1c2b\.js, publishes the full original text of 2 of 2 source file\(s\) \(e\.g\. webpack:\/\/shop\/src\/main\.ts, webpack:\/\/shop\/src\/api\.ts\)\.$/ }],
    },
    {
      name: 'a map with source paths only is low',
      mutate: only(found({}, { withContent: 0, sources: 40 })),
      status: 'warn',
      findings: [{ code: 'source-paths', severity: 'low', message: /lists the paths of 40 source file\(s\), without their text/ }],
    },
    { name: 'a map named by the SourceMap header says so', mutate: only(found({ via: 'header', url: `https://${D}/maps/app.map` })), status: 'fail', findings: [{ code: 'source-content', message: /\/maps\/app\.map, .*\(named by the SourceMap header\)/ }] },
    { name: 'a map named by X-SourceMap says so', mutate: only(found({ via: 'x-header' })), status: 'fail', findings: [{ code: 'source-content', message: /named by the X-SourceMap header/ }] },
    { name: 'a map found only at <script>.map says so', mutate: only(found({ via: 'guess' })), status: 'fail', findings: [{ code: 'source-content', message: /\(next to https:\/\/shop\.test\/app\.3f9a1c2b\.js\)/ }] },
    { name: 'an inline data: map counts too', mutate: only(found({ inline: true, url: SCRIPT })), status: 'fail', findings: [{ code: 'source-content', message: /^https:\/\/shop\.test\/app\.3f9a1c2b\.js carries its source map inline and publishes/ }] },
    {
      name: 'all maps of one host are one problem: the worst map sets the code, each place says what it holds',
      mutate: only(found(), found({ script: `https://${D}/vendor.js`, url: `https://${D}/vendor.js.map` }, { withContent: 0 })),
      status: 'fail',
      findings: [{ code: 'source-content', host: D, message: /full original text/ }, { code: 'source-content', host: D, message: /vendor\.js\.map, .* lists the paths of 2 source file\(s\)/ }],
    },
    {
      name: 'a map on another host of the site is that host\'s problem',
      mutate: only(found({ script: `https://static.${D}/app.js`, url: `https://static.${D}/app.js.map` }, { withContent: 0 })),
      status: 'warn',
      findings: [{ code: 'source-paths', host: `static.${D}` }],
    },
    {
      name: 'the same map reached from two pages is one place',
      mutate: (f) => { only(found())(f); edgeSurfaceOf(f, API).sourceMaps = [found()]; },
      status: 'fail',
      findings: ['source-content'],
    },
    {
      name: 'a live key in the original source is critical, and named masked',
      mutate: only(found({ secrets: [{ ...secret, severity: 'critical' }] })),
      status: 'fail',
      findings: [{ code: 'secret-in-source', severity: 'critical', message: /the source holds Stripe live secret or restricted key \(sk_l…\[redacted, 32 chars\]\) in webpack:\/\/shop\/src\/config\.ts:4/ }],
    },
    {
      name: 'a key the bundle itself ships is bundle-secret\'s: only mentioned here',
      mutate: (f) => {
        only(found({ secrets: [{ ...secret, severity: 'critical' }] }))(f);
        edgeSurfaceOf(f, D).bundleSecrets.push({ url: SCRIPT, ruleId: secret.ruleId, description: secret.description, severity: 'critical', masked: secret.masked, secretId: 'abc', line: 1, evidence: '' });
      },
      status: 'fail',
      findings: [{ code: 'source-content', severity: 'medium', message: /the source holds Stripe live/ }],
    },
    { name: 'a low-severity token is mentioned, not escalated', mutate: only(found({ secrets: [{ ...secret, severity: 'medium' }] })), status: 'fail', findings: [{ code: 'source-content', severity: 'medium', message: /the source holds/ }] },
    { name: 'a map cut at the size cap says its counts are partial', mutate: only(found({ truncated: true, bytes: 8_388_608 }, { partial: true })), status: 'fail', findings: ['source-content'] },
    { name: 'an SPA fallback page at .map is not a map', mutate: only(found({ outcome: 'html', via: 'guess', map: undefined } as Partial<ScriptSourceMap>)), status: 'pass' },
    { name: 'non-JSON or other JSON at .map is not a map', mutate: only(found({ outcome: 'not-json', map: undefined }), found({ outcome: 'not-a-map', map: undefined, url: `${SCRIPT}.2.map` })), status: 'pass' },
    { name: 'a map on another site is not fetched nor judged', mutate: only(found({ outcome: 'other-site', url: 'https://maps.vendor.test/app.map', map: undefined })), status: 'pass' },
    { name: 'no same-site script at all is not applicable', mutate: only(), status: 'not-applicable' },
    { name: 'no script could be fetched is an error', mutate: only(found({ outcome: 'no-script', error: 'timeout', status: undefined, map: undefined })), status: 'error', error: /no script could be fetched/ },
    { name: 'no map request answered is an error', mutate: only(found({ outcome: 'error', error: 'reset', status: undefined, map: undefined })), status: 'error', error: /no source map request got an answer/ },
  ]);

  it('evidence says what was read, never the source', () => {
    const f = edgeSafetyFacts();
    edgeSurfaceOf(f, D).sourceMaps = [found({ truncated: true, bytes: 8_388_608 }, { partial: true })];
    const { findings, outcome } = runCheck(c(exposedSourceMap), f, [], f.target.now.slice(0, 10));
    expect(findings[0]!.evidence).toBe('8388608+ bytes, version 3, 2 source(s), 2 with content (cut at the size cap: counts of the part read)');
    expect(outcome.details).toMatchObject({ scripts: 1, maps: 1, inline: 0, outcomes: { map: 1 } });
  });
});
