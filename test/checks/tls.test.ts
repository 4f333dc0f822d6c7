// Table tests for the TLS checks: one known-good product, each case changes one thing.
import { describe, expect, it } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import certExpiry from '../../src/checks/tls/cert-expiry.js';
import certNameMismatch from '../../src/checks/tls/cert-name-mismatch.js';
import hstsPolicy, { parseHsts } from '../../src/checks/tls/hsts-policy.js';
import httpsUnavailable from '../../src/checks/tls/https-unavailable.js';
import legacyTls from '../../src/checks/tls/legacy-tls.js';
import mixedContent, { insecureReferences } from '../../src/checks/tls/mixed-content.js';
import untrustedChain from '../../src/checks/tls/untrusted-chain.js';
import weakKey from '../../src/checks/tls/weak-key.js';
import weakSignature from '../../src/checks/tls/weak-signature.js';
import type { FactMap } from '../../src/facts/index.js';
import { checkTable } from '../helpers/check-tester.js';
import { cert, daysFromNow, edgeFacts, ep, sf } from '../helpers/edge-facts.js';

const c = (x: unknown) => x as AnyCheck;
const leaf = (f: FactMap, label: string) => ep(f, label).chain[0]!;
const setLeaf = (label: string, extra: Parameters<typeof cert>[1]) => (f: FactMap) => { Object.assign(leaf(f, label), extra); };
const allClosed = (f: FactMap) => { for (const e of f['tls.endpoints']) { e.status = 'refused'; e.chain = []; delete e.trust; } };

describe('cert-expiry', () => {
  checkTable(c(certExpiry), edgeFacts, [
    { name: 'sixty days left passes', status: 'pass' },
    { name: 'expired leaf is critical', mutate: setLeaf('www', { notAfter: daysFromNow(-3) }), status: 'fail', findings: [{ code: 'expired', host: 'www.shop.test', severity: 'critical', message: /expired on 2026-11-26 \(3 days ago\)/ }] },
    { name: 'not yet valid is critical', mutate: setLeaf('@', { notBefore: daysFromNow(5) }), status: 'fail', findings: [{ code: 'not-yet-valid', severity: 'critical', message: /not valid until 2026-12-04 \(in 5 days\)/ }] },
    {
      name: 'ten days left is high; the details hold each leaf\'s days, not its issuer\'s',
      mutate: setLeaf('api', { notAfter: daysFromNow(10.5) }),
      status: 'fail',
      findings: [{ code: 'expires-in-14-days', severity: 'high', message: /in 10 days/, args: { days: 10 } }],
      details: { leafDaysLeft: { 'api.shop.test': 10 } },
    },
    { name: 'twenty days left is medium', mutate: setLeaf('api', { notAfter: daysFromNow(20.5) }), status: 'fail', findings: [{ code: 'expires-in-30-days', severity: 'medium' }] },
    { name: 'thirty days left passes', mutate: setLeaf('api', { notAfter: daysFromNow(30.5) }), status: 'pass' },
    { name: 'expired intermediate is found too', mutate: (f) => { ep(f, 'api').chain[1] = { ...ep(f, 'api').chain[1]!, notAfter: daysFromNow(-1) }; }, status: 'fail', findings: [{ code: 'expired', message: /intermediate certificate "Shop Issuing CA"/ }] },
    {
      name: 'measured against the launch date: 9 days after launch is high',
      mutate: (f) => { f.target.launchDate = '2026-12-20'; setLeaf('api', { notAfter: '2026-12-29T12:00:00.000Z' })(f); },
      status: 'fail',
      findings: [{ code: 'expires-14-days-after-launch', severity: 'high', message: /expires on 2026-12-29, 9 days after your launch on 2026-12-20/ }],
    },
    {
      name: 'launch date: 20 days after launch is medium',
      mutate: (f) => { f.target.launchDate = '2026-12-20'; setLeaf('api', { notAfter: '2027-01-09T12:00:00.000Z' })(f); },
      status: 'fail',
      findings: [{ code: 'expires-30-days-after-launch', severity: 'medium' }],
    },
    {
      name: 'launch date: expiring before launch is high',
      mutate: (f) => { f.target.launchDate = '2027-03-01'; },
      status: 'fail',
      findings: [
        { code: 'expires-before-launch', host: 'shop.test', message: /days before your launch on 2027-03-01/ },
        { code: 'expires-before-launch', host: 'www.shop.test' },
        { code: 'expires-before-launch', host: 'api.shop.test' },
      ],
      details: { launchDate: '2027-03-01' },
    },
    {
      name: 'launch date: the days before launch count from expiry to launch, rounded up',
      // 2027-02-19 12:00 to the launch day's midnight is 9.5 days: 10.
      mutate: (f) => { f.target.launchDate = '2027-03-01'; for (const l of ['@', 'www']) setLeaf(l, { notAfter: '2027-06-01T00:00:00.000Z' })(f); setLeaf('api', { notAfter: '2027-02-19T12:00:00.000Z' })(f); },
      status: 'fail',
      findings: [{ code: 'expires-before-launch', host: 'api.shop.test', args: { days: 10, launch: '2027-03-01' } }],
    },
    {
      name: 'a launch date that is today measures from today (the launch is not ahead)',
      mutate: (f) => { f.target.now = '2026-12-20T00:00:00.000Z'; f.target.launchDate = '2026-12-20'; setLeaf('api', { notAfter: '2026-12-30T12:00:00.000Z' })(f); },
      status: 'fail',
      findings: [{ code: 'expires-in-14-days', host: 'api.shop.test', args: { days: 10 } }],
    },
    { name: 'a launch date in the past measures from today', mutate: (f) => { f.target.launchDate = '2026-01-01'; setLeaf('api', { notAfter: daysFromNow(10.5) })(f); }, status: 'fail', findings: ['expires-in-14-days'] },
    { name: 'no handshake anywhere is not applicable', mutate: allClosed, status: 'not-applicable' },
  ]);
});

