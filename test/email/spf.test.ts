// The RFC 7208 evaluator over the DNS sandbox (real UDP/TCP): every mechanism, modifiers, limits, errors, macros.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHost, expandMacros, type SpfEvaluation } from '../../src/email/spf/evaluate.js';
import { parseRecord, SpfSyntaxError } from '../../src/email/spf/parse.js';
import type { DnsSandbox } from '../../src/sandbox/dns-server.js';
import { sandboxLookup, startSpfSandbox } from './spf-sandbox.js';

let dns: DnsSandbox;
beforeAll(async () => { dns = await startSpfSandbox(); });
afterAll(async () => { await dns?.close(); });

function spf(domain: string, ip: string, sender = `postmaster@${domain}`, extra: { helo?: string } = {}): Promise<SpfEvaluation> {
  return checkHost({ domain, ip, sender, lookup: sandboxLookup(dns), now: new Date('2026-11-29T10:00:00Z'), ...extra });
}

describe('check_host results', () => {
  const cases: [string, string, string, string?][] = [
    // [domain, ip, expected result, problem pattern]
    ['ip4.spf.test', '192.0.2.77', 'pass'],
    ['ip4.spf.test', '192.0.3.1', 'fail'],
    ['ip4.spf.test', '2001:db8:ffff::1', 'pass'],
    ['ip4.spf.test', '2001:db9::1', 'fail'],
    ['split.spf.test', '192.0.2.1', 'pass'],
    ['a.spf.test', '198.51.100.1', 'pass'],
    ['a.spf.test', '198.51.100.2', 'fail'],
    ['a.spf.test', '203.0.113.200', 'pass'],
    ['a6.spf.test', '2001:db8:1:2:ffff::9', 'pass'],
    ['a6.spf.test', '2001:db8:1:3::1', 'fail'],
    ['mx.spf.test', '198.51.100.22', 'pass'],
    ['mx.spf.test', '198.51.100.41', 'pass'],
    ['mx.spf.test', '198.51.100.30', 'fail'],
    ['inc.spf.test', '192.0.2.1', 'pass'],
    ['inc.spf.test', '10.0.0.1', 'softfail'],
    ['incnone.spf.test', '192.0.2.1', 'permerror', 'nospf.spf.test has no SPF record'],
    ['incfail.spf.test', '192.0.2.1', 'neutral'],
    ['redir.spf.test', '192.0.2.1', 'pass'],
    ['redir.spf.test', '10.0.0.1', 'fail'],
    ['redirall.spf.test', '192.0.2.1', 'neutral'],
    ['redirnone.spf.test', '192.0.2.1', 'permerror', 'redirect=nospf.spf.test has no SPF record'],
    ['multi.spf.test', '192.0.2.1', 'permerror', '2 SPF records'],
    ['syntax.spf.test', '192.0.2.1', 'permerror', 'syntax error'],
    ['badmech.spf.test', '192.0.2.1', 'permerror', 'unknown mechanism'],
    ['dupredir.spf.test', '192.0.2.1', 'permerror', 'more than once'],
    ['exists.spf.test', '192.0.2.1', 'pass'],
    ['exists.spf.test', '192.0.2.2', 'fail'],
    ['ptr.spf.test', '192.0.2.55', 'pass'],
    ['ptr.spf.test', '192.0.2.56', 'fail'],
    ['ptr.spf.test', '192.0.2.57', 'fail'],
    ['ten.spf.test', '10.0.0.1', 'fail'],
    ['eleven.spf.test', '10.0.0.1', 'permerror', 'more than 10 DNS-querying terms'],
    ['eleven.spf.test', '203.0.113.1', 'pass'],
    ['void2.spf.test', '10.0.0.1', 'fail'],
    ['void3.spf.test', '10.0.0.1', 'permerror', 'more than 2 void'],
    ['mxmany.spf.test', '10.0.0.1', 'permerror', '11 MX records'],
    // MX hosts with no address are void lookups (as pyspf counts them), even when an earlier host matches.
    ['mxvoid.spf.test', '10.0.0.1', 'permerror', 'more than 2 void'],
    ['mxvoid2.spf.test', '198.51.100.20', 'pass'],
    ['mxvoid2.spf.test', '10.0.0.1', 'fail'],
    ['mxvoid3.spf.test', '198.51.100.20', 'permerror', 'more than 2 void'],
    // An mx term whose name has no MX records (NODATA here, NXDOMAIN at v1) is a void lookup: three voids with a:v2.
    ['mxnodata.spf.test', '10.0.0.1', 'permerror', 'more than 2 void'],
    // A failed MX lookup is a DNS error, not an empty answer.
    ['mxfail.spf.test', '192.0.2.1', 'temperror', 'MX lookup failed'],
    ['tf.spf.test', '192.0.2.1', 'temperror', 'servfail'],
    ['sf.spf.test', '192.0.2.1', 'temperror', 'servfail'],
    ['slow.spf.test', '192.0.2.1', 'temperror', 'timeout'],
    ['nothere.spf.test', '192.0.2.1', 'none', 'does not exist'],
    ['nospf.spf.test', '192.0.2.1', 'none', 'no SPF record'],
    ['neutral.spf.test', '192.0.2.1', 'neutral'],
    ['loop.spf.test', '192.0.2.1', 'permerror', 'more than 10'],
    ['odd.spf.test', '192.0.2.9', 'pass'],
    ['long.spf.test', '192.0.2.10', 'pass'],
    ['upper.spf.test', '192.0.2.11', 'pass'],
    ['mapped.spf.test', '::ffff:192.0.2.5', 'pass'],
    ['singlelabel', '192.0.2.1', 'none', 'not a valid domain'],
  ];
  for (const [domain, ip, result, problem] of cases) {
    it(`${domain} for ${ip} is ${result}`, async () => {
      const ev = await spf(domain, ip);
      expect(ev.result, JSON.stringify(ev.trace.map((t) => t.text))).toBe(result);
      if (problem) expect(ev.problem).toContain(problem);
    });
  }

  it('macros in exists use the sender local-part', async () => {
    expect((await spf('macro-l.spf.test', '10.0.0.1', 'alice@example.test')).result).toBe('pass');
    expect((await spf('macro-l.spf.test', '10.0.0.1', 'bob@example.test')).result).toBe('fail');
  });

  it('counts lookups and void lookups, and the trace shows where the limit was hit', async () => {
    const ev = await spf('eleven.spf.test', '10.0.0.1');
    expect(ev.lookups).toBe(11);
    const limit = ev.trace.find((t) => t.kind === 'limit');
    expect(limit?.term).toBe('a:x11.spf.test');
    const v = await spf('void2.spf.test', '10.0.0.1');
    expect(v.voidLookups).toBe(2);
    expect(v.lookups).toBe(2);
    expect(v.trace.filter((t) => t.kind === 'dns').map((t) => t.query?.name)).toEqual(['void2.spf.test', 'v1.spf.test', 'v2.spf.test']);
    const m = await spf('mxvoid2.spf.test', '198.51.100.20');
    expect(m.voidLookups).toBe(2);
    expect(m.trace.filter((t) => t.kind === 'dns').map((t) => t.query?.name)).toEqual(['mxvoid2.spf.test', 'mxvoid2.spf.test', 'mail1.spf.test', 'gone1.spf.test', 'gone2.spf.test']);
  });

  it('reports the matched term and the record', async () => {
    const ev = await spf('inc.spf.test', '192.0.2.1');
    expect(ev.matched).toEqual({ domain: 'inc.spf.test', term: 'include:ip4.spf.test' });
    expect(ev.record).toBe('v=spf1 include:ip4.spf.test ~all');
    expect(ev.trace.some((t) => t.depth === 1 && t.kind === 'match' && t.domain === 'ip4.spf.test')).toBe(true);
  });

  it('expands the exp= explanation on fail', async () => {
    const ev = await spf('exp.spf.test', '192.0.2.3');
    expect(ev.result).toBe('fail');
    expect(ev.explanation).toBe("192.0.2.3 is not one of exp.spf.test's designated mail servers.");
  });

  it('uses the HELO identity for a null sender', async () => {
    const ev = await spf('ip4.spf.test', '192.0.2.1', '', { helo: 'ip4.spf.test' });
    expect(ev.sender).toBe('postmaster@ip4.spf.test');
    expect(ev.result).toBe('pass');
  });
});

