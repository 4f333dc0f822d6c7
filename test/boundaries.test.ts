// Two-sided boundary tests: for every threshold that decides a verdict or a finding, a value just inside and one
// just outside, so moving a limit or flipping a comparison fails a test.
import { describe, expect, it } from 'vitest';
import { defineCheck, type AnyCheck } from '../src/checks/define.js';
import expiredAcceptance from '../src/checks/config/expired-acceptance.js';
import danglingCname from '../src/checks/dns/dangling-cname.js';
import lowCoverage from '../src/checks/deploy/low-coverage.js';
import spfLookupLimit from '../src/checks/email/spf-lookup-limit.js';
import spfVoidLookup from '../src/checks/email/spf-void-lookup.js';
import missingAuthRateLimit from '../src/checks/edge/missing-auth-rate-limit.js';
import slowEndpoint from '../src/checks/latency/slow-endpoint.js';
import certExpiry from '../src/checks/tls/cert-expiry.js';
import hstsPolicy from '../src/checks/tls/hsts-policy.js';
import { checkHost, type SpfLookup } from '../src/email/spf/evaluate.js';
import type { DnsAnswer, DnsRecord } from '../src/facts/dns.js';
import { acceptanceExpired, type AcceptEntry, type FactMap } from '../src/facts/index.js';
import { providerOfTarget } from '../src/providers/index.js';
import { atOrAbove, decideVerdict, severityWeight } from '../src/rank/index.js';
import { runCheck } from '../src/run/audit.js';
import { SEVERITIES, type CheckOutcome, type Finding, type Severity } from '../src/types.js';
import { checkTable } from './helpers/check-tester.js';
import { cleanEmailFacts, dom } from './email/email-facts.js';
import { cleanFacts, findHost, type DnsFacts } from './helpers/dns-facts.js';
import { edgeFacts, ep, NOW, sf } from './helpers/edge-facts.js';
import { edgeSafetyFacts, endpointOf } from './helpers/edge-safety-facts.js';
import { ep as latencyEp, latencyFacts } from './helpers/latency-facts.js';

const c = (x: unknown) => x as AnyCheck;
const DAY_MS = 86_400_000;
/** One check that ran and passed: a run where nothing ran is INCOMPLETE by its own rule, tested apart. */
const RAN: CheckOutcome[] = [{ id: 'y', area: 'dns', severity: 'high', title: 't', status: 'pass', durationMs: 0, findings: 0 }];

function finding(severity: Severity, accepted = false): Finding {
  return {
    id: `x.y.${severity}`, checkId: 'y', area: 'dns', code: severity, severity, impact: 'hygiene', title: 't', message: `a ${severity} finding`,
    whatBreaks: '', remediation: '', references: [], location: {}, args: {}, fingerprint: severity, rank: 1, occurrences: [], count: 1,
    ...(accepted ? { accepted: { reason: 'ok' } } : {}),
  } as Finding;
}

function outcome(severity: Severity, status: CheckOutcome['status']): CheckOutcome {
  return { id: `c-${severity}`, area: 'dns', severity, title: 't', status, durationMs: 0, findings: 0, ...(status === 'error' ? { error: 'timed out' } : {}) };
}

describe('verdict: failOn is inclusive, one step below passes', () => {
  for (const failOn of SEVERITIES) {
    const i = SEVERITIES.indexOf(failOn);
    it(`failOn ${failOn}: a ${failOn} finding is NO-GO`, () => {
      expect(decideVerdict([finding(failOn)], RAN, failOn).verdict).toBe('no-go');
    });
    const below = SEVERITIES[i + 1];
    if (below) {
      it(`failOn ${failOn}: a ${below} finding is GO`, () => {
        const v = decideVerdict([finding(below)], RAN, failOn);
        expect(v.verdict).toBe('go');
        expect(v.reason).toBe(`No finding at or above ${failOn}; 1 lower risk listed below to fix when you can.`);
      });
    }
  }

  it('an accepted finding above the bar does not block', () => {
    expect(decideVerdict([finding('critical', true)], RAN, 'high')).toEqual({ verdict: 'go', reason: 'Nothing at or above the bar was found.', incomplete: [] });
  });

  it('the reason counts the blocking findings and names the first', () => {
    const v = decideVerdict([finding('critical'), finding('high'), finding('low')], RAN, 'high');
    expect(v.reason).toBe('2 findings at or above high must be fixed before launch; the most urgent: a critical finding');
  });

  it('severity order is strict and total', () => {
    expect(SEVERITIES.map(severityWeight)).toEqual([5, 4, 3, 2, 1]);
    expect(atOrAbove('high', 'high')).toBe(true);
    expect(atOrAbove('medium', 'high')).toBe(false);
    expect(atOrAbove('critical', 'high')).toBe(true);
  });
});