describe('cert-name-mismatch', () => {
  checkTable(c(certNameMismatch), edgeFacts, [
    { name: 'exact names pass', status: 'pass' },
    { name: 'a wildcard one level up covers the host', mutate: setLeaf('api', { dnsNames: ['*.shop.test'] }), status: 'pass' },
    { name: 'a wildcard does not cover the apex', mutate: setLeaf('@', { dnsNames: ['*.shop.test'] }), status: 'fail', findings: [{ code: 'mismatch', host: 'shop.test', severity: 'critical' }] },
    { name: 'another host name', mutate: setLeaf('www', { dnsNames: ['other.example'] }), status: 'fail', findings: [{ code: 'mismatch', message: /certificate for other\.example, which does not cover www\.shop\.test/ }] },
    { name: 'names compare case-insensitively', mutate: setLeaf('www', { dnsNames: ['WWW.Shop.Test'] }), status: 'pass' },
    { name: 'common name only (no SAN) fails', mutate: setLeaf('api', { dnsNames: [] }), status: 'fail', findings: ['no-san'] },
  ]);
});

describe('untrusted-chain', () => {
  const trust = (label: string, t: NonNullable<FactMap['tls.endpoints'][number]['trust']>) => (f: FactMap) => { ep(f, label).trust = t; };
  checkTable(c(untrustedChain), edgeFacts, [
    { name: 'trusted chains pass', status: 'pass' },
    { name: 'self-signed', mutate: trust('@', { status: 'self-signed', detail: '"shop.test" is self-signed' }), status: 'fail', findings: [{ code: 'self-signed', severity: 'critical', host: 'shop.test' }] },
    { name: 'missing intermediate', mutate: trust('api', { status: 'incomplete', detail: 'the server sends only the leaf' }), status: 'fail', findings: [{ code: 'incomplete', message: /incomplete: the server sends only the leaf/ }] },
    { name: 'unknown issuer', mutate: trust('www', { status: 'unknown-issuer', detail: 'ends at "Evil Root"' }), status: 'fail', findings: ['unknown-issuer'] },
    { name: 'bad signature', mutate: trust('www', { status: 'bad-signature', detail: 'does not verify' }), status: 'fail', findings: ['bad-signature'] },
    { name: 'an unjudged chain is an error', mutate: (f) => { delete ep(f, 'www').trust; }, status: 'error', error: /www\.shop\.test: the chain was not judged/ },
  ]);
});

