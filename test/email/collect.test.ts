// The email collector against sandbox DNS (and an HTTPS sandbox for the MTA-STS policy): what it records per domain.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDkimKey } from '../../src/collect/email/dkim.js';
import { collectEmail, organizationalDomain } from '../../src/collect/email/facts.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import type { CollectContext } from '../../src/collect/context.js';
import { organizationalDomainFromWalk, parseDmarc, treeWalkNames } from '../../src/derive/email-dmarc.js';
import { mxPatternMatches, parseStsPolicy, parseTlsRpt } from '../../src/derive/email-mta-sts.js';
import { analyzeSpf, spfNodes } from '../../src/email/spf/analyze.js';
import type { EmailDomainFacts } from '../../src/facts/email.js';
import type { TargetFacts } from '../../src/facts/index.js';
import { CertFactory } from '../../src/sandbox/certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { startWebSandbox, type WebSandbox } from '../../src/sandbox/https-server.js';
import { sandboxLookup } from './spf-sandbox.js';

const b64 = (bits: number, type: 'rsa' | 'ed25519' = 'rsa', encoding: 'spki' | 'pkcs1' = 'spki') => {
  const { publicKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: bits }) : generateKeyPairSync('ed25519');
  return publicKey.export({ type: encoding, format: 'der' }).toString('base64');
};
const split = (s: string) => `( ${s.match(/.{1,250}/g)!.map((p) => `"${p}"`).join(' ')} )`;

const MAIL_ZONE = () => `$ORIGIN mailer.test.
$TTL 300
@ SOA ns1.mailer.test. h.mailer.test. ( 1 3600 600 1209600 300 )
@ NS ns1
ns1 A 127.0.0.1
@ TXT "v=spf1 ip4:192.0.2.0/24 include:_spf.mailer.test redirect=other.mailer.test -all"
_spf TXT "v=spf1 a:out.mailer.test exists:%{i}.x.mailer.test include:gone.mailer.test ~all"
out A 192.0.2.1
_dmarc TXT "v=DMARC1; p=quarantine; rua=mailto:a@reports.test,mailto:b@wild.test; ruf=mailto:f@nope.test"
s1._domainkey TXT ${split(`v=DKIM1; k=rsa; p=${b64(2048)}`)}
ed._domainkey TXT "v=DKIM1; k=ed25519; p=${Buffer.from(new Uint8Array(32).fill(7)).toString('base64')}"
default._domainkey TXT "v=DKIM1; p="
late._domainkey TXT ${split(`k=rsa; v=DKIM1; p=${b64(2048)}`)}
bare._domainkey TXT ${split(`v=DKIM1; k=rsa; p=${b64(2048, 'rsa', 'pkcs1')}`)}
@ MX 10 mx1.mailer.test.
@ MX 20 alias.mailer.test.
@ MX 30 192.0.2.99.
mx1 A 127.0.0.1
alias CNAME mx1.mailer.test.
_mta-sts TXT "v=STSv1; id=20261129T1"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@mailer.test"
sub TXT "v=spf1 -all"
`;
const REPORTS = `$ORIGIN reports.test.\n@ 300 SOA ns1.reports.test. h.reports.test. ( 1 3600 600 1209600 300 )\nmailer.test._report._dmarc 300 TXT "v=DMARC1"\n`;
const WILD = `$ORIGIN wild.test.\n@ 300 SOA ns1.wild.test. h.wild.test. ( 1 3600 600 1209600 300 )\n*._report._dmarc 300 TXT "v=DMARC1"\n`;
const EXPIRED = `$ORIGIN expired.test.\n@ 300 SOA ns1.expired.test. h.expired.test. ( 1 3600 600 1209600 300 )\n_mta-sts 300 TXT "v=STSv1; id=1"\n`;
// RFC 9989 tree walk: records at several levels, one with psd=n and one with psd=y.
const WALK = `$ORIGIN walk.test.
@ 300 SOA ns1.walk.test. h.walk.test. ( 1 3600 600 1209600 300 )
@ 300 MX 10 mx.walk.test.
mx 300 A 127.0.0.1
_dmarc 300 TXT "v=DMARC1; p=reject"
_dmarc.b 300 TXT "v=DMARC1; p=quarantine; rua=mailto:agg@walk.test,mailto:x@nope.test,mailto:y@addr.walk.test"
addr 300 A 127.0.0.1
_dmarc.n 300 TXT "v=DMARC1; p=none; psd=n"
_dmarc.p 300 TXT "v=DMARC1; p=reject; psd=y"
`;
const NOPE = `$ORIGIN nope.test.\n@ 300 SOA ns1.nope.test. h.nope.test. ( 1 3600 600 1209600 300 )\n`;

