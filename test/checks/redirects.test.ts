// Table tests for the redirect checks: one known-good product, each case changes one chain.
import { describe } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import droppedPath from '../../src/checks/redirects/dropped-path.js';
import httpsDowngrade from '../../src/checks/redirects/https-downgrade.js';
import insecureHttp from '../../src/checks/redirects/insecure-http.js';
import nonCanonicalOrigin from '../../src/checks/redirects/non-canonical-origin.js';
import offDomainRedirect from '../../src/checks/redirects/off-domain-redirect.js';
import redirectLoop from '../../src/checks/redirects/redirect-loop.js';
import type { FactMap } from '../../src/facts/index.js';
import type { RedirectChain } from '../../src/facts/http.js';
import { checkTable } from '../helpers/check-tester.js';
import { chain, D, edgeFacts, hop, sf } from '../helpers/edge-facts.js';

const c = (x: unknown) => x as AnyCheck;
const P = '/launch-ready/path-probe?lr=1';
const set = (label: string, which: 'http' | 'https' | 'probe', ch: RedirectChain) => (f: FactMap) => { sf(f, label)[which] = ch; };
const refused = (url: string): RedirectChain => ({ start: url, hops: [{ url, headers: {}, error: { kind: 'refused', message: 'ECONNREFUSED' } }], outcome: 'error' });
const noAddress = (f: FactMap) => {
  const s = sf(f, 'api');
  for (const k of ['http', 'https', 'probe'] as const) s[k] = { start: s[k].start, hops: [{ url: s[k].start, headers: {}, error: { kind: 'no-address', message: 'none' } }], outcome: 'error' };
};