describe('weak-key', () => {
  checkTable(c(weakKey), edgeFacts, [
    { name: 'RSA 2048 passes', status: 'pass' },
    { name: 'RSA 1024 is medium', mutate: setLeaf('www', { keyBits: 1024 }), status: 'fail', findings: [{ code: 'rsa-weak', severity: 'medium', message: /1024-bit RSA key/ }] },
    { name: 'RSA 512 is critical', mutate: setLeaf('www', { keyBits: 512 }), status: 'fail', findings: [{ code: 'rsa-broken', severity: 'critical' }] },
    { name: 'EC 256 passes', mutate: setLeaf('api', { keyType: 'ec', keyBits: 256, curve: 'prime256v1' }), status: 'pass' },
    { name: 'EC 224 is weak', mutate: setLeaf('api', { keyType: 'ec', keyBits: 224, curve: 'secp224r1' }), status: 'fail', findings: ['ec-weak'] },
    { name: 'a weak self-signed root sent along is not judged', mutate: (f) => { ep(f, 'api').chain.push({ ...cert('Root'), selfIssued: true, keyBits: 1024 }); }, status: 'pass' },
  ]);
});

describe('weak-signature', () => {
  checkTable(c(weakSignature), edgeFacts, [
    { name: 'SHA-256 passes', status: 'pass' },
    { name: 'SHA-1 leaf', mutate: setLeaf('@', { signatureAlgorithm: 'sha1WithRSAEncryption' }), status: 'fail', findings: [{ code: 'sha1', severity: 'high' }] },
    { name: 'ECDSA SHA-1', mutate: setLeaf('@', { signatureAlgorithm: 'ecdsa-with-SHA1' }), status: 'fail', findings: ['sha1'] },
    { name: 'MD5 is critical', mutate: setLeaf('@', { signatureAlgorithm: 'md5WithRSAEncryption' }), status: 'fail', findings: [{ code: 'md5', severity: 'critical' }] },
  ]);
});

describe('legacy-tls', () => {
  const probe = (label: string, v: 0 | 1, status: 'accepted' | 'untestable' | 'error') => (f: FactMap) => { ep(f, label).legacy[v]!.status = status; };
  checkTable(c(legacyTls), edgeFacts, [
    { name: 'both refused passes', status: 'pass' },
    { name: 'TLS 1.0 accepted', mutate: probe('api', 0, 'accepted'), status: 'fail', findings: [{ code: 'tls10-accepted', severity: 'medium', host: 'api.shop.test' }] },
    { name: 'TLS 1.1 accepted', mutate: probe('www', 1, 'accepted'), status: 'fail', findings: ['tls11-accepted'] },
    { name: 'could not test is an error, not a pass', mutate: probe('www', 0, 'untestable'), status: 'error', error: /TLSv1 could not be tested/ },
    { name: 'failed probe is an error', mutate: probe('www', 1, 'error'), status: 'error', error: /probe failed/ },
    { name: 'nothing reachable is not applicable', mutate: allClosed, status: 'not-applicable' },
  ]);
});

describe('https-unavailable', () => {
  const status = (label: string, s: FactMap['tls.endpoints'][number]['status'], extra: object = {}) => (f: FactMap) => { Object.assign(ep(f, label), { status: s, chain: [], message: 'x', ...extra }); };
  checkTable(c(httpsUnavailable), edgeFacts, [
    { name: 'all handshakes pass', status: 'pass' },
    { name: 'declared host with 443 closed is critical', mutate: status('api', 'refused'), status: 'fail', findings: [{ code: 'closed', severity: 'critical', message: /api\.shop\.test has an address \(127\.0\.0\.1\) but port 443 refuses/ }] },
    { name: 'undeclared host with 443 closed is medium', mutate: status('api', 'refused', { declared: false }), status: 'fail', findings: [{ code: 'closed-undeclared', severity: 'medium' }] },
    { name: 'handshake failure', mutate: status('www', 'handshake-failed', { message: 'sslv3 alert handshake failure' }), status: 'fail', findings: [{ code: 'handshake-failed', message: /sslv3 alert handshake failure/ }] },
    { name: 'reset during handshake', mutate: status('www', 'reset'), status: 'fail', findings: ['reset'] },
    { name: 'host without address is the DNS checks\' business', mutate: status('api', 'no-address', { addresses: [] }), status: 'pass' },
    { name: 'timeout is unknown', mutate: status('api', 'timeout'), status: 'error', error: /api\.shop\.test: timeout/ },
    { name: 'DNS failure is unknown', mutate: status('api', 'dns-failure'), status: 'error' },
    { name: 'no surface with an address is not applicable', mutate: (f) => { for (const e of f['tls.endpoints']) Object.assign(e, { status: 'no-address', chain: [], addresses: [] }); }, status: 'not-applicable' },
  ]);
});

