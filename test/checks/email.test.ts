// Table tests for every email check: one known-good mail domain, each case changes one thing.
import { describe } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import dkimKey from '../../src/checks/email/dkim-key.js';
import dkimMissing from '../../src/checks/email/dkim-missing.js';
import dmarcAlignment from '../../src/checks/email/dmarc-alignment.js';
import dmarcMissing from '../../src/checks/email/dmarc-missing.js';
import dmarcPolicy from '../../src/checks/email/dmarc-policy.js';
import dmarcRecord from '../../src/checks/email/dmarc-record.js';
import dmarcReporting from '../../src/checks/email/dmarc-reporting.js';
import mtaStsPolicy from '../../src/checks/email/mta-sts-policy.js';
import mxRecord from '../../src/checks/email/mx-record.js';
import spfAllPolicy from '../../src/checks/email/spf-all-policy.js';
import spfLookupLimit from '../../src/checks/email/spf-lookup-limit.js';
import spfMissing from '../../src/checks/email/spf-missing.js';
import spfPermerror from '../../src/checks/email/spf-permerror.js';
import spfPtr from '../../src/checks/email/spf-ptr.js';
import spfSendingIp from '../../src/checks/email/spf-sending-ip.js';
import spfVoidLookup from '../../src/checks/email/spf-void-lookup.js';
import tlsRptRecord from '../../src/checks/email/tls-rpt-record.js';
import type { FactMap } from '../../src/facts/index.js';
import { checkTable } from '../helpers/check-tester.js';
import { cleanEmailFacts, D, dkimKey as key, dom, failedTxt, noDkim, spfNode, txt } from '../email/email-facts.js';

const c = (x: unknown) => x as AnyCheck;
type M = (f: FactMap) => void;
const setSpf = (record: string, extra = {}): M => (f) => { dom(f).spf.tree = spfNode(D, record, extra); };
const setDmarc = (...records: string[]): M => (f) => { dom(f).dmarc.own = txt(`_dmarc.${D}`, records); };

describe('spf-missing', () => {
  checkTable(c(spfMissing), cleanEmailFacts, [
    { name: 'record present passes', status: 'pass' },
    { name: 'no SPF record is high', mutate: (f) => { dom(f).spf.tree = { ...spfNode(D, ''), status: 'none', record: undefined, all: undefined }; }, status: 'fail', findings: [{ code: 'absent', host: D, severity: 'high' }] },
    {
      name: 'domain that does not exist says so',
      mutate: (f) => { dom(f).spf.lookup = txt(D, [], 'nxdomain'); dom(f).spf.tree = { ...spfNode(D, ''), status: 'none' }; },
      status: 'fail', findings: [{ code: 'absent', message: /does not exist/ }],
    },
    { name: 'TXT lookup timeout is an error, never a pass', mutate: (f) => { dom(f).spf.lookup = failedTxt(D); }, status: 'error', error: /timeout/ },
  ]);
});

