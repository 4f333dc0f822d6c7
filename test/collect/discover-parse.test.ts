// The parsers discovery reads names with: SPF and DMARC records, user wordlists, and the wildcard signature.
import { describe, expect, it } from 'vitest';
import { dmarcNames, spfNames } from '../../src/collect/discover/dns-data.js';
import { parseWordlist } from '../../src/collect/discover/user-wordlist.js';
import { answerSignature } from '../../src/collect/discover/wildcard.js';
import { BUILTIN_WORDLIST } from '../../src/collect/discover/wordlist.js';

describe('discovery parsers', () => {
  it('SPF: a:, mx:, include:, exists:, redirect= names; macros and mechanisms without a name are left out', () => {
    expect(spfNames('v=spf1 a mx a:web.x.test -mx:mail.x.test/24 include:_spf.x.test exists:%{i}.e.x.test ?exists:ok.x.test redirect=_r.x.test ip4:192.0.2.1 -all'))
      .toEqual(['web.x.test', 'mail.x.test', '_spf.x.test', 'ok.x.test', '_r.x.test']);
    expect(spfNames('google-site-verification=a:b.test')).toEqual([]);
  });

  it('DMARC: the domains of rua and ruf addresses', () => {
    expect(dmarcNames('v=DMARC1; p=reject; rua=mailto:a@reports.x.test,mailto:b@y.test!10m; ruf=mailto:f@forensic.x.test')).toEqual(['reports.x.test', 'y.test', 'forensic.x.test']);
    expect(dmarcNames('v=spf1 -all')).toEqual([]);
  });

  it('wordlist files: comments, blanks and case are ignored; a bad line is a usage error naming it', () => {
    expect(parseWordlist('# ours\nAPI\n\nstaging.eu  # the EU one\napi\n', 'f')).toEqual(['api', 'staging.eu']);
    expect(() => parseWordlist('ok\nnot a label\n', '--wordlist x')).toThrow(/--wordlist x line 2: "not a label" is not a host label/);
  });

  it('the built-in list is a real list: hundreds of distinct valid labels', () => {
    expect(BUILTIN_WORDLIST.length).toBeGreaterThan(500);
    expect(BUILTIN_WORDLIST.length).toBeLessThanOrEqual(2000);
    expect(new Set(BUILTIN_WORDLIST).size).toBe(BUILTIN_WORDLIST.length);
    expect(parseWordlist(BUILTIN_WORDLIST.join('\n'), 'builtin')).toHaveLength(BUILTIN_WORDLIST.length);
    for (const l of ['promo', 'staging', 'status', 'docs', 'shop', 'mail', 'legacy', 'admin', 'grafana']) expect(BUILTIN_WORDLIST).toContain(l);
  });

  it('wildcard signature: what the answer points at, owner name aside', () => {
    const base = { name: 'x', type: 'A' as const, server: 's', elapsedMs: 1, authoritative: true, authority: [], viaTcp: false };
    const a = answerSignature({ ...base, status: 'ok', records: [{ name: 'r1.w.test', type: 'A', ttl: 1, address: '192.0.2.2' }, { name: 'r1.w.test', type: 'A', ttl: 1, address: '192.0.2.1' }] });
    const b = answerSignature({ ...base, status: 'ok', records: [{ name: 'other.w.test', type: 'A', ttl: 9, address: '192.0.2.1' }, { name: 'other.w.test', type: 'A', ttl: 9, address: '192.0.2.2' }] });
    expect(a).toBe('192.0.2.1 192.0.2.2');
    expect(b).toBe(a);
    expect(answerSignature({ ...base, status: 'timeout', message: 't' })).toBeUndefined();
  });
});
