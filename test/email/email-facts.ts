// Fact builders for the email check tests: a known-good mail domain that each case changes one field of.
import type { DkimSelectorFacts, EmailDomainFacts, TxtLookup } from '../../src/facts/email.js';
import type { FactMap } from '../../src/facts/index.js';
import type { SpfNode } from '../../src/email/spf/analyze.js';
import { NOW } from '../helpers/dns-facts.js';

export const D = 'shop.test';

export function txt(name: string, records: string[], status: TxtLookup['status'] = records.length ? 'ok' : 'nodata'): TxtLookup {
  return { name, status, records };
}

export function failedTxt(name: string, status: 'timeout' | 'servfail' = 'timeout'): TxtLookup {
  return { name, status, records: [], message: `${status} after 3 attempts` };
}

export function spfNode(domain: string, record: string, extra: Partial<SpfNode> = {}): SpfNode {
  return {
    domain, status: 'ok', record, terms: record.slice(7).split(' ').filter(Boolean), ownLookups: 0, totalLookups: 0,
    children: [], ptr: [], ...(/[-~?+]?all\b/.exec(record) ? { all: /[-~?+]?all\b/.exec(record)![0] } : {}), ...extra,
  };
}

/** include:_spf.mailer.test (2 lookups inside) + mx = 4 lookups in all. */
export function cleanSpfTree(): SpfNode {
  const inner = spfNode('_spf.mailer.test', 'v=spf1 a:out1.mailer.test a:out2.mailer.test ~all', { ownLookups: 2, totalLookups: 2 });
  return spfNode(D, 'v=spf1 mx include:_spf.mailer.test -all', {
    ownLookups: 2, totalLookups: 4,
    children: [{ term: 'include:_spf.mailer.test', kind: 'include', target: '_spf.mailer.test', node: inner }],
  });
}

// A 2048-bit key's size is what the checks read; the key text itself is the collector's business.
export function dkimKey(selector: string, source: 'config' | 'probe', extra: Partial<NonNullable<DkimSelectorFacts['key']>> = {}): DkimSelectorFacts {
  return {
    selector, source,
    lookup: txt(`${selector}._domainkey.${D}`, ['v=DKIM1; k=rsa; p=MIIB...']),
    key: { tags: { v: 'DKIM1', k: 'rsa', p: 'MIIB...' }, keyType: 'rsa', bits: 2048, revoked: false, testing: false, ...extra },
  };
}

export function noDkim(selector: string, source: 'config' | 'probe' = 'probe'): DkimSelectorFacts {
  return { selector, source, lookup: txt(`${selector}._domainkey.${D}`, [], 'nxdomain') };
}

export function cleanDomain(): EmailDomainFacts {
  const addr = (a: string[]) => ({ status: 'ok' as const, addresses: a, chain: [], finalName: `mx1.${D}` });
  return {
    domain: D,
    sendingIps: ['192.0.2.25'],
    dkimSelectors: ['s1'],
    spf: {
      lookup: txt(D, ['v=spf1 mx include:_spf.mailer.test -all', 'google-site-verification=abc']),
      tree: cleanSpfTree(),
      evaluations: [{
        result: 'pass', ip: '192.0.2.25', sender: `postmaster@${D}`, matched: { domain: '_spf.mailer.test', term: 'a:out1.mailer.test' },
        record: 'v=spf1 mx include:_spf.mailer.test -all', lookups: 3, voidLookups: 0, dnsQueries: 5, trace: [],
      }],
    },
    dmarc: {
      own: txt(`_dmarc.${D}`, ['v=DMARC1; p=reject; rua=mailto:dmarc@shop.test']),
      authorizations: [],
    },
    dkim: [dkimKey('s1', 'config'), noDkim('google'), noDkim('selector1')],
    mx: {
      status: 'ok', nullMx: false,
      targets: [{ exchange: `mx1.${D}`, preference: 10, ipLiteral: false, a: addr(['192.0.2.30']), aaaa: { ...addr([]), status: 'nodata' } }],
    },
    mtaSts: {
      txt: txt(`_mta-sts.${D}`, ['v=STSv1; id=20261129']),
      policy: { status: 'fetched', url: `https://mta-sts.${D}/.well-known/mta-sts.txt`, httpStatus: 200, text: `version: STSv1\nmode: enforce\nmx: mx1.${D}\nmax_age: 604800\n` },
    },
    tlsRpt: txt(`_smtp._tls.${D}`, ['v=TLSRPTv1; rua=mailto:tls@shop.test']),
  };
}

export function cleanEmailFacts(): FactMap {
  return {
    target: { domains: [{ name: D, canonical: 'apex', hosts: [] }], now: NOW, accept: [] },
    'email.domains': [cleanDomain()],
  } as unknown as FactMap;
}

export function dom(f: FactMap): EmailDomainFacts {
  return f['email.domains'][0]!;
}