describe('spf-permerror', () => {
  checkTable(c(spfPermerror), cleanEmailFacts, [
    { name: 'valid policy passes', status: 'pass' },
    {
      name: 'two records is critical',
      mutate: (f) => { dom(f).spf.tree = { ...spfNode(D, ''), status: 'multiple', records: ['v=spf1 -all', 'v=spf1 mx -all'] }; },
      status: 'fail', findings: [{ code: 'multiple', severity: 'critical', message: /2 SPF records/ }],
    },
    {
      name: 'syntax error keeps the record',
      mutate: (f) => { dom(f).spf.tree = { ...spfNode(D, 'v=spf1 ip4:300.1.1.1 -all'), status: 'syntax', error: 'bad ip4' }; },
      status: 'fail', findings: [{ code: 'syntax', message: /ip4:300\.1\.1\.1/ }],
    },
    {
      name: 'include of a domain without SPF',
      mutate: (f) => { dom(f).spf.tree.children[0]!.node = { ...spfNode('_spf.mailer.test', ''), status: 'none', error: 'no SPF record' }; },
      status: 'fail', findings: [{ code: 'include-none', message: /include:_spf\.mailer\.test points at _spf\.mailer\.test/ }],
    },
    {
      name: 'syntax error two includes deep names the path',
      mutate: (f) => {
        const inner = dom(f).spf.tree.children[0]!.node;
        inner.children.push({ term: 'include:deep.test', kind: 'include', target: 'deep.test', node: { ...spfNode('deep.test', 'v=spf1 a:'), status: 'syntax', error: 'empty domain-spec' } });
      },
      status: 'fail', findings: [{ code: 'include-syntax', message: /via include:_spf\.mailer\.test/ }],
    },
    {
      name: 'a branch whose lookup failed is an error',
      mutate: (f) => { dom(f).spf.tree.children[0]!.node = { ...spfNode('_spf.mailer.test', ''), status: 'dns-error', error: 'TXT lookup of _spf.mailer.test failed: servfail' }; },
      status: 'error', error: /servfail/,
    },
    { name: 'no SPF at all is left to spf-missing', mutate: (f) => { dom(f).spf.tree = { ...spfNode(D, ''), status: 'none' }; }, status: 'pass' },
  ]);
});

describe('spf-lookup-limit', () => {
  const withTotal = (total: number): M => (f) => { dom(f).spf.tree.totalLookups = total; dom(f).spf.tree.children[0]!.node.totalLookups = total - 2; };
  checkTable(c(spfLookupLimit), cleanEmailFacts, [
    { name: 'four lookups pass', status: 'pass' },
    { name: '12 lookups is critical, counted per branch', mutate: withTotal(12), status: 'fail', findings: [{ code: 'over', severity: 'critical', message: /needs 12 DNS lookups.*own terms = 1, include:_spf\.mailer\.test = 11/, location: { host: D, record: `${D} TXT` } }] },
    { name: 'exactly 10 is near the limit (low)', mutate: withTotal(10), status: 'warn', findings: [{ code: 'near', severity: 'low', location: { host: D, record: `${D} TXT` } }] },
    { name: 'lookup failure is an error', mutate: (f) => { dom(f).spf.lookup = failedTxt(D, 'servfail'); }, status: 'error' },
  ]);
});

describe('spf-all-policy', () => {
  checkTable(c(spfAllPolicy), cleanEmailFacts, [
    { name: '-all passes', status: 'pass' },
    { name: '~all passes', mutate: setSpf('v=spf1 mx ~all'), status: 'pass' },
    { name: '+all is critical', mutate: setSpf('v=spf1 mx +all'), status: 'fail', findings: [{ code: 'pass-all', severity: 'critical' }] },
    { name: 'bare all is +all', mutate: setSpf('v=spf1 mx all'), status: 'fail', findings: ['pass-all'] },
    { name: '?all is high', mutate: setSpf('v=spf1 mx ?all'), status: 'fail', findings: [{ code: 'neutral-all', severity: 'high' }] },
    { name: 'no all', mutate: setSpf('v=spf1 mx'), status: 'fail', findings: ['no-all'] },
    {
      name: 'redirect to a -all policy passes',
      mutate: setSpf('v=spf1 redirect=_spf.shop.test', {
        redirect: 'redirect=_spf.shop.test',
        children: [{ term: 'redirect=_spf.shop.test', kind: 'redirect', target: '_spf.shop.test', node: spfNode('_spf.shop.test', 'v=spf1 mx -all') }],
      }),
      status: 'pass',
    },
    {
      name: 'redirect to a +all policy is flagged where it is',
      mutate: setSpf('v=spf1 redirect=_spf.shop.test', {
        redirect: 'redirect=_spf.shop.test',
        children: [{ term: 'redirect=_spf.shop.test', kind: 'redirect', target: '_spf.shop.test', node: spfNode('_spf.shop.test', 'v=spf1 +all') }],
      }),
      status: 'fail', findings: [{ code: 'pass-all', message: /\+all \(in _spf\.shop\.test, by redirect\)/ }],
    },
  ]);
});