describe('macro expansion (RFC 7208 7.4 examples)', () => {
  const base = { domain: 'email.example.com', ip: '192.0.2.3', sender: 'strong-bad@email.example.com' };
  const table: [string, string][] = [
    ['%{s}', 'strong-bad@email.example.com'],
    ['%{o}', 'email.example.com'],
    ['%{d}', 'email.example.com'],
    ['%{d4}', 'email.example.com'],
    ['%{d3}', 'email.example.com'],
    ['%{d2}', 'example.com'],
    ['%{d1}', 'com'],
    ['%{dr}', 'com.example.email'],
    ['%{d2r}', 'example.email'],
    ['%{l}', 'strong-bad'],
    ['%{l-}', 'strong.bad'],
    ['%{lr}', 'strong-bad'],
    ['%{lr-}', 'bad.strong'],
    ['%{l1r-}', 'strong'],
    ['%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
    ['%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
    ['%{lr-}.lp.%{ir}.%{v}._spf.%{d2}', 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com'],
    ['%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
    ['%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
    ['%%%_%-', '% %20'],
    ['%{S}', 'strong-bad%40email.example.com'],
  ];
  for (const [macro, want] of table) {
    it(`${macro} → ${want}`, async () => {
      expect(await expandMacros(macro, { ...base, explanation: macro.includes('%_') })).toBe(want);
    });
  }
  it('IPv6 %{ir} is dotted nibbles', async () => {
    expect(await expandMacros('%{ir}.%{v}._spf.%{d2}', { ...base, ip: '2001:db8::cb01' }))
      .toBe('1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com');
  });
  it('explanation-only macros', async () => {
    const t = await expandMacros('%{c} %{r} %{t}', { ...base, explanation: true, now: new Date(1_000_000_000_000), receivingDomain: 'mx.example.org' });
    expect(t).toBe('192.0.2.3 mx.example.org 1000000000');
  });
  it('an expanded domain over 253 octets loses labels on the left', async () => {
    const longLocal = Array.from({ length: 40 }, () => 'abcdefg').join('.');
    const out = await expandMacros('%{l}.%{d}', { ...base, sender: `${longLocal}@x.test` });
    expect(out.length).toBeLessThanOrEqual(253);
    expect(out.endsWith('.email.example.com')).toBe(true);
  });
});

describe('record syntax (strict ABNF)', () => {
  const valid = [
    'v=spf1', 'v=spf1 -all', 'v=spf1  ip4:1.2.3.4  ~all ', 'v=spf1 a/24//64 mx:example.com/0 -all', 'v=spf1 ip6:::1/128 ?all',
    'v=spf1 exists:%{i}._spf.%{d} -all', 'v=spf1 include:_spf.google.com ~all', 'v=spf1 foo=bar -all', 'v=spf1 a:example.com. -all',
    'v=spf1 redirect=_spf.example.com', 'v=spf1 exp=%{d}.exp.example.com -all', 'v=spf1 ptr:example.com ?all',
  ];
  const invalid = [
    'v=spf1 ip4:1.2.3.4/33', 'v=spf1 ip4:01.2.3.4', 'v=spf1 ip6:2001:db8::/129', 'v=spf1 a/033', 'v=spf1 all:foo',
    'v=spf1 include:', 'v=spf1 include:example', 'v=spf1 a:111.222.33.44', 'v=spf1 exists:%{x}.example.com',
    'v=spf1 exists:%{c}.example.com', 'v=spf1 include:%{d0}.example.com', 'v=spf1 -all redirect=a.test redirect=b.test',
    'v=spf1 exp=a.test exp=b.test', 'v=spf1 ip4:1.2.3.4 moo', 'v=spf1 a:exa%mple.com', 'v=spf1 include:example.com/24',
    'v=spf1 -all\u00e9', 'v=spf1 mx//129',
  ];
  for (const r of valid) it(`parses "${r}"`, () => expect(() => parseRecord(r)).not.toThrow());
  for (const r of invalid) it(`rejects "${r}"`, () => expect(() => parseRecord(r)).toThrow(SpfSyntaxError));
});