describe('hsts-policy', () => {
  const setHsts = (label: string, value: string | undefined) => (f: FactMap) => {
    const h = sf(f, label).https.hops[0]!.headers;
    if (value === undefined) delete h['strict-transport-security'];
    else h['strict-transport-security'] = value;
  };
  const LONG_INVALID = `includeSubDomains; x=${'y'.repeat(300)}`;
  const LONG_REPEATED = `max-age=31536000; a=${'b'.repeat(150)}, max-age=31536000; a=${'b'.repeat(150)}`;
  checkTable(c(hstsPolicy), edgeFacts, [
    { name: 'a year with includeSubDomains passes', status: 'pass' },
    { name: 'missing', mutate: setHsts('www', undefined), status: 'fail', findings: [{ code: 'missing', host: 'www.shop.test', severity: 'medium' }], details: { hsts: { 'www.shop.test': '(none)' } } },
    // tls.endpoints is optional: without it, or without a host's endpoint, the value is judged as sent.
    { name: 'without TLS facts the header is still judged', mutate: (f) => { setHsts('www', 'max-age=60')(f); delete (f as Partial<FactMap>)['tls.endpoints']; }, status: 'fail', findings: [{ code: 'short', host: 'www.shop.test' }] },
    { name: 'a host without a TLS endpoint is still judged', mutate: (f) => { setHsts('www', 'max-age=60')(f); f['tls.endpoints'] = f['tls.endpoints'].filter((e) => e.host !== 'www.shop.test'); }, status: 'fail', findings: [{ code: 'short', host: 'www.shop.test' }] },
    { name: 'one day is too short', mutate: setHsts('@', 'max-age=86400; includeSubDomains'), status: 'fail', findings: [{ code: 'short', message: /max-age=86400 \(24 hours\); at least 180 days/ }] },
    { name: 'max-age=0 disables it', mutate: setHsts('api', 'max-age=0'), status: 'fail', findings: ['short'] },
    // max-age=0 asks browsers to forget the policy: it is short, and there is no policy left to miss subdomains.
    { name: 'max-age=0 on the apex is short only', mutate: setHsts('@', 'max-age=0'), status: 'fail', findings: [{ code: 'short', host: 'shop.test' }] },
    { name: 'max-age=1 on the apex without includeSubDomains is both', mutate: setHsts('@', 'max-age=1'), status: 'fail', findings: ['short', 'no-include-subdomains'] },
    { name: 'half a year warns below a year', mutate: setHsts('api', 'max-age=15552000'), status: 'warn', findings: [{ code: 'below-year', severity: 'low', message: /\(180 days\)/ }] },
    { name: 'five minutes reads as minutes', mutate: setHsts('api', 'max-age=300'), status: 'fail', findings: [{ code: 'short', message: /\(5 minutes\)/ }] },
    { name: 'apex without includeSubDomains is noted', mutate: setHsts('@', 'max-age=63072000; preload'), status: 'warn', findings: [{ code: 'no-include-subdomains', severity: 'info' }] },
    { name: 'no max-age is invalid', mutate: setHsts('www', 'includeSubDomains'), status: 'fail', findings: ['invalid'] },
    {
      name: 'a long invalid value is quoted to 80 characters in the message and 200 in the evidence',
      mutate: setHsts('www', LONG_INVALID),
      status: 'fail',
      findings: [{ code: 'invalid', args: { value: LONG_INVALID.slice(0, 80) }, evidence: LONG_INVALID.slice(0, 200) }],
    },
    {
      name: 'a long repeated value is quoted to 80 characters in the message and 200 in the evidence',
      mutate: setHsts('www', LONG_REPEATED),
      status: 'fail',
      findings: [{ code: 'repeated', args: { value: LONG_REPEATED.slice(0, 80) }, evidence: LONG_REPEATED.slice(0, 200) }],
    },
    { name: 'quoted max-age parses', mutate: setHsts('www', 'max-age="31536000"'), status: 'pass' },
    { name: 'two values in one response are ignored by browsers', mutate: setHsts('www', 'max-age=31536000; includeSubDomains, max-age=31536000; includeSubDomains'), status: 'fail', findings: [{ code: 'repeated', severity: 'medium', host: 'www.shop.test' }] },
    {
      name: 'HSTS over an untrusted certificate is not judged (browsers ignore it; the chain is the finding)',
      mutate: (f) => { setHsts('www', 'max-age=60')(f); ep(f, 'www').trust = { status: 'self-signed', detail: 'self-signed' }; },
      status: 'pass',
    },
    {
      name: 'an HTTPS response that times out is unknown',
      mutate: (f) => { const s = sf(f, 'www'); s.https = { start: s.https.start, hops: [{ url: s.https.start, headers: {}, error: { kind: 'timeout', message: 'no headers in 5000 ms' } }], outcome: 'error' }; },
      status: 'error',
      error: /https:\/\/www\.shop\.test\/: timeout/,
    },
    {
      name: 'a refused HTTPS port is https-unavailable\'s, not unknown here',
      mutate: (f) => { const s = sf(f, 'www'); s.https = { start: s.https.start, hops: [{ url: s.https.start, headers: {}, error: { kind: 'refused', message: 'ECONNREFUSED' } }], outcome: 'error' }; },
      status: 'pass',
    },
    { name: 'no HTTPS response anywhere is not applicable', mutate: (f) => { for (const s of f['http.surfaces']) s.https = { start: s.https.start, hops: [{ url: s.https.start, headers: {}, error: { kind: 'refused', message: 'x' } }], outcome: 'error' }; }, status: 'not-applicable' },
  ]);
  it('parses directives case-insensitively and takes the first header', () => {
    expect(parseHsts('Max-Age=600 ; IncludeSubDomains; PRELOAD, max-age=1')).toEqual({ maxAge: 600, includeSubDomains: true, preload: true });
    expect(parseHsts('max-age=abc').maxAge).toBeNull();
  });
});