describe('spf-ptr', () => {
  checkTable(c(spfPtr), cleanEmailFacts, [
    { name: 'no ptr passes', status: 'pass' },
    { name: 'ptr in the record is low', mutate: (f) => { dom(f).spf.tree.ptr = ['ptr']; }, status: 'warn', findings: [{ code: 'used', severity: 'low' }] },
    { name: 'ptr in an include names the path', mutate: (f) => { dom(f).spf.tree.children[0]!.node.ptr = ['?ptr:mailer.test']; }, status: 'warn', findings: [{ code: 'used', message: /via include:_spf\.mailer\.test/ }] },
  ]);
});

describe('spf-void-lookup', () => {
  checkTable(c(spfVoidLookup), cleanEmailFacts, [
    { name: 'every term resolves: passes', status: 'pass' },
    { name: 'one dead term is low', mutate: (f) => { dom(f).spf.tree.voidTerms = ['a:old.shop.test']; }, status: 'warn', findings: [{ code: 'dead', severity: 'low', message: /a:old\.shop\.test/, location: { host: D, record: `${D} TXT` } }] },
    {
      name: 'three dead terms across includes is high',
      mutate: (f) => { dom(f).spf.tree.voidTerms = ['a:old.shop.test']; dom(f).spf.tree.children[0]!.node.voidTerms = ['a:out1.mailer.test', 'a:out2.mailer.test']; },
      status: 'fail', findings: [{ code: 'over-limit', severity: 'high', message: /3 terms .*a:out2\.mailer\.test in _spf\.mailer\.test/, location: { host: D, record: `${D} TXT` } }],
    },
    {
      name: 'mx with more than 10 names is critical',
      mutate: (f) => { dom(f).spf.tree.children[0]!.node.mxOverLimit = [{ term: 'mx:big.mailer.test', count: 12 }]; },
      status: 'fail', findings: [{ code: 'mx-names', severity: 'critical', message: /12 MX hosts/, location: { host: D, record: '_spf.mailer.test TXT' } }],
    },
  ]);
});