describe('insecure-http', () => {
  checkTable(c(insecureHttp), edgeFacts, [
    { name: 'http → https with 301 passes', status: 'pass' },
    { name: 'page served over plain HTTP', mutate: set('api', 'http', chain([`http://api.${D}/`])), status: 'fail', findings: [{ code: 'served-over-http', host: 'api.shop.test', severity: 'high', message: /status 200/ }] },
    { name: 'redirect that stays on http ends on an http page', mutate: set('@', 'http', chain([`http://${D}/`, `http://${D}/home`])), status: 'fail', findings: ['served-over-http'] },
    { name: '302 upgrade is low', mutate: set('@', 'http', chain([`http://${D}/`, `https://${D}/`], { status: 302 })), status: 'warn', findings: [{ code: 'temporary-redirect', severity: 'low', message: /temporary 302/ }] },
    { name: '308 upgrade passes', mutate: set('@', 'http', chain([`http://${D}/`, `https://${D}/`], { status: 308 })), status: 'pass' },
    {
      name: 'a first hop to another host over https never sets this host\'s HSTS',
      mutate: set('api', 'http', chain([`http://api.${D}/`, `https://www.${D}/`])),
      status: 'fail',
      findings: [{ code: 'first-hop', severity: 'medium', host: 'api.shop.test', message: /first redirects to https:\/\/www\.shop\.test\/ instead of https:\/\/api\.shop\.test\// }],
    },
    { name: 'a first hop to another host over http', mutate: set('api', 'http', chain([`http://api.${D}/`, `http://www.${D}/`, `https://www.${D}/`])), status: 'fail', findings: ['first-hop'] },
    { name: 'a first hop to the parent domain with includeSubDomains HSTS is covered', mutate: set('www', 'http', chain([`http://www.${D}/`, `https://${D}/`])), status: 'pass' },
    {
      name: 'a first hop to the parent domain without includeSubDomains is not covered',
      mutate: set('www', 'http', chain([`http://www.${D}/`, `https://${D}/`], { headers: { 'strict-transport-security': 'max-age=31536000' } })),
      status: 'fail',
      findings: ['first-hop'],
    },
    { name: 'a first hop to another port of the same host is fine', mutate: set('api', 'http', chain([`http://api.${D}/`, `https://api.${D}:8443/`])), status: 'pass' },
    { name: 'port 80 closed on a declared host is low', mutate: set('www', 'http', refused(`http://www.${D}/`)), status: 'warn', findings: [{ code: 'port-80-closed', severity: 'low' }] },
    {
      name: 'a timeout before HTTPS is reached is unknown',
      mutate: set('www', 'http', { start: `http://www.${D}/`, hops: [{ url: `http://www.${D}/`, headers: {}, error: { kind: 'timeout', message: 'no headers' } }], outcome: 'error' }),
      status: 'error',
      error: /http:\/\/www\.shop\.test\/: .*timeout/,
    },
    {
      name: 'a failure after HTTPS is reached is not this check\'s',
      mutate: (f) => { const ch = chain([`http://${D}/`, `https://${D}/`]); ch.hops[1] = { url: `https://${D}/`, headers: {}, error: { kind: 'timeout', message: 'x' } }; ch.outcome = 'error'; sf(f, '@').http = ch; },
      status: 'pass',
    },
    { name: 'host without address is skipped', mutate: noAddress, status: 'pass' },
    {
      name: 'no surface with an address is not applicable',
      mutate: (f) => {
        for (const s of f['http.surfaces']) for (const k of ['http', 'https', 'probe'] as const) s[k] = { start: s[k].start, hops: [{ url: s[k].start, headers: {}, error: { kind: 'no-address', message: 'none' } }], outcome: 'error' };
      },
      status: 'not-applicable',
    },
  ]);
});

describe('redirect-loop', () => {
  const loop = (): RedirectChain => ({ start: `https://www.${D}/`, hops: [hop(`https://www.${D}/`, 301, {}, `https://${D}/`), hop(`https://${D}/`, 301, {}, `https://www.${D}/`)], outcome: 'loop', finalUrl: `https://www.${D}/` });
  checkTable(c(redirectLoop), edgeFacts, [
    { name: 'chains that end pass', status: 'pass' },
    { name: 'loop', mutate: set('www', 'https', loop()), status: 'fail', findings: [{ code: 'loop', severity: 'high', message: /301 https:\/\/www\.shop\.test\/ → 301 https:\/\/shop\.test\/ → https:\/\/www\.shop\.test\// }] },
    { name: 'too many hops', mutate: set('api', 'https', { ...chain(Array.from({ length: 10 }, (_, i) => `https://api.${D}/${i}`)), outcome: 'too-many-hops' }), status: 'fail', findings: [{ code: 'too-many-hops', message: /after 10 hops/ }] },
    { name: 'redirect without Location', mutate: set('api', 'https', { start: `https://api.${D}/`, hops: [hop(`https://api.${D}/`, 302)], outcome: 'bad-location' }), status: 'fail', findings: [{ code: 'bad-location', severity: 'medium' }] },
  ]);
});

describe('https-downgrade', () => {
  checkTable(c(httpsDowngrade), edgeFacts, [
    { name: 'no downgrade passes', status: 'pass' },
    { name: 'https → http', mutate: set('www', 'https', chain([`https://www.${D}/`, `http://${D}/`, `https://${D}/`])), status: 'fail', findings: [{ code: 'downgrade', host: 'www.shop.test', severity: 'high', message: /https:\/\/www\.shop\.test\/ redirects to plain HTTP: http:\/\/shop\.test\// }] },
    { name: 'the same downgrading hop reached twice is one finding', mutate: (f) => { set('www', 'https', chain([`https://www.${D}/`, `http://${D}/`]))(f); set('www', 'http', chain([`http://www.${D}/`, `https://www.${D}/`, `http://${D}/`]))(f); }, status: 'fail', findings: ['downgrade'] },
  ]);
});

describe('non-canonical-origin', () => {
  checkTable(c(nonCanonicalOrigin), edgeFacts, [
    { name: 'apex and www converge on the apex', status: 'pass' },
    { name: 'www serves its own site', mutate: set('www', 'https', chain([`https://www.${D}/`])), status: 'fail', findings: [{ code: 'wrong-origin', severity: 'medium', message: /ends on https:\/\/www\.shop\.test, not on the canonical origin https:\/\/shop\.test/ }] },
    { name: 'canonical www while everything ends on the apex', mutate: (f) => { for (const s of f['http.surfaces']) s.canonicalOrigin = `https://www.${D}`; }, status: 'fail', findings: ['wrong-origin', 'wrong-origin', 'wrong-origin', 'wrong-origin'] },
    { name: 'three hops to canonical is low', mutate: set('www', 'http', chain([`http://www.${D}/`, `https://www.${D}/`, `http://${D}/`, `https://${D}/`])), status: 'warn', findings: [{ code: 'too-many-hops', severity: 'low', message: /takes 3 redirects/ }] },
    { name: 'api is its own origin and is not judged', mutate: set('api', 'https', chain([`https://api.${D}/`, `https://elsewhere.${D}/`])), status: 'pass' },
    { name: 'a plain-HTTP final page is left to insecure-http', mutate: set('www', 'http', chain([`http://www.${D}/`])), status: 'pass' },
    {
      name: 'www timing out after the first hop is unknown',
      mutate: (f) => { const ch = chain([`https://www.${D}/`, `https://${D}/`]); ch.hops[1] = { url: `https://${D}/`, headers: {}, error: { kind: 'timeout', message: 'x' } }; ch.outcome = 'error'; sf(f, 'www').https = ch; },
      status: 'error',
      error: /https:\/\/shop\.test\/: timeout/,
    },
  ]);
});

describe('dropped-path', () => {
  checkTable(c(droppedPath), edgeFacts, [
    { name: 'path and query preserved', status: 'pass' },
    { name: 'www drops the path', mutate: set('www', 'probe', chain([`http://www.${D}${P}`, `https://www.${D}${P}`, `https://${D}/`])), status: 'fail', findings: [{ code: 'path-dropped', severity: 'medium', message: /https:\/\/www\.shop\.test\/launch-ready\/path-probe\?lr=1 redirects to https:\/\/shop\.test\// }] },
    { name: 'query dropped', mutate: set('@', 'probe', chain([`http://${D}${P}`, `https://${D}/launch-ready/path-probe`])), status: 'fail', findings: ['query-dropped'] },
    { name: 'a trailing slash added is fine', mutate: set('@', 'probe', chain([`http://${D}${P}`, `https://${D}/launch-ready/path-probe/?lr=1`])), status: 'pass' },
    { name: 'no redirect at all (404 on the probe) passes', mutate: set('api', 'probe', chain([`http://api.${D}${P}`], { final: 404 })), status: 'pass' },
  ]);
});

describe('off-domain-redirect', () => {
  checkTable(c(offDomainRedirect), edgeFacts, [
    { name: 'same-domain redirects pass', status: 'pass' },
    { name: 'redirect to another domain', mutate: set('api', 'https', chain([`https://api.${D}/`, 'https://parked.example/'])), status: 'fail', findings: [{ code: 'off-domain', host: 'api.shop.test', severity: 'high', message: /redirects to https:\/\/parked\.example\/, outside shop\.test/ }] },
    { name: 'a look-alike suffix is not the domain', mutate: set('api', 'https', chain([`https://api.${D}/`, 'https://evilshop.test/'])), status: 'fail', findings: ['off-domain'] },
    {
      name: 'a declared destination passes',
      mutate: (f) => { f.target.domains[0]!.redirectsTo = ['auth.example']; set('api', 'https', chain([`https://api.${D}/`, 'https://login.auth.example/']))(f); },
      status: 'pass',
    },
  ]);
});