let dns: DnsSandbox;
let web: WebSandbox;
let ctx: CollectContext;
const controller = new AbortController();

beforeAll(async () => {
  dns = await startDnsSandbox({ zones: [parseZone(MAIL_ZONE()), parseZone(REPORTS), parseZone(WILD), parseZone(NOPE), parseZone(EXPIRED), parseZone(WALK)] });
  const certs = new CertFactory();
  web = await startWebSandbox({
    hosts: {
      'mta-sts.expired.test': {
        cert: certs.leaf('mta-sts.expired.test', 'expired'),
        https: () => ({ status: 200, body: 'version: STSv1\nmode: enforce\nmx: mx1.mailer.test\nmax_age: 86400\n' }),
      },
      'mta-sts.mailer.test': {
        cert: certs.leaf('mta-sts.mailer.test'),
        https: (req) => req.path === '/.well-known/mta-sts.txt'
          ? { status: 200, headers: { 'content-type': 'text/plain' }, body: 'version: STSv1\nmode: enforce\nmx: mx1.mailer.test\nmax_age: 86400\n' }
          : { status: 404 },
      },
    },
  });
  // The sandbox's private CA is trusted the way a user's --ca would be.
  const ca = join(mkdtempSync(join(tmpdir(), 'lr-email-ca-')), 'ca.pem');
  writeFileSync(ca, certs.caPem);
  const net = await prepareNetwork({ resolver: `${dns.address}:${dns.port}`, connectTo: web.connectTo, timeoutMs: 2000, concurrency: 16, loopbackOnly: true, ca });
  ctx = net.context(controller.signal);
}, 30_000);

afterAll(async () => {
  controller.abort();
  await Promise.all([dns?.close(), web?.close()]);
});

function target(email: TargetFacts['email'], domains = ['mailer.test']): TargetFacts {
  return { domains: domains.map((name) => ({ name, canonical: 'apex', hosts: [] })), now: '2026-11-29T10:00:00.000Z', accept: [], ...(email ? { email } : {}) };
}

