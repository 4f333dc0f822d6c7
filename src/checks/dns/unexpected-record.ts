// Each host must point where the config says it should: a stale record sends users to an old server.
import { defineCheck } from '../define.js';
import { failureText, hostChain, isFailedLookup } from '../../derive/dns.js';

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const norm = (xs: readonly string[]) => [...new Set(xs.map((x) => x.toLowerCase()))].sort().join(',');
  return norm(a) === norm(b);
}

export default defineCheck({
  id: 'unexpected-record',
  area: 'dns',
  severity: 'high',
  impact: 'availability',
  title: 'Hosts point where the config expects',
  description:
    'Users reach a different server than the one you deployed: an old version, a staging box, or a provider you left. Logins, payments and data then go to the wrong place.',
  remediation: 'Update the record at your DNS provider to the expected value (or update `expect` in the config if the change was intended).',
  references: ['https://www.rfc-editor.org/rfc/rfc1034#section-3.6'],
  requires: ['dns.hosts'],
  messages: {
    'a-mismatch': { message: '{host} has A {actual}; expected {expected}.' },
    'aaaa-mismatch': { message: '{host} has AAAA {actual}; expected {expected}.' },
    'cname-mismatch': { message: '{host} is a CNAME to {actual}; expected {expected}.' },
  },
  run({ 'dns.hosts': hosts }, ctx) {
    let compared = 0;
    for (const h of hosts) {
      const expect = h.expect;
      if (!expect) continue;
      compared++;
      if (expect.CNAME !== undefined) {
        const first = hostChain(h)[0];
        if (!first && isFailedLookup(h.a) && isFailedLookup(h.aaaa)) {
          ctx.unknown(failureText(h));
        } else if (first?.target.toLowerCase() !== expect.CNAME.toLowerCase().replace(/\.$/, '')) {
          ctx.report({ code: 'cname-mismatch', args: { host: h.name, actual: first?.target ?? '(no CNAME)', expected: expect.CNAME }, location: { host: h.name, record: `${h.name} CNAME` } });
        }
      }
      for (const [family, lookup, code] of [['A', h.a, 'a-mismatch'], ['AAAA', h.aaaa, 'aaaa-mismatch']] as const) {
        const want = expect[family];
        if (!want) continue;
        if (isFailedLookup(lookup)) {
          ctx.unknown(failureText(h));
          continue;
        }
        if (!sameSet(lookup.addresses, want)) {
          ctx.report({
            code,
            args: { host: h.name, actual: lookup.addresses.length ? lookup.addresses.join(', ') : '(none)', expected: want.join(', ') },
            location: { host: h.name, record: `${h.name} ${family}` },
          });
        }
      }
    }
    if (compared === 0) ctx.notApplicable('no host has an `expect` entry in the config');
    else ctx.details({ hostsCompared: compared });
  },
});