describe('spf-sending-ip', () => {
  const evalAs = (result: string, extra = {}): M => (f) => { Object.assign(dom(f).spf.evaluations[0]!, { result, matched: undefined, ...extra }); };
  checkTable(c(spfSendingIp), cleanEmailFacts, [
    { name: 'configured IP passes', status: 'pass' },
    { name: 'fail names the IP and the term', mutate: evalAs('fail', { matched: { domain: D, term: '-all' } }), status: 'fail', findings: [{ code: 'not-pass', message: /192\.0\.2\.25 .* "fail" \(matched "-all"/ }] },
    { name: 'softfail', mutate: evalAs('softfail'), status: 'fail', findings: ['not-pass'] },
    { name: 'permerror gives the reason', mutate: evalAs('permerror', { problem: 'more than 10 DNS-querying terms' }), status: 'fail', findings: [{ code: 'not-pass', message: /more than 10/ }] },
    { name: 'temperror is an error', mutate: evalAs('temperror', { problem: 'servfail' }), status: 'error' },
    { name: 'no sending IPs: not applicable', mutate: (f) => { dom(f).spf.evaluations = []; dom(f).sendingIps = []; }, status: 'not-applicable' },
    { name: 'provider include reachable through an include passes', mutate: (f) => { dom(f).spfIncludes = ['_spf.mailer.test']; }, status: 'pass' },
    { name: 'provider include missing', mutate: (f) => { dom(f).spfIncludes = ['sendgrid.net']; }, status: 'fail', findings: [{ code: 'include-missing', message: /does not include sendgrid\.net: mail/ }] },
    {
      name: 'provider include present but without SPF',
      mutate: (f) => { dom(f).spfIncludes = ['_spf.mailer.test']; dom(f).spf.tree.children[0]!.node = { ...spfNode('_spf.mailer.test', ''), status: 'none', error: 'no SPF record' }; },
      status: 'fail', findings: [{ code: 'include-missing', message: /usably/ }],
    },
  ]);
});

describe('dkim-missing', () => {
  checkTable(c(dkimMissing), cleanEmailFacts, [
    { name: 'configured selector with a key passes', status: 'pass' },
    { name: 'a probed selector found is enough', mutate: (f) => { dom(f).dkimSelectors = []; dom(f).dkim = [key('google', 'probe'), noDkim('s1')]; }, status: 'pass' },
    {
      name: 'a no-mail domain (null MX, -all) needs no DKIM',
      mutate: (f) => { dom(f).dkimSelectors = []; dom(f).dkim = [noDkim('google')]; dom(f).mx = { status: 'ok', nullMx: true, targets: [] }; dom(f).spf.tree = spfNode(D, 'v=spf1 -all'); },
      status: 'pass',
    },
    { name: 'nothing found is high', mutate: (f) => { dom(f).dkimSelectors = []; dom(f).dkim = [noDkim('google'), noDkim('s1')]; }, status: 'fail', findings: [{ code: 'none-found', severity: 'high', message: /google, s1/ }] },
    { name: 'configured selector without key', mutate: (f) => { dom(f).dkim = [noDkim('s1', 'config'), key('google', 'probe')]; }, status: 'fail', findings: [{ code: 'configured-absent', message: /"s1"/ }] },
    {
      name: 'nothing found but a lookup failed is an error',
      mutate: (f) => { dom(f).dkimSelectors = []; dom(f).dkim = [noDkim('google'), { selector: 's1', source: 'probe', lookup: failedTxt(`s1._domainkey.${D}`) }]; },
      status: 'error',
    },
  ]);
});

describe('dkim-key', () => {
  const keyWith = (extra: object): M => (f) => { dom(f).dkim[0] = key('s1', 'config', extra); };
  checkTable(c(dkimKey), cleanEmailFacts, [
    { name: '2048-bit RSA passes', status: 'pass' },
    { name: 'ed25519 passes', mutate: keyWith({ keyType: 'ed25519', bits: 256 }), status: 'pass' },
    { name: '1024-bit is medium', mutate: keyWith({ bits: 1024 }), status: 'fail', findings: [{ code: 'rsa-under-2048', severity: 'medium' }] },
    { name: '512-bit is high', mutate: keyWith({ bits: 512 }), status: 'fail', findings: [{ code: 'rsa-under-1024', severity: 'high' }] },
    { name: 'revoked key', mutate: keyWith({ revoked: true }), status: 'fail', findings: ['revoked'] },
    { name: 'unparsable key', mutate: keyWith({ error: 'the p= value does not decode to a public key' }), status: 'fail', findings: [{ code: 'unusable', severity: 'high' }] },
    { name: 'sha1-only hash restriction', mutate: keyWith({ tags: { v: 'DKIM1', h: 'sha1', p: 'MIIB...' } }), status: 'fail', findings: [{ code: 'sha1-only', severity: 'high' }] },
    { name: 'h= with sha256 passes', mutate: keyWith({ tags: { v: 'DKIM1', h: 'sha1:sha256', p: 'MIIB...' } }), status: 'pass' },
    { name: 'service type other than email', mutate: keyWith({ tags: { v: 'DKIM1', s: 'tlsrpt', p: 'MIIB...' } }), status: 'fail', findings: ['not-for-email'] },
    { name: 'testing mode', mutate: keyWith({ testing: true }), status: 'fail', findings: [{ code: 'testing', severity: 'medium' }] },
    { name: 'a bare PKCS#1 key is medium', mutate: keyWith({ encoding: 'pkcs1' }), status: 'fail', findings: [{ code: 'pkcs1-key', severity: 'medium' }] },
    { name: 'an SPKI key passes', mutate: keyWith({ encoding: 'spki' }), status: 'pass' },
    { name: 'v= not first is a low note, the key still counts', mutate: keyWith({ versionNotFirst: true }), status: 'warn', findings: [{ code: 'version-not-first', severity: 'low' }] },
    { name: 'no key anywhere: not applicable', mutate: (f) => { dom(f).dkim = [noDkim('s1', 'config')]; }, status: 'not-applicable' },
  ]);
});

describe('dmarc-missing', () => {
  checkTable(c(dmarcMissing), cleanEmailFacts, [
    { name: 'record present passes', status: 'pass' },
    { name: 'no record is high', mutate: setDmarc(), status: 'fail', findings: [{ code: 'absent', severity: 'high' }] },
    {
      name: 'organizational domain record applies',
      mutate: (f) => { dom(f).dmarc.own = txt(`_dmarc.${D}`, []); dom(f).dmarc.orgDomain = 'org.test'; dom(f).dmarc.org = txt('_dmarc.org.test', ['v=DMARC1; p=reject']); },
      status: 'pass',
    },
    {
      name: 'neither domain nor org domain',
      mutate: (f) => { dom(f).dmarc.own = txt(`_dmarc.${D}`, []); dom(f).dmarc.orgDomain = 'org.test'; dom(f).dmarc.org = txt('_dmarc.org.test', ['unrelated']); },
      status: 'fail', findings: [{ code: 'absent', message: /_dmarc\.org\.test/ }],
    },
    { name: 'lookup SERVFAIL is an error', mutate: (f) => { dom(f).dmarc.own = failedTxt(`_dmarc.${D}`, 'servfail'); }, status: 'error' },
  ]);
});

describe('dmarc-record', () => {
  checkTable(c(dmarcRecord), cleanEmailFacts, [
    { name: 'valid record passes', status: 'pass' },
    { name: 'two records', mutate: setDmarc('v=DMARC1; p=reject', 'v=DMARC1; p=none'), status: 'fail', findings: [{ code: 'multiple', severity: 'high' }] },
    { name: 'p not right after v: valid on RFC 9989, discarded on RFC 7489', mutate: setDmarc('v=DMARC1; rua=mailto:a@shop.test; p=reject'), status: 'fail', findings: [{ code: 'rfc7489-differs', severity: 'medium', message: /right after v=DMARC1: receivers on RFC 7489 discard/ }] },
    { name: 'bad policy value reads as none', mutate: setDmarc('v=DMARC1; p=block'), status: 'fail', findings: [{ code: 'ignored-tags', message: /p=block: .*apply p=none/ }, { code: 'rfc7489-differs', message: /p=block is invalid/ }] },
    { name: 'no p reads as none', mutate: setDmarc('v=DMARC1; rua=mailto:a@shop.test'), status: 'fail', findings: [{ code: 'rfc7489-differs', message: /no p= tag: RFC 9989 reads it as p=none/ }] },
    { name: 'unknown tag is low', mutate: setDmarc('v=DMARC1; p=reject; foo=bar'), status: 'warn', findings: [{ code: 'ignored-tags', severity: 'low', message: /"foo"/ }] },
    { name: 'tag names and values are case-insensitive', mutate: setDmarc('V=DMARC1; P=Reject; ADKIM=S; Sp=QUARANTINE'), status: 'pass' },
    { name: 'pct, rf and ri are removed tags: a low note', mutate: setDmarc('v=DMARC1; p=reject; pct=150; rf=afrf; ri=3600'), status: 'warn', findings: [{ code: 'removed-tags', severity: 'low', message: /pct=150, rf=afrf, ri=3600/ }] },
    { name: 't=y is test mode', mutate: setDmarc('v=DMARC1; p=reject; t=y'), status: 'fail', findings: [{ code: 'test-mode', severity: 'medium' }] },
    { name: 't=n is fine', mutate: setDmarc('v=DMARC1; p=reject; t=n'), status: 'pass' },
    { name: 'np and psd are validated', mutate: setDmarc('v=DMARC1; p=reject; np=quarantine; psd=n'), status: 'pass' },
    {
      name: 'an invalid sp=, np= or psd= says what receivers do instead',
      mutate: setDmarc('v=DMARC1; p=reject; sp=drop; np=maybe; psd=x'),
      status: 'warn',
      findings: [{ code: 'ignored-tags', message: /sp=drop: .*apply p= to subdomains instead.*np=maybe: .*apply sp=, else p=, to non-existent subdomains instead.*psd=x/ }],
    },
  ]);
});

describe('dmarc-policy', () => {
  checkTable(c(dmarcPolicy), cleanEmailFacts, [
    { name: 'p=reject passes', status: 'pass' },
    { name: 'p=quarantine passes', mutate: setDmarc('v=DMARC1; p=quarantine'), status: 'pass' },
    { name: 'p=none is high', mutate: setDmarc('v=DMARC1; p=none; rua=mailto:d@shop.test'), status: 'fail', findings: [{ code: 'p-none', severity: 'high' }] },
    { name: 'sp=none is medium', mutate: setDmarc('v=DMARC1; p=reject; sp=none'), status: 'fail', findings: [{ code: 'sp-none', severity: 'medium' }] },
    { name: 'pct below 100', mutate: setDmarc('v=DMARC1; p=reject; pct=25'), status: 'fail', findings: [{ code: 'pct-partial', message: /pct=25%/ }] },
    {
      name: 'org-domain record: the subdomain gets sp',
      mutate: (f) => { dom(f).dmarc.own = txt(`_dmarc.${D}`, []); dom(f).dmarc.orgDomain = 'org.test'; dom(f).dmarc.org = txt('_dmarc.org.test', ['v=DMARC1; p=reject; sp=none']); },
      status: 'fail', findings: [{ code: 'p-none', message: /_dmarc\.org\.test/ }],
    },
  ]);
});

describe('dmarc-reporting', () => {
  const addrs = (a: string[], status: 'ok' | 'nodata' | 'servfail' = a.length ? 'ok' : 'nodata') => ({ status, addresses: a, chain: [], finalName: 'reports.example' });
  const dest = (mx: { status: 'ok' | 'nodata' | 'nxdomain' | 'timeout'; exchanges: string[] }, addresses?: ReturnType<typeof addrs>[]): M => (f) => {
    setDmarc('v=DMARC1; p=reject; rua=mailto:r@reports.example')(f);
    dom(f).dmarc.destinations = [{ uri: 'mailto:r@reports.example', domain: 'reports.example', mx, ...(addresses ? { addresses } : {}) }];
  };
  const auth = (records: string[], wildcard?: string[]): M => (f) => {
    setDmarc('v=DMARC1; p=reject; rua=mailto:r@reports.example')(f);
    dom(f).dmarc.authorizations = [{
      uri: 'mailto:r@reports.example', tag: 'rua', destination: 'reports.example', name: `${D}._report._dmarc.reports.example`,
      lookup: txt(`${D}._report._dmarc.reports.example`, records, records.length ? 'ok' : 'nxdomain'),
      ...(wildcard ? { wildcard: txt('*._report._dmarc.reports.example', wildcard) } : {}),
    }];
  };
  checkTable(c(dmarcReporting), cleanEmailFacts, [
    { name: 'internal rua passes', status: 'pass' },
    { name: 'no rua is medium', mutate: setDmarc('v=DMARC1; p=reject'), status: 'fail', findings: [{ code: 'no-rua', severity: 'medium' }] },
    { name: 'external destination authorized', mutate: auth(['v=DMARC1']), status: 'pass' },
    { name: 'external destination authorized by wildcard', mutate: auth([], ['v=DMARC1']), status: 'pass' },
    { name: 'external destination not authorized', mutate: auth([], []), status: 'fail', findings: [{ code: 'unauthorized', message: /_report\._dmarc\.reports\.example/ }] },
    { name: 'a destination with MX hosts receives mail', mutate: dest({ status: 'ok', exchanges: ['mx.reports.example'] }), status: 'pass' },
    { name: 'no MX but an address: the implicit MX receives mail', mutate: dest({ status: 'nodata', exchanges: [] }, [addrs(['192.0.2.8']), addrs([], 'nodata')]), status: 'pass' },
    { name: 'a null MX receives nothing', mutate: dest({ status: 'ok', exchanges: [''] }), status: 'fail', findings: [{ code: 'undeliverable', severity: 'medium', message: /mailto:r@reports\.example cannot receive mail: it publishes a null MX/ }] },
    { name: 'a destination that does not exist', mutate: dest({ status: 'nxdomain', exchanges: [] }), status: 'fail', findings: [{ code: 'undeliverable', message: /does not exist/ }] },
    { name: 'no MX and no address', mutate: dest({ status: 'nodata', exchanges: [] }, [addrs([], 'nodata'), addrs([], 'nodata')]), status: 'fail', findings: [{ code: 'undeliverable', message: /no MX record and no address/ }] },
    { name: 'a failed MX lookup is unknown, not a pass', mutate: dest({ status: 'timeout', exchanges: [] }), status: 'error', error: /reports\.example MX lookup/ },
    { name: 'a failed address lookup is unknown', mutate: dest({ status: 'nodata', exchanges: [] }, [addrs([], 'servfail'), addrs([], 'nodata')]), status: 'error', error: /reports\.example has no MX and its address lookup failed/ },
  ]);
});

describe('dmarc-alignment', () => {
  checkTable(c(dmarcAlignment), cleanEmailFacts, [
    { name: 'SPF pass and DKIM key: passes', status: 'pass' },
    { name: 'SPF fail but DKIM aligned: passes', mutate: (f) => { dom(f).spf.evaluations[0]!.result = 'fail'; }, status: 'pass' },
    {
      name: 'SPF fail and no DKIM key: would fail',
      mutate: (f) => { dom(f).spf.evaluations[0]!.result = 'softfail'; dom(f).dkim = [noDkim('s1', 'config')]; },
      status: 'fail', findings: [{ code: 'would-fail', message: /"softfail"/ }],
    },
    { name: 'nothing configured: not applicable', mutate: (f) => { dom(f).sendingIps = []; dom(f).dkimSelectors = []; dom(f).spf.evaluations = []; }, status: 'not-applicable' },
  ]);
});

describe('mx-record', () => {
  const target = (extra: object): M => (f) => { Object.assign(dom(f).mx.targets[0]!, extra); };
  const none = { status: 'nxdomain', addresses: [], chain: [], finalName: 'mx1.shop.test' };
  checkTable(c(mxRecord), cleanEmailFacts, [
    { name: 'resolving MX passes', status: 'pass' },
    { name: 'no MX', mutate: (f) => { dom(f).mx = { status: 'nodata', nullMx: false, targets: [] }; }, status: 'fail', findings: [{ code: 'absent', severity: 'medium' }] },
    { name: 'null MX with -all passes', mutate: (f) => { dom(f).mx = { status: 'ok', nullMx: true, targets: [] }; setSpf('v=spf1 -all')(f); }, status: 'pass' },
    { name: 'null MX without -all', mutate: (f) => { dom(f).mx = { status: 'ok', nullMx: true, targets: [] }; }, status: 'fail', findings: ['null-mx-spf'] },
    { name: 'target without address is high', mutate: target({ a: none, aaaa: none }), status: 'fail', findings: [{ code: 'unresolvable', severity: 'high', host: 'mx1.shop.test' }] },
    { name: 'target is a CNAME', mutate: target({ cname: 'mail.provider.test' }), status: 'fail', findings: [{ code: 'cname', message: /mail\.provider\.test/ }] },
    { name: 'target is an IP literal', mutate: target({ exchange: '192.0.2.30', ipLiteral: true }), status: 'fail', findings: ['ip-literal'] },
    { name: 'MX lookup timeout is an error', mutate: (f) => { dom(f).mx = { status: 'timeout', message: 'no answer', nullMx: false, targets: [] }; }, status: 'error' },
  ]);
});

describe('mta-sts-policy', () => {
  const policy = (text: string): M => (f) => { dom(f).mtaSts.policy.text = text; };
  checkTable(c(mtaStsPolicy), cleanEmailFacts, [
    { name: 'enforced policy covering MX passes', status: 'pass' },
    { name: 'wildcard pattern covers MX', mutate: policy('version: STSv1\nmode: enforce\nmx: *.shop.test\nmax_age: 604800\n'), status: 'pass' },
    { name: 'no TXT is low', mutate: (f) => { dom(f).mtaSts.txt = txt(`_mta-sts.${D}`, []); }, status: 'warn', findings: [{ code: 'absent', severity: 'low' }] },
    { name: 'bad id', mutate: (f) => { dom(f).mtaSts.txt = txt(`_mta-sts.${D}`, ['v=STSv1; id=not-valid!']); }, status: 'warn', findings: ['txt-invalid'] },
    { name: 'testing mode', mutate: policy(`version: STSv1\nmode: testing\nmx: mx1.${D}\nmax_age: 604800\n`), status: 'warn', findings: ['mode-not-enforce'] },
    { name: 'MX not covered is medium', mutate: policy('version: STSv1\nmode: enforce\nmx: mail.other.test\nmax_age: 604800\n'), status: 'fail', findings: [{ code: 'mx-not-covered', severity: 'medium' }] },
    { name: 'short max_age', mutate: policy(`version: STSv1\nmode: enforce\nmx: mx1.${D}\nmax_age: 3600\n`), status: 'warn', findings: ['max-age-short'] },
    { name: 'invalid policy', mutate: policy('version: STSv2\n'), status: 'fail', findings: ['policy-invalid'] },
    { name: 'policy served as text/html is medium', mutate: (f) => { dom(f).mtaSts.policy.contentType = 'text/html; charset=utf-8'; }, status: 'fail', findings: [{ code: 'policy-content-type', severity: 'medium', message: /"text\/html; charset=utf-8"/ }] },
    { name: 'text/plain with a charset is fine', mutate: (f) => { dom(f).mtaSts.policy.contentType = 'Text/Plain; charset=utf-8'; }, status: 'pass' },
    { name: 'a repeated mode: the first one counts', mutate: policy(`version: STSv1\nmode: testing\nmode: enforce\nmx: mx1.${D}\nmax_age: 604800\n`), status: 'warn', findings: [{ code: 'mode-not-enforce', message: /mode testing/ }] },
    { name: 'policy behind an invalid certificate', mutate: (f) => { dom(f).mtaSts.policy.certificate = { valid: false, error: 'CERT_HAS_EXPIRED' }; }, status: 'fail', findings: [{ code: 'policy-cert-invalid', message: /CERT_HAS_EXPIRED/ }] },
    { name: 'policy fetch failed', mutate: (f) => { dom(f).mtaSts.policy = { status: 'error', url: 'https://mta-sts.shop.test/.well-known/mta-sts.txt', reason: 'HTTP 404' }; }, status: 'fail', findings: ['policy-unreachable'] },
    { name: 'policy not fetched is an unknown, never a pass', mutate: (f) => { dom(f).mtaSts.policy = { status: 'not-fetched', url: 'https://mta-sts.shop.test/.well-known/mta-sts.txt', reason: 'no HTTP client' }; }, status: 'error', error: /not fetched/ },
  ]);
});

describe('tls-rpt-record', () => {
  checkTable(c(tlsRptRecord), cleanEmailFacts, [
    { name: 'record present passes', status: 'pass' },
    { name: 'no record is low', mutate: (f) => { dom(f).tlsRpt = txt(`_smtp._tls.${D}`, []); }, status: 'warn', findings: [{ code: 'absent', severity: 'low' }] },
    { name: 'no rua', mutate: (f) => { dom(f).tlsRpt = txt(`_smtp._tls.${D}`, ['v=TLSRPTv1;']); }, status: 'warn', findings: ['invalid'] },
    { name: 'lookup failure is an error', mutate: (f) => { dom(f).tlsRpt = failedTxt(`_smtp._tls.${D}`); }, status: 'error' },
  ]);
});