describe('collectEmail', () => {
  let facts: EmailDomainFacts;
  beforeAll(async () => {
    const all = await collectEmail(ctx, target({ sendingIps: ['192.0.2.7', '198.51.100.1'], dkimSelectors: ['s1', 'ed', 'nokey', 'late', 'bare'] }));
    facts = all[0]!;
  }, 20_000);

  it('walks the SPF tree and keeps every branch, including the broken one', () => {
    const nodes = spfNodes(facts.spf.tree);
    expect(nodes.map((n) => [n.node.domain, n.node.status])).toEqual([
      ['mailer.test', 'ok'], ['_spf.mailer.test', 'ok'], ['gone.mailer.test', 'none'],
    ]);
    // redirect= is ignored when the record has "all": it is neither a branch nor a lookup.
    expect(facts.spf.tree.totalLookups).toBe(1 + 3);
  });

  it('evaluates each sending IP', () => {
    expect(facts.spf.evaluations.map((e) => [e.ip, e.result])).toEqual([['192.0.2.7', 'pass'], ['198.51.100.1', 'permerror']]);
  });

  it('reads DKIM keys: size, type, revocation, and which selectors came from the config', () => {
    const by = Object.fromEntries(facts.dkim.map((s) => [s.selector, s]));
    expect(by.s1!.key).toMatchObject({ keyType: 'rsa', bits: 2048, revoked: false });
    expect(by.s1!.source).toBe('config');
    expect(by.ed!.key).toMatchObject({ keyType: 'ed25519', bits: 256 });
    expect(by.default!.key).toMatchObject({ revoked: true });
    expect(by.default!.source).toBe('probe');
    expect(by.nokey!.key).toBeUndefined();
    expect(by.nokey!.lookup.status).toBe('nxdomain');
    // v= after k=: a note, the key is still read; a bare PKCS#1 key is read and its encoding kept.
    expect(by.late!.key).toMatchObject({ keyType: 'rsa', bits: 2048, versionNotFirst: true, encoding: 'spki' });
    expect(by.late!.key!.error).toBeUndefined();
    expect(by.bare!.key).toMatchObject({ keyType: 'rsa', bits: 2048, encoding: 'pkcs1' });
    expect(by.s1!.key!.versionNotFirst).toBeUndefined();
  });

  it('checks report authorization at external destinations, exact and wildcard', () => {
    const auth = Object.fromEntries(facts.dmarc.authorizations.map((a) => [a.destination, a]));
    expect(Object.keys(auth).sort()).toEqual(['nope.test', 'reports.test', 'wild.test']);
    expect(auth['reports.test']!.lookup.records).toEqual(['v=DMARC1']);
    expect(auth['wild.test']!.lookup.records).toEqual(['v=DMARC1']); // synthesized from the DNS wildcard
    expect(auth['nope.test']!.wildcard?.status).toBe('nxdomain');
  });

  it('finds the organizational domain and the policy by RFC 9989\'s tree walk, the public suffix list as fallback', async () => {
    const [walked, psdN, psdY, none] = await collectEmail(ctx, target(undefined, ['a.b.walk.test', 'x.n.walk.test', 'c.d.p.walk.test', 'nothing.nope.test']));
    // The first record above the domain applies (b.walk.test's), not the public-suffix org domain's (walk.test's).
    expect(walked!.dmarc).toMatchObject({ orgDomain: 'walk.test', orgDomainFrom: 'tree-walk', org: { name: '_dmarc.b.walk.test' } });
    expect(walked!.dmarc.walk!.map((l) => l.name)).toEqual(['_dmarc.b.walk.test', '_dmarc.walk.test', '_dmarc.test']);
    expect(psdN!.dmarc).toMatchObject({ orgDomain: 'n.walk.test', orgDomainFrom: 'tree-walk' });
    expect(psdY!.dmarc).toMatchObject({ orgDomain: 'd.p.walk.test', orgDomainFrom: 'tree-walk' });
    expect(none!.dmarc).toMatchObject({ orgDomain: 'nope.test', orgDomainFrom: 'psl' });
    expect(none!.dmarc.org).toBeUndefined();
    // rua destinations: walk.test is internal (same organizational domain), nope.test external; each one's mail route.
    expect(walked!.dmarc.authorizations.map((a) => a.destination)).toEqual(['nope.test']);
    const dest = Object.fromEntries(walked!.dmarc.destinations!.map((d) => [d.domain, d]));
    expect(dest['walk.test']).toMatchObject({ mx: { status: 'ok', exchanges: ['mx.walk.test'] } });
    expect(dest['walk.test']!.addresses).toBeUndefined();
    expect(dest['addr.walk.test']!.addresses!.map((a) => a.addresses)).toEqual([['127.0.0.1'], []]);
    expect(dest['nope.test']!.addresses!.every((a) => a.addresses.length === 0)).toBe(true);
  });

  it('records MX targets: CNAME and IP literal', () => {
    expect(facts.mx.targets.map((t) => [t.exchange, t.ipLiteral, t.cname ?? null, t.a.addresses])).toEqual([
      ['mx1.mailer.test', false, null, ['127.0.0.1']],
      ['alias.mailer.test', false, 'mx1.mailer.test', ['127.0.0.1']],
      ['192.0.2.99', true, null, []],
    ]);
  });

  it('fetches the MTA-STS policy over HTTPS through the run\'s agent, and the TLS-RPT record', () => {
    expect(facts.mtaSts.policy).toMatchObject({ status: 'fetched', httpStatus: 200, contentType: 'text/plain', certificate: { valid: true } });
    expect(parseStsPolicy(facts.mtaSts.policy.text!)).toMatchObject({ mode: 'enforce', maxAge: 86400, mx: ['mx1.mailer.test'], errors: [] });
    expect(facts.tlsRpt.records).toEqual(['v=TLSRPTv1; rua=mailto:tls@mailer.test']);
  });

  it('judges the policy host\'s certificate as senders do', async () => {
    const [exp] = await collectEmail(ctx, target(undefined, ['expired.test']));
    expect(exp!.mtaSts.policy).toMatchObject({ status: 'fetched', certificate: { valid: false, error: 'CERT_HAS_EXPIRED' } });
  });

  it('falls back to the organizational domain\'s DMARC record for a subdomain', async () => {
    const [sub] = await collectEmail(ctx, target(undefined, ['sub.mailer.test']));
    expect(sub!.dmarc.own.status).toBe('nxdomain');
    expect(sub!.dmarc.orgDomain).toBe('mailer.test');
    expect(sub!.dmarc.org?.records[0]).toMatch(/^v=DMARC1; p=quarantine/);
  });

  it('mail domains default to the audited domains; the config\'s email.domains wins', async () => {
    const out = await collectEmail(ctx, target({ domains: ['sub.mailer.test'] }));
    expect(out.map((d) => d.domain)).toEqual(['sub.mailer.test']);
  });
});