describe('INCOMPLETE: an errored check of severity high or above blocks a GO, medium does not', () => {
  it.each([['critical', 'incomplete'], ['high', 'incomplete'], ['medium', 'go'], ['low', 'go'], ['info', 'go']] as const)(
    'an errored %s check gives %s',
    (severity, verdict) => {
      const v = decideVerdict([], [outcome(severity, 'error')], 'high');
      expect(v.verdict).toBe(verdict);
      expect(v.incomplete).toEqual(verdict === 'incomplete' ? [{ id: `c-${severity}`, error: 'timed out' }] : []);
    },
  );

  it('the INCOMPLETE threshold does not follow --fail-on', () => {
    expect(decideVerdict([], [outcome('medium', 'error')], 'low').verdict).toBe('go');
    expect(decideVerdict([], [outcome('high', 'error')], 'critical').verdict).toBe('incomplete');
  });

  it('only an error counts: a failed or warned high check is not an unknown', () => {
    expect(decideVerdict([], [outcome('critical', 'fail'), outcome('high', 'warn'), outcome('high', 'not-applicable')], 'high').verdict).toBe('go');
  });

  it('NO-GO outranks INCOMPLETE, and still lists what was incomplete', () => {
    const v = decideVerdict([finding('high')], [outcome('high', 'error')], 'high');
    expect(v.verdict).toBe('no-go');
    expect(v.incomplete).toHaveLength(1);
  });

  it('the reason names the incomplete checks', () => {
    const v = decideVerdict([], [{ ...outcome('high', 'error'), error: undefined }], 'high');
    expect(v.reason).toBe('No blocking finding, but 1 important check could not be completed (c-high): fix what stopped them and run again.');
    expect(v.incomplete).toEqual([{ id: 'c-high', error: 'could not be completed' }]);
  });
});