describe('mixed-content', () => {
  const html = (h: string) => (f: FactMap) => { sf(f, '@').https.html = h; };
  checkTable(c(mixedContent), edgeFacts, [
    { name: 'https-only page passes', status: 'pass' },
    { name: 'http script is high', mutate: html('<script src="http://cdn.x.test/a.js"></script>'), status: 'fail', findings: [{ code: 'active', severity: 'high', message: /loads a script over plain HTTP: http:\/\/cdn\.x\.test\/a\.js/ }] },
    { name: 'http stylesheet', mutate: html('<link href=\'http://cdn.x.test/a.css\' rel="stylesheet">'), status: 'fail', findings: [{ code: 'active', message: /stylesheet/ }] },
    { name: 'http iframe', mutate: html('<iframe src=http://x.test/embed></iframe>'), status: 'fail', findings: [{ code: 'active', message: /iframe/ }] },
    { name: 'form posting to http is medium', mutate: html('<FORM method="post" action="http://shop.test/login">'), status: 'fail', findings: [{ code: 'form', severity: 'medium' }] },
    { name: 'http images are one low finding', mutate: html('<img src="http://x.test/a.png"><img srcset="https://x.test/b.png 1x, http://x.test/c.png 2x">'), status: 'warn', findings: [{ code: 'passive', severity: 'low', message: /loads 2 image/ }] },
    { name: 'commented-out references do not count', mutate: html('<!-- <script src="http://old.test/a.js"></script> -->'), status: 'pass' },
    { name: 'plain links are not mixed content', mutate: html('<a href="http://partner.test/">partner</a>'), status: 'pass' },
    { name: 'no HTML page is not applicable', mutate: (f) => { for (const s of f['http.surfaces']) delete s.https.html; }, status: 'not-applicable' },
  ]);
  it('a modulepreload link counts as a script', () => {
    expect(insecureReferences('<script src="http://a.test/x.js"></script><link rel="modulepreload" href="http://a.test/m.js">').map((r) => r.kind)).toEqual(['script', 'script']);
  });
});