describe('parsers', () => {
  it('organizational domains come from the public suffix list', () => {
    expect(organizationalDomain('a.b.example.co.uk')).toBe('example.co.uk');
    expect(organizationalDomain('mail.shop.github.io')).toBe('shop.github.io');
    expect(organizationalDomain('example.com')).toBe('example.com');
  });

  it('RFC 9989 tree walk names and organizational domain', () => {
    expect(treeWalkNames('a.b.example.com')).toEqual(['b.example.com', 'example.com', 'com']);
    // Eight labels or more: the walk jumps to the seven rightmost.
    expect(treeWalkNames('a.b.c.d.e.f.g.h.i.example')).toEqual(['d.e.f.g.h.i.example', 'e.f.g.h.i.example', 'f.g.h.i.example', 'g.h.i.example', 'h.i.example', 'i.example', 'example']);
    const rec = (name: string, text?: string) => ({ name, texts: text ? [text] : [] });
    const org = (...found: { name: string; texts: string[] }[]) => organizationalDomainFromWalk(found[0]!.name, found);
    expect(org(rec('a.b.example.com'), rec('b.example.com', 'v=DMARC1; p=none'), rec('example.com', 'v=DMARC1; p=reject'), rec('com'))).toBe('example.com');
    expect(org(rec('a.b.example.com'), rec('b.example.com', 'v=DMARC1; p=none; psd=n'), rec('example.com', 'v=DMARC1; p=reject'), rec('com'))).toBe('b.example.com');
    expect(org(rec('a.b.example.com'), rec('b.example.com'), rec('example.com'), rec('com', 'v=DMARC1; p=reject; psd=y'))).toBe('example.com');
    // psd=y at the start itself does not end the walk; an invalid record is no record.
    expect(org(rec('example.com', 'v=DMARC1; p=reject; psd=y'), rec('com'))).toBe('example.com');
    expect(org(rec('a.example.com'), rec('example.com', 'v=DMARC1; p=reject; adkim=s; adkim=r'), rec('com'))).toBeUndefined();
    expect(org(rec('a.example.com'), rec('example.com'), rec('com'))).toBeUndefined();
  });

  it('DKIM key records', () => {
    expect(parseDkimKey(`v=DKIM1; k=rsa; p=${b64(1024)}`)).toMatchObject({ bits: 1024, testing: false });
    expect(parseDkimKey(`v=DKIM1; k=rsa; t=y:s; p=${b64(2048)}`)).toMatchObject({ bits: 2048, testing: true });
    expect(parseDkimKey('v=DKIM1; k=rsa; p=bm90IGEga2V5').error).toMatch(/does not decode/);
    expect(parseDkimKey('v=DKIM1; k=dsa; p=AAAA').error).toMatch(/unknown key type/);
    expect(parseDkimKey('k=rsa; v=DKIM1; p=')).toMatchObject({ revoked: true, versionNotFirst: true });
    expect(parseDkimKey('k=rsa; v=DKIM1; p=').error).toBeUndefined();
    expect(parseDkimKey('v=DKIM2; p=').error).toMatch(/only "DKIM1"/);
    expect(parseDkimKey('v=DKIM1; k=rsa').error).toMatch(/no p=/);
    expect(parseDkimKey(`v=DKIM1; k=ed25519; p=${b64(0, 'ed25519')}`)).toMatchObject({ bits: 256 });
  });

  it('DMARC records', () => {
    expect(parseDmarc('v=DMARC1; p=reject; sp=none; pct=50; adkim=s; rua=mailto:a@x.test!10m')).toMatchObject({
      p: 'reject', sp: 'none', pct: 50, adkim: 's', aspf: 'r', rua: [{ uri: 'mailto:a@x.test!10m', domain: 'x.test' }], errors: [], warnings: [],
    });
    expect(parseDmarc('v=DMARC1;p=reject;').errors).toEqual([]);
    expect(parseDmarc('v=DMARC1; p=reject; p=none').errors).toContain('tag "p" appears more than once');
    expect(parseDmarc('p=reject; v=DMARC1').errors[0]).toMatch(/must start with/);
  });

  it('MTA-STS and TLS-RPT', () => {
    expect(mxPatternMatches('*.example.com', 'mx1.example.com')).toBe(true);
    expect(mxPatternMatches('*.example.com', 'a.b.example.com')).toBe(false);
    expect(mxPatternMatches('*.example.com', 'example.com')).toBe(false);
    expect(parseStsPolicy('version: STSv1\nmode: enforce\nmax_age: 99999999999\nmx: a.test').errors).toContain('max_age: 99999999999: expected seconds up to 31557600');
    expect(parseStsPolicy('version: STSv1\nmode: enforce\nmax_age: 86400\nmx: a.test').errors).toEqual([]);
    expect(parseTlsRpt('v=TLSRPTv1; rua=https://r.example/tls').errors).toEqual([]);
    expect(parseTlsRpt('v=TLSRPTv1; rua=ftp://r.example').errors).toHaveLength(1);
  });
});