describe('accepted-risk expiry: one rule, valid through the expiry day (UTC run date)', () => {
  it('acceptanceExpired: the day itself still counts, the day after does not', () => {
    expect(acceptanceExpired({ expires: '2026-11-29' }, '2026-11-29')).toBe(false);
    expect(acceptanceExpired({ expires: '2026-11-30' }, '2026-11-29')).toBe(false);
    expect(acceptanceExpired({ expires: '2026-11-28' }, '2026-11-29')).toBe(true);
    expect(acceptanceExpired({}, '2026-11-29')).toBe(false);
  });

  const probe = defineCheck({
    id: 'probe', area: 'dns', severity: 'high', impact: 'hygiene', title: 't', description: 'd', remediation: 'r', references: [], requires: [],
    messages: { found: { message: 'found' } },
    run(_f, ctx) { ctx.report({ code: 'found', location: { host: 'shop.test' } }); },
  });
  const target = (now: string, accept: AcceptEntry[]) => ({ domains: [], now, accept });
  const run = (now: string, expires: string) => {
    const accept = [{ id: 'dns.probe.found', reason: 'later', expires }];
    const t = target(now, accept);
    return {
      marked: runCheck(c(probe), { target: t }, accept, now.slice(0, 10)).findings[0]!.accepted,
      flagged: runCheck(c(expiredAcceptance), { target: t }, accept, now.slice(0, 10)).findings.map((f) => f.code),
    };
  };

  // Both modules must agree on every side of the boundary: accepted and not flagged, or not accepted and flagged.
  it('on the expiry day (even at 23:59 UTC) the finding is accepted and the acceptance is not flagged', () => {
    expect(run('2026-11-29T23:59:59.000Z', '2026-11-29')).toEqual({ marked: { reason: 'later', expires: '2026-11-29' }, flagged: [] });
  });
  it('the day after (from 00:00 UTC) the finding counts again and the acceptance is flagged', () => {
    expect(run('2026-11-30T00:00:00.000Z', '2026-11-29')).toEqual({ marked: undefined, flagged: ['expired'] });
  });
  it('the day before expiry nothing changes', () => {
    expect(run('2026-11-28T12:00:00.000Z', '2026-11-29')).toEqual({ marked: { reason: 'later', expires: '2026-11-29' }, flagged: [] });
  });

  // The check itself: which acceptances it looks at, where it points, and what it says when nothing is due.
  const NOW_DAY = '2026-11-30T08:00:00.000Z';
  const acceptances = () => ({
    target: {
      domains: [], now: NOW_DAY, configFile: 'launch-ready.yml',
      accept: [
        { id: 'dns.a.old', reason: 'launch week', expires: '2026-11-29' },
        { id: 'dns.b.open', reason: 'for good' },
        { id: 'dns.c.later', reason: 'next sprint', expires: '2026-12-31' },
      ] as AcceptEntry[],
    },
  });
  checkTable(c(expiredAcceptance), acceptances, [
    { name: 'one expired among dated and undated acceptances', status: 'warn', findings: [{ code: 'expired', message: /^The acceptance of dns\.a\.old \("launch week"\) expired on 2026-11-29\.$/ }], details: { acceptances: 3, withExpiry: 2 } },
    { name: 'none expired yet', mutate: (f) => { f.target.accept[0]!.expires = '2026-11-30'; }, status: 'pass', details: { acceptances: 3, withExpiry: 2 } },
    { name: 'two expired, in config order', mutate: (f) => { f.target.accept[2]!.expires = '2026-01-01'; }, status: 'warn', findings: [{ code: 'expired', message: /dns\.a\.old/ }, { code: 'expired', message: /dns\.c\.later/ }] },
    // An undated acceptance never expires: it is neither flagged nor counted as dated.
    { name: 'only undated acceptances', mutate: (f) => { f.target.accept = [f.target.accept[1]!]; }, status: 'not-applicable' },
    { name: 'no acceptance at all', mutate: (f) => { f.target.accept = []; }, status: 'not-applicable' },
  ]);

  it('expired-acceptance points at the config file and the accept entry; without a file, at the entry only', () => {
    const facts = acceptances();
    const { outcome, findings } = runCheck(c(expiredAcceptance), facts, facts.target.accept, NOW_DAY.slice(0, 10));
    expect(findings.map((f) => f.location)).toEqual([{ file: 'launch-ready.yml', record: 'accept dns.a.old' }]);
    expect(outcome.details).toEqual({ acceptances: 3, withExpiry: 2 });
    const { configFile: _, ...noFile } = facts.target;
    const bare = runCheck(c(expiredAcceptance), { target: noFile }, noFile.accept, NOW_DAY.slice(0, 10));
    expect(bare.findings.map((f) => f.location)).toEqual([{ record: 'accept dns.a.old' }]);
    const undated = { ...noFile, accept: [noFile.accept[1]!] };
    const na = runCheck(c(expiredAcceptance), { target: undated }, undated.accept, NOW_DAY.slice(0, 10));
    expect(na.outcome).toMatchObject({ status: 'not-applicable', reason: 'no accepted risk has an expiry date' });
  });
});

const leafExpiry = (label: string, days: number) => (f: FactMap) => { ep(f, label).chain[0]!.notAfter = new Date(Date.parse(NOW) + days * DAY_MS).toISOString(); };
const SECOND = 1 / 86_400;

