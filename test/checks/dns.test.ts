// Table tests for every DNS check: one known-good baseline, each case changes one thing.
import { describe } from 'vitest';
import apexCname from '../../src/checks/dns/apex-cname.js';
import danglingCname from '../../src/checks/dns/dangling-cname.js';
import lameDelegation from '../../src/checks/dns/lame-delegation.js';
import missingCaa from '../../src/checks/dns/missing-caa.js';
import singleNameserver from '../../src/checks/dns/single-nameserver.js';
import soaSerialMismatch from '../../src/checks/dns/soa-serial-mismatch.js';
import unexpectedRecord from '../../src/checks/dns/unexpected-record.js';
import unresolvableHost from '../../src/checks/dns/unresolvable-host.js';
import type { AnyCheck } from '../../src/checks/define.js';
import { checkTable } from '../helpers/check-tester.js';
import { cleanFacts, failed, findHost, negative, nsProbe, ok } from '../helpers/dns-facts.js';

const c = (x: unknown) => x as AnyCheck;
const hop = (name: string, target: string) => ({ name, target, ttl: 300 });

describe('unresolvable-host', () => {
  checkTable(c(unresolvableHost), cleanFacts, [
    { name: 'clean zone passes', status: 'pass' },
    {
      name: 'declared host NXDOMAIN is high',
      mutate: (f) => { const h = findHost(f, 'www'); h.a = { ...h.a, status: 'nxdomain', addresses: [] }; h.aaaa = { ...h.aaaa, status: 'nxdomain', addresses: [] }; },
      status: 'fail',
      findings: [{ code: 'nxdomain', host: 'www.shop.test', severity: 'high' }],
    },
    {
      name: 'undeclared default surface missing is only info',
      mutate: (f) => { const h = findHost(f, 'www'); h.declared = false; h.a = { ...h.a, status: 'nxdomain', addresses: [] }; h.aaaa = { ...h.aaaa, status: 'nxdomain', addresses: [] }; },
      status: 'warn',
      findings: [{ code: 'surface-absent', severity: 'info' }],
    },
    {
      name: 'host with records but no address',
      mutate: (f) => { const h = findHost(f, '@'); h.a = { ...h.a, addresses: [], status: 'nodata' }; h.aaaa = { ...h.aaaa, addresses: [], status: 'nodata' }; },
      status: 'fail',
      findings: [{ code: 'no-address', host: 'shop.test' }],
    },
    {
      name: 'one family failing while the other has addresses still resolves',
      mutate: (f) => { const h = findHost(f, '@'); h.aaaa = { ...h.aaaa, addresses: [], status: 'timeout', message: 'timed out' }; },
      status: 'pass',
    },
    {
      name: 'lookup timeout is an error, never a pass',
      mutate: (f) => { const h = findHost(f, 'www'); h.a = { ...h.a, addresses: [], status: 'timeout', message: 'no answer' }; h.aaaa = { ...h.aaaa, addresses: [], status: 'timeout', message: 'no answer' }; },
      status: 'error',
      error: /www\.shop\.test: A timeout/,
    },
    {
      name: 'broken CNAME chain is left to dangling-cname',
      mutate: (f) => { const h = findHost(f, 'api'); h.a = { ...h.a, addresses: [], status: 'nxdomain' }; h.aaaa = { ...h.aaaa, status: 'nxdomain' }; },
      status: 'pass',
    },
  ]);
});

describe('apex-cname', () => {
  checkTable(c(apexCname), cleanFacts, [
    { name: 'apex with addresses passes', status: 'pass' },
    {
      name: 'apex CNAME is flagged with its target',
      mutate: (f) => { const h = findHost(f, '@'); h.a.chain = [hop('shop.test', 'lb.cdn.test')]; },
      status: 'fail',
      findings: [{ code: 'cname', host: 'shop.test', message: /CNAME to lb\.cdn\.test/ }],
    },
    {
      name: 'apex lookups failing is an error',
      mutate: (f) => { const h = findHost(f, '@'); h.a = { ...h.a, addresses: [], status: 'servfail' }; h.aaaa = { ...h.aaaa, addresses: [], status: 'servfail' }; },
      status: 'error',
    },
  ]);
});