describe('analyzeSpf', () => {
  it('counts lookups per branch past the limit and keeps a record that does not parse', async () => {
    const s = await startDnsSandbox({ zones: [parseZone(`$ORIGIN t.test.
@ 300 SOA ns1.t.test. h.t.test. ( 1 3600 600 1209600 300 )
@ 300 TXT "v=spf1 include:a.t.test include:b.t.test include:bad.t.test include:%{d}.m.t.test -all"
a 300 TXT "v=spf1 a mx ptr exists:x.t.test include:c.t.test -all"
b 300 TXT "v=spf1 a:1.t.test a:2.t.test a:3.t.test a:4.t.test ~all"
c 300 TXT "v=spf1 include:a.t.test"
m 300 TXT "v=spf1 mx mx:b.t.test -all"
m 300 MX 10 h1.t.test.
m 300 MX 20 h2.t.test.
m 300 MX 30 h3.t.test.
h1 300 AAAA 2001:db8::1
h2 300 TXT "no address here"
b 300 MX 10 h1.t.test.
bad 300 TXT "v=spf1 ip4:1.2.3.4/40 -all"
`)] });
    try {
      const tree = await analyzeSpf('t.test', sandboxLookup(s));
      expect(tree.totalLookups).toBe(4 + 5 + 1 + 4);
      const c = tree.children[0]!.node.children[0]!.node;
      expect(c.children[0]!.node.status).toBe('loop');
      expect(tree.children[2]!.node).toMatchObject({ status: 'syntax', record: 'v=spf1 ip4:1.2.3.4/40 -all' });
      expect(tree.children[3]!.node.status).toBe('not-walked');
      expect(tree.children[0]!.node.ptr).toEqual(['ptr']);
      // Dead targets, found by looking them up: a.t.test has neither addresses nor MX; 1-4.t.test do not exist.
      expect(tree.children[0]!.node.voidTerms).toEqual(['a', 'mx']);
      expect(tree.children[1]!.node.voidTerms).toEqual(['a:1.t.test', 'a:2.t.test', 'a:3.t.test', 'a:4.t.test']);
      expect(tree.voidTerms).toBeUndefined();
      // An MX host with neither A nor AAAA is a void lookup of its own (an AAAA-only host is not).
      const m = await analyzeSpf('m.t.test', sandboxLookup(s));
      expect(m.voidTerms).toEqual(['mx (MX host h2.t.test has no address)', 'mx (MX host h3.t.test has no address)']);
    } finally {
      await s.close();
    }
  });
});