describe('certificate expiry day boundaries', () => {
  checkTable(c(certExpiry), edgeFacts, [
    { name: 'expires this very instant: expired', mutate: leafExpiry('api', 0), status: 'fail', findings: [{ code: 'expired', severity: 'critical' }] },
    { name: 'one second left: not expired, under 14 days', mutate: leafExpiry('api', SECOND), status: 'fail', findings: [{ code: 'expires-in-14-days', message: /in 0 days/ }] },
    { name: '14 days less a second: under 14 days (high)', mutate: leafExpiry('api', 14 - SECOND), status: 'fail', findings: [{ code: 'expires-in-14-days', severity: 'high', message: /in 13 days/ }] },
    { name: 'exactly 14 days: the 30-day band (medium)', mutate: leafExpiry('api', 14), status: 'fail', findings: [{ code: 'expires-in-30-days', severity: 'medium', message: /in 14 days/ }] },
    { name: '30 days less a second: the 30-day band', mutate: leafExpiry('api', 30 - SECOND), status: 'fail', findings: [{ code: 'expires-in-30-days', message: /in 29 days/ }] },
    { name: 'exactly 30 days: passes', mutate: leafExpiry('api', 30), status: 'pass' },
    {
      name: 'not valid until one second from now: not yet valid',
      mutate: (f) => { ep(f, 'api').chain[0]!.notBefore = new Date(Date.parse(NOW) + 1000).toISOString(); },
      status: 'fail', findings: ['not-yet-valid'],
    },
    { name: 'valid from this very instant: passes', mutate: (f) => { ep(f, 'api').chain[0]!.notBefore = NOW; }, status: 'pass' },
  ]);

  const launch = '2026-12-20';
  const launchMs = Date.parse(`${launch}T00:00:00Z`);
  const afterLaunch = (days: number) => (f: FactMap) => { f.target.launchDate = launch; ep(f, 'api').chain[0]!.notAfter = new Date(launchMs + days * DAY_MS).toISOString(); };
  checkTable(c(certExpiry), edgeFacts, [
    { name: 'launch: expiring at the launch instant is before launch', mutate: afterLaunch(0), status: 'fail', findings: ['expires-before-launch'] },
    { name: 'launch: one second after launch is within 14 days after', mutate: afterLaunch(SECOND), status: 'fail', findings: ['expires-14-days-after-launch'] },
    { name: 'launch: 14 days less a second after', mutate: afterLaunch(14 - SECOND), status: 'fail', findings: [{ code: 'expires-14-days-after-launch', severity: 'high' }] },
    { name: 'launch: exactly 14 days after', mutate: afterLaunch(14), status: 'fail', findings: [{ code: 'expires-30-days-after-launch', severity: 'medium' }] },
    { name: 'launch: 30 days less a second after', mutate: afterLaunch(30 - SECOND), status: 'fail', findings: ['expires-30-days-after-launch'] },
    { name: 'launch: exactly 30 days after passes', mutate: afterLaunch(30), status: 'pass' },
  ]);
});

describe('HSTS max-age boundaries (180 days minimum, a year recommended)', () => {
  const hsts = (seconds: number) => (f: FactMap) => { sf(f, 'api').https.hops[0]!.headers['strict-transport-security'] = `max-age=${seconds}`; };
  checkTable(c(hstsPolicy), edgeFacts, [
    { name: '180 days less a second is short', mutate: hsts(180 * 86_400 - 1), status: 'fail', findings: [{ code: 'short', severity: 'medium', host: 'api.shop.test' }] },
    { name: 'exactly 180 days is below a year only', mutate: hsts(180 * 86_400), status: 'warn', findings: [{ code: 'below-year', severity: 'low' }] },
    { name: 'a year less a second is below a year', mutate: hsts(365 * 86_400 - 1), status: 'warn', findings: ['below-year'] },
    { name: 'exactly a year passes', mutate: hsts(365 * 86_400), status: 'pass' },
  ]);
});

describe('SPF lookup limit (10) in the check', () => {
  const total = (n: number) => (f: FactMap) => { dom(f).spf.tree.totalLookups = n; };
  checkTable(c(spfLookupLimit), cleanEmailFacts, [
    { name: '8 lookups pass', mutate: total(8), status: 'pass' },
    { name: '9 lookups are near the limit', mutate: total(9), status: 'warn', findings: [{ code: 'near', severity: 'low' }] },
    { name: '10 lookups are near the limit', mutate: total(10), status: 'warn', findings: ['near'] },
    { name: '11 lookups are over', mutate: total(11), status: 'fail', findings: [{ code: 'over', severity: 'critical' }] },
  ]);
});

describe('SPF void-lookup limit (2) in the check', () => {
  const voids = (n: number) => (f: FactMap) => { dom(f).spf.tree.voidTerms = Array.from({ length: n }, (_, i) => `a:gone${i}.shop.test`); };
  checkTable(c(spfVoidLookup), cleanEmailFacts, [
    { name: 'no void term passes', mutate: voids(0), status: 'pass' },
    { name: 'one void term is dead', mutate: voids(1), status: 'warn', findings: [{ code: 'dead', severity: 'low' }] },
    { name: 'two void terms are dead, not over', mutate: voids(2), status: 'warn', findings: ['dead'] },
    { name: 'three void terms are over the limit', mutate: voids(3), status: 'fail', findings: [{ code: 'over-limit', severity: 'high' }] },
  ]);
});