describe('dangling-cname', () => {
  const dangle = (target: string) => (f: ReturnType<typeof cleanFacts>) => {
    const h = findHost(f, 'api');
    const chain = [hop('api.shop.test', target)];
    h.a = { status: 'nxdomain', addresses: [], chain, finalName: target };
    h.aaaa = { status: 'nxdomain', addresses: [], chain, finalName: target };
  };
  checkTable(c(danglingCname), cleanFacts, [
    { name: 'chain ending in an address passes', status: 'pass' },
    { name: 'target NXDOMAIN', mutate: dangle('gone.elsewhere.test'), status: 'fail', findings: [{ code: 'target-nxdomain', host: 'api.shop.test', severity: 'high' }] },
    {
      name: 'target NXDOMAIN at a known hosting provider names it',
      mutate: dangle('old-app.herokuapp.com'),
      status: 'fail',
      findings: [{ code: 'target-nxdomain-provider-edge', message: /on Heroku, .*edge case/ }],
    },
    {
      name: 'target NXDOMAIN at a vulnerable service names it as claimable',
      mutate: dangle('old-api.azure-api.net'),
      status: 'fail',
      findings: [{ code: 'target-nxdomain-provider', severity: 'high', message: /on Microsoft Azure, .*anyone can claim/ }],
    },
    {
      name: 'target NXDOMAIN at a not-vulnerable service is a broken host, not a claimable one',
      mutate: dangle('gone-1234.us-east-1.elb.amazonaws.com'),
      status: 'fail',
      findings: [{ code: 'target-nxdomain-unclaimable', message: /on AWS Elastic Load Balancing, .*others cannot claim it, but the host is broken/ }],
    },
    {
      name: 'CloudFront is not claimable either',
      mutate: dangle('d111111abcdef8.cloudfront.net'),
      status: 'fail',
      findings: [{ code: 'target-nxdomain-unclaimable', message: /AWS CloudFront/ }],
    },
    {
      name: 'longest provider suffix wins',
      mutate: dangle('bucket.s3.amazonaws.com'),
      status: 'fail',
      findings: [{ code: 'target-nxdomain-provider', message: /AWS S3/ }],
    },
    {
      name: 'target exists without address',
      mutate: (f) => { const h = findHost(f, 'api'); h.a = { ...h.a, status: 'nodata', addresses: [] }; },
      status: 'fail',
      findings: ['target-no-address'],
    },
    {
      name: 'loop',
      mutate: (f) => {
        const h = findHost(f, 'api');
        const chain = [hop('api.shop.test', 'a.shop.test'), hop('a.shop.test', 'api.shop.test')];
        h.a = { status: 'loop', addresses: [], chain, finalName: 'api.shop.test' };
        h.aaaa = { status: 'loop', addresses: [], chain, finalName: 'api.shop.test' };
      },
      status: 'fail',
      findings: [{ code: 'loop', message: /api\.shop\.test → a\.shop\.test → api\.shop\.test/ }],
    },
    {
      name: 'a host whose lookups all failed is an error: it may be a CNAME',
      mutate: (f) => { const h = findHost(f, 'www'); h.a = { ...h.a, status: 'timeout', addresses: [] }; h.aaaa = { ...h.aaaa, status: 'timeout', addresses: [] }; },
      status: 'error',
    },
    {
      name: 'chain target lookup timing out is an error',
      mutate: (f) => {
        const h = findHost(f, 'api');
        h.a = { ...h.a, status: 'timeout', addresses: [], message: 'no answer' };
        h.aaaa = { ...h.aaaa, status: 'timeout', addresses: [], message: 'no answer' };
      },
      status: 'error',
    },
  ]);
});

describe('unexpected-record', () => {
  const withExpect = (label: string, expect: object) => (f: ReturnType<typeof cleanFacts>) => { findHost(f, label).expect = expect; };
  checkTable(c(unexpectedRecord), cleanFacts, [
    { name: 'no expectations: not applicable', status: 'not-applicable' },
    { name: 'matching A set in any order passes', mutate: withExpect('@', { A: ['127.0.0.1'], AAAA: ['::1'] }), status: 'pass' },
    { name: 'A mismatch', mutate: withExpect('www', { A: ['203.0.113.9'] }), status: 'fail', findings: [{ code: 'a-mismatch', message: /has A 127\.0\.0\.1; expected 203\.0\.113\.9/ }] },
    { name: 'AAAA expected but absent', mutate: withExpect('www', { AAAA: ['2001:db8::1'] }), status: 'fail', findings: [{ code: 'aaaa-mismatch', message: /\(none\)/ }] },
    { name: 'CNAME matches case-insensitively', mutate: withExpect('api', { CNAME: 'EDGE.shop.test.' }), status: 'pass' },
    { name: 'CNAME mismatch', mutate: withExpect('api', { CNAME: 'new-edge.shop.test' }), status: 'fail', findings: ['cname-mismatch'] },
    { name: 'CNAME expected on a host with addresses only', mutate: withExpect('www', { CNAME: 'edge.shop.test' }), status: 'fail', findings: [{ code: 'cname-mismatch', message: /\(no CNAME\)/ }] },
    {
      name: 'lookup failure is an error',
      mutate: (f) => { const h = findHost(f, 'www'); h.expect = { A: ['127.0.0.1'] }; h.a = { ...h.a, status: 'timeout', addresses: [] }; },
      status: 'error',
    },
  ]);
});