describe('SPF evaluation limits (RFC 7208 4.6.4), over an in-memory zone', () => {
  const zone = new Map<string, DnsRecord[]>();
  const txt = (name: string, text: string) => zone.set(`${name}|TXT`, [{ name, type: 'TXT', ttl: 60, strings: [text], text }]);
  const a = (name: string, address: string) => zone.set(`${name}|A`, [{ name, type: 'A', ttl: 60, address }]);
  const answer = (name: string, type: DnsAnswer['type']): DnsAnswer => {
    const records = zone.get(`${name}|${type}`);
    const known = [...zone.keys()].some((k) => k.startsWith(`${name}|`));
    return { status: records ? 'ok' : known ? 'nodata' : 'nxdomain', name, type, server: '127.0.0.1:53', elapsedMs: 0, authoritative: true, records: records ?? [], authority: [], viaTcp: false } as DnsAnswer;
  };
  const lookup: SpfLookup = async (name, type) => answer(name.replace(/\.$/, '').toLowerCase(), type);
  for (let i = 1; i <= 12; i++) a(`h${i}.lim.test`, '192.0.2.1');
  // n DNS-querying terms that all miss 10.0.0.1, then -all.
  const withTerms = (n: number) => Array.from({ length: n }, (_, i) => `a:h${i + 1}.lim.test`).join(' ');
  txt('ten.lim.test', `v=spf1 ${withTerms(10)} -all`);
  txt('eleven.lim.test', `v=spf1 ${withTerms(11)} -all`);
  txt('void2.lim.test', 'v=spf1 a:gone1.lim.test a:gone2.lim.test -all');
  txt('void3.lim.test', 'v=spf1 a:gone1.lim.test a:gone2.lim.test a:gone3.lim.test -all');
  const mx = (name: string, n: number) => zone.set(`${name}|MX`, Array.from({ length: n }, (_, i) => ({ name, type: 'MX' as const, ttl: 60, preference: i, exchange: `h${i + 1}.lim.test` })));
  mx('mx10.lim.test', 10);
  txt('mx10.lim.test', 'v=spf1 mx -all');
  mx('mx11.lim.test', 11);
  txt('mx11.lim.test', 'v=spf1 mx -all');
  const host = (domain: string) => checkHost({ domain, ip: '10.0.0.1', sender: `postmaster@${domain}`, lookup, now: new Date(NOW) });

  it('10 DNS-querying terms are allowed, the 11th is a permerror', async () => {
    expect((await host('ten.lim.test')).result).toBe('fail');
    const over = await host('eleven.lim.test');
    expect(over.result).toBe('permerror');
    expect(over.lookups).toBe(11);
  });
  it('2 void lookups are allowed, the 3rd is a permerror', async () => {
    const two = await host('void2.lim.test');
    expect([two.result, two.voidLookups]).toEqual(['fail', 2]);
    expect((await host('void3.lim.test')).result).toBe('permerror');
  });
  it('10 MX names are allowed, 11 are a permerror', async () => {
    expect((await host('mx10.lim.test')).result).toBe('fail');
    expect((await host('mx11.lim.test')).result).toBe('permerror');
  });
});

describe('latency budget: p95 at the budget passes, a hair over fails', () => {
  checkTable(c(slowEndpoint), latencyFacts, [
    { name: 'p95 equal to the budget passes', mutate: (f) => { latencyEp(f, 'feed').p95Ms = 300; }, status: 'pass' },
    { name: 'p95 just over the budget fails', mutate: (f) => { latencyEp(f, 'feed').p95Ms = 300.01; }, status: 'fail', findings: [{ code: 'over-budget-critical', severity: 'high' }] },
    { name: 'a non-critical endpoint just over is medium', mutate: (f) => { Object.assign(latencyEp(f, 'feed'), { p95Ms: 301, critical: false }); }, status: 'fail', findings: [{ code: 'over-budget', severity: 'medium' }] },
    { name: 'p50 and p99 over budget do not decide, p95 does', mutate: (f) => { Object.assign(latencyEp(f, 'feed'), { p50Ms: 290, p95Ms: 299, p99Ms: 900, maxMs: 1000 }); }, status: 'pass' },
  ]);
});

describe('rate-limit detection: an advertised limit at or above the burst is "not reached"', () => {
  const probe = (advertisedLimit: number) => (f: FactMap) => { endpointOf(f, 'login').rateLimit = { sent: 30, max: 30, limitedAt: null, advertisedLimit, statuses: [401] }; };
  checkTable(c(missingAuthRateLimit), edgeSafetyFacts, [
    { name: 'advertised 30 for a burst of 30: not reached (low)', mutate: probe(30), status: 'warn', findings: [{ code: 'limit-not-reached', severity: 'low' }] },
    { name: 'advertised 29 for a burst of 30: never limited (high)', mutate: probe(29), status: 'fail', findings: [{ code: 'never-limited', severity: 'high' }] },
    { name: 'limited at the last attempt of the burst passes', mutate: (f) => { endpointOf(f, 'login').rateLimit = { sent: 30, max: 30, limitedAt: 30, signal: '429', statuses: [429] }; }, status: 'pass' },
  ]);
});

describe('coverage minimum: at the minimum passes, a tenth below fails', () => {
  // 1000 lines in src/auth/**: 800 covered is exactly 80%, 799 is 79.9%.
  const lcov = (hit: number) => ['SF:src/auth/login.ts', 'LF:1000', `LH:${hit}`, 'end_of_record'].join('\n');
  const baseline = () => ({
    target: { domains: [], now: NOW, accept: [], repo: '/srv/app' },
    'deploy.repo': {
      root: '/srv/app', migrations: [], ci: [], platforms: [], docs: [], skipped: [],
      coverage: [{ path: 'coverage/lcov.info', text: lcov(800), format: 'lcov' }],
      coverageConfig: { critical: ['src/auth/**'], min: 80 },
    },
  }) as unknown as FactMap;
  checkTable(c(lowCoverage), baseline, [
    { name: 'exactly the minimum passes', status: 'pass' },
    { name: 'a tenth of a percent below fails', mutate: (f) => { f['deploy.repo'].coverage[0]!.text = lcov(799); }, status: 'fail', findings: [{ code: 'below-minimum', message: /79\.9% of 1000 lines covered, below the 80% minimum/ }] },
  ]);
});

describe('dangling CNAME: provider suffixes need a dot boundary; an IPv6-only target is not dangling', () => {
  const hop = (name: string, target: string) => ({ name, target, ttl: 300 });
  const dangle = (target: string) => (f: DnsFacts) => {
    const h = findHost(f, 'api');
    const chain = [hop('api.shop.test', target)];
    h.a = { status: 'nxdomain', addresses: [], chain, finalName: target };
    h.aaaa = { status: 'nxdomain', addresses: [], chain, finalName: target };
  };
  checkTable(c(danglingCname), cleanFacts, [
    { name: 'a name under the provider suffix is named', mutate: dangle('old-app.herokuapp.com'), status: 'fail', findings: [{ code: 'target-nxdomain-provider-edge', message: /Heroku/ }] },
    { name: 'the suffix itself, any case, trailing dot', mutate: dangle('HEROKUAPP.COM.'), status: 'fail', findings: ['target-nxdomain-provider-edge'] },
    { name: 'a look-alike without the dot boundary is not the provider', mutate: dangle('old-app.notherokuapp.com'), status: 'fail', findings: ['target-nxdomain'] },
    { name: 'a look-alike with the suffix inside is not the provider', mutate: dangle('herokuapp.com.evil.test'), status: 'fail', findings: ['target-nxdomain'] },
    {
      name: 'a target with only an AAAA record resolves: not dangling',
      mutate: (f) => {
        const h = findHost(f, 'api');
        const chain = [hop('api.shop.test', 'v6.edge.test')];
        h.a = { status: 'nodata', addresses: [], chain, finalName: 'v6.edge.test' };
        h.aaaa = { status: 'ok', addresses: ['::1'], chain, finalName: 'v6.edge.test' };
      },
      status: 'pass',
    },
    {
      name: 'a target with only an A record resolves: not dangling',
      mutate: (f) => {
        const h = findHost(f, 'api');
        const chain = [hop('api.shop.test', 'v4.edge.test')];
        h.a = { status: 'ok', addresses: ['127.0.0.9'], chain, finalName: 'v4.edge.test' };
        h.aaaa = { status: 'nodata', addresses: [], chain, finalName: 'v4.edge.test' };
      },
      status: 'pass',
    },
  ]);

  it('the CDN and hosting report uses the same dot boundary', () => {
    expect(providerOfTarget('old-app.herokuapp.com')?.name).toBe('Heroku');
    expect(providerOfTarget('old-app.notherokuapp.com')).toBeUndefined();
  });
});

describe('nothing checked is never GO (two-sided)', () => {
  const na: CheckOutcome = { id: 'n', area: 'secrets', severity: 'high', title: 't', status: 'not-applicable', durationMs: 0, findings: 0, reason: 'no repository' };
  it('every check not applicable: INCOMPLETE', () => {
    expect(decideVerdict([], [na, { ...na, id: 'm' }], 'high').verdict).toBe('incomplete');
    expect(decideVerdict([], [], 'high').verdict).toBe('incomplete');
  });
  it('one check that looked and passed beside them: GO', () => {
    expect(decideVerdict([], [na, ...RAN], 'high').verdict).toBe('go');
  });
});