describe('single-nameserver', () => {
  checkTable(c(singleNameserver), cleanFacts, [
    { name: 'two nameservers pass', status: 'pass' },
    { name: 'one nameserver', mutate: (f) => { f['dns.zones'][0]!.nameservers.pop(); }, status: 'fail', findings: [{ code: 'one', severity: 'medium', message: /ns1\.shop\.test/ }] },
    {
      name: 'no NS records is high',
      mutate: (f) => { const z = f['dns.zones'][0]!; z.ns = negative('nodata', z.domain, 'NS'); z.nameservers = []; },
      status: 'fail',
      findings: [{ code: 'none', severity: 'high' }],
    },
    { name: 'NS lookup timeout is an error', mutate: (f) => { const z = f['dns.zones'][0]!; z.ns = failed('timeout', z.domain, 'NS'); z.nameservers = []; }, status: 'error', error: /NS lookup timeout/ },
  ]);
});

describe('lame-delegation', () => {
  checkTable(c(lameDelegation), cleanFacts, [
    { name: 'all authoritative passes', status: 'pass' },
    {
      name: 'a nameserver that times out',
      mutate: (f) => { f['dns.zones'][0]!.nameservers[1]!.probes[0]!.answer = failed('timeout', 'shop.test', 'SOA'); },
      status: 'fail',
      findings: [{ code: 'no-answer', host: 'ns2.shop.test', message: /timeout/ }],
    },
    {
      name: 'a nameserver that refuses the zone',
      mutate: (f) => { f['dns.zones'][0]!.nameservers[0]!.probes[0]!.answer = failed('refused', 'shop.test', 'SOA', 'REFUSED'); },
      status: 'fail',
      findings: [{ code: 'no-answer', host: 'ns1.shop.test' }],
    },
    {
      name: 'an answer without the AA flag',
      mutate: (f) => { f['dns.zones'][0]!.nameservers[0]!.probes[0]!.answer = ok('shop.test', 'SOA', [], false); },
      status: 'fail',
      findings: ['not-authoritative'],
    },
    {
      name: 'a nameserver without an address',
      mutate: (f) => { const ns = f['dns.zones'][0]!.nameservers[1]!; ns.probes = []; ns.addressError = 'no address for ns2.shop.test (A: nxdomain; AAAA: nxdomain)'; },
      status: 'fail',
      findings: ['no-address'],
    },
    { name: 'no nameservers at all: not applicable', mutate: (f) => { f['dns.zones'][0]!.nameservers = []; }, status: 'not-applicable' },
  ]);
});

describe('soa-serial-mismatch', () => {
  checkTable(c(soaSerialMismatch), cleanFacts, [
    { name: 'same serial passes', status: 'pass' },
    {
      name: 'different serials',
      mutate: (f) => { f['dns.zones'][0]!.nameservers[1] = nsProbe('ns2.shop.test', 'shop.test', 5, '127.0.0.1:5302'); },
      status: 'fail',
      findings: [{ code: 'mismatch', message: /: 7, .*: 5/ }],
    },
    {
      name: 'only one serial to compare: not applicable',
      mutate: (f) => { f['dns.zones'][0]!.nameservers[1]!.probes[0]!.answer = failed('timeout', 'shop.test', 'SOA'); },
      status: 'not-applicable',
    },
  ]);
});

describe('missing-caa', () => {
  checkTable(c(missingCaa), cleanFacts, [
    { name: 'CAA present passes', status: 'pass' },
    { name: 'no CAA is low', mutate: (f) => { f['dns.zones'][0]!.caa = negative('nodata', 'shop.test', 'CAA'); }, status: 'warn', findings: [{ code: 'absent', severity: 'low' }] },
    { name: 'CAA lookup SERVFAIL is an error', mutate: (f) => { f['dns.zones'][0]!.caa = failed('servfail', 'shop.test', 'CAA'); }, status: 'error' },
    { name: 'domain does not exist: nothing to say about CAA', mutate: (f) => { f['dns.zones'][0]!.caa = negative('nxdomain', 'shop.test', 'CAA'); }, status: 'pass' },
  ]);
});
