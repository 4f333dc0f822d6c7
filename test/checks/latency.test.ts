// Table tests for the latency checks: a known-good baseline of measured endpoints, each case changes one thing.
import { describe, expect, it } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import publicAuthCache from '../../src/checks/latency/public-auth-cache.js';
import requestErrors from '../../src/checks/latency/request-errors.js';
import slowEndpoint from '../../src/checks/latency/slow-endpoint.js';
import slowMobileScreen from '../../src/checks/latency/slow-mobile-screen.js';
import uncachedRead from '../../src/checks/latency/uncached-read.js';
import { runCheck } from '../../src/run/audit.js';
import { checkTable } from '../helpers/check-tester.js';
import { breakHotLookup, db, healthy } from '../helpers/database-facts.js';
import type { FactMap } from '../../src/facts/index.js';
import type { SampleTrace } from '../../src/facts/latency.js';
import { ep, latencyFacts } from '../helpers/latency-facts.js';

const c = (x: unknown) => x as AnyCheck;
const none = { non2xx: 0, statusCodes: {}, timeouts: 0, resets: 0, other: 0, examples: [] };

describe('slow-endpoint', () => {
  checkTable(c(slowEndpoint), latencyFacts, [
    { name: 'endpoints within budget pass', status: 'pass' },
    { name: 'no endpoints is not applicable', mutate: (f) => { f['latency.endpoints'].endpoints = []; }, status: 'not-applicable' },
    {
      name: 'critical read over 300 ms is high, with the measured p95 and the budget',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { p95Ms: 452.211, p99Ms: 460, maxMs: 461 }); },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', severity: 'high', message: /feed \(GET https:\/\/api\.shop\.test\/v1\/feed\), a critical flow: p95 452 ms is over its 300 ms budget for read endpoints \(p50 80\.5 ms, p99 460 ms, max 461 ms over 30 successful requests\)/ }],
    },
    {
      name: 'non-critical read over budget is medium',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { p95Ms: 301, critical: false }); },
      status: 'fail',
      findings: [{ code: 'over-budget', severity: 'medium' }],
    },
    { name: 'p95 exactly at the budget passes', mutate: (f) => { ep(f, 'feed').p95Ms = 300; }, status: 'pass' },
    { name: 'auth endpoint at 650 ms is within its 700 ms budget', mutate: (f) => { ep(f, 'login').p95Ms = 650; }, status: 'pass' },
    {
      name: 'auth endpoint over 700 ms fails',
      mutate: (f) => { Object.assign(ep(f, 'login'), { p95Ms: 701.5, p99Ms: 720, maxMs: 800 }); },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', message: /p95 702 ms is over its 700 ms budget for auth endpoints/ }],
    },
    {
      name: 'an endpoint with no successful sample is unknown, never a pass',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { status: 'failed', recorded: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null, stoppedEarly: '3 requests in a row got no answer' }); },
      status: 'error',
      error: /feed: no successful request.*3 requests in a row/,
    },
  ]);

  it('publishes details.endpoints with exactly the names diff, the HTML chart and the handover read', () => {
    const f = latencyFacts();
    const { outcome } = runCheck(c(slowEndpoint), f, [], '2026-11-29');
    expect(outcome.details!.endpoints).toEqual([
      { name: 'feed', p50Ms: 80.5, p95Ms: 120, p99Ms: 150.25, maxMs: 160.5, budgetP95Ms: 300 },
      { name: 'login', p50Ms: 200, p95Ms: 400, p99Ms: 450, maxMs: 460, budgetP95Ms: 700 },
    ]);
  });
});

describe('request-errors', () => {
  checkTable(c(requestErrors), latencyFacts, [
    { name: 'no errors pass', status: 'pass' },
    {
      name: 'non-2xx, timeouts and resets are reported apart on a critical endpoint',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { errorRate: 0.2, attempted: 30, errors: { ...none, non2xx: 4, statusCodes: { 503: 4 }, timeouts: 1, resets: 1, examples: ['HTTP 503'] } }); },
      status: 'fail',
      findings: [{ code: 'error-rate-critical', severity: 'high', message: /6 of 30 requests failed \(20%\): 4 non-2xx \(4× 503\), 1 timeouts, 1 resets/ }],
    },
    {
      name: 'errors on a non-critical endpoint are medium',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { critical: false, errorRate: 0.0333, errors: { ...none, resets: 1 } }); },
      status: 'fail',
      findings: [{ code: 'error-rate', severity: 'medium' }],
    },
    {
      name: 'one failure in 200 stays under the 1% threshold',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { attempted: 200, errorRate: 0.005, errors: { ...none, timeouts: 1 } }); },
      status: 'pass',
    },
    {
      name: 'an endpoint that never answered 2xx is unreachable',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { status: 'failed', recorded: 0, attempted: 1, errorRate: 1, stoppedEarly: '3 requests in a row got no answer (ECONNREFUSED)', errors: { ...none, other: 1, examples: ['ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1'] } }); },
      status: 'fail',
      findings: [{ code: 'unreachable', severity: 'high', message: /never answered with a 2xx: 1 other failures \(ECONNREFUSED.*stopped: 3 requests in a row/ }],
    },
    { name: 'no endpoints is not applicable', mutate: (f) => { f['latency.endpoints'].endpoints = []; }, status: 'not-applicable' },
  ]);
});

describe('slow-mobile-screen', () => {
  checkTable(c(slowMobileScreen), latencyFacts, [
    { name: 'a fast small endpoint is under 2 s on every profile', status: 'pass' },
    {
      name: 'slow server time fails on average 4G, with the formula shown',
      mutate: (f) => { ep(f, 'feed').p95Ms = 1500; },
      status: 'fail',
      findings: [{ code: 'over-2s', severity: 'medium', message: /feed \(GET https:\/\/api\.shop\.test\/v1\/feed\) would take about 2174 ms on a cold start and 1664 ms warm on average 4G \(170 ms RTT, 9000 kbit\/s\): over 2000 ms\. Mostly server time: 4 ms size \(transfer and slow-start\), 680 ms connection round trips, 1490 ms server time\. Estimate from server time 1490 ms and 5000 bytes; server = p95 − measured TCP connect.*cold = \(DNS 1 \+ TCP 1 \+ TLS 1/ }],
    },
    {
      name: 'over 2 s only on 3G is low',
      mutate: (f) => { ep(f, 'feed').p95Ms = 1000; },
      status: 'warn',
      findings: [{ code: 'over-2s-3g', severity: 'low', message: /on 3G \(300 ms RTT/ }],
    },
    {
      name: 'a 2 MB response is too slow even on good 4G (slow start and transfer)',
      mutate: (f) => { ep(f, 'feed').responseBytes = 2_000_000; },
      status: 'fail',
      findings: [{ code: 'over-2s', message: /on good 4G.*Mostly size: \d+ ms size/ }],
    },
    {
      name: 'an uncompressed large response names size and what gzip would make it',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { responseBytes: 2_000_000, transfer: { contentType: 'application/json', wireBytes: 2_000_000, gzipBytes: 180_000, truncated: false } }); },
      status: 'fail',
      findings: [{ code: 'over-2s', message: /Mostly size.*the 1\.9 MB went uncompressed and gzip would make them 176 kB/ }],
    },
    {
      name: 'only critical endpoints are core screens when some are marked',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { p95Ms: 1500, critical: false }); },
      status: 'pass',
    },
    {
      name: 'with no endpoint marked critical, every endpoint counts',
      mutate: (f) => { for (const e of f['latency.endpoints'].endpoints) e.critical = false; ep(f, 'feed').p95Ms = 1500; },
      status: 'fail',
      findings: ['over-2s'],
    },
    {
      name: 'no server time measured is unknown',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { status: 'failed', p95Ms: null }); },
      status: 'error',
    },
  ]);

});

describe('uncached-read', () => {
  checkTable(c(uncachedRead), latencyFacts, [
    { name: 'validators answered with 304 pass', status: 'pass' },
    {
      name: 'no validators, no freshness and no faster repeats',
      mutate: (f) => { ep(f, 'feed').cache = { cacheControl: 'no-cache', firstTtfbMs: 100, repeatTtfbP50Ms: 95 }; },
      status: 'warn',
      findings: [{ code: 'not-cached', severity: 'low', message: /no ETag, Last-Modified or Cache-Control max-age \(Cache-Control: no-cache\), and repeat reads are not faster \(first 100 ms, repeats 95\.0 ms/ }],
    },
    {
      name: 'repeats served faster (a server cache) pass without headers',
      mutate: (f) => { ep(f, 'feed').cache = { firstTtfbMs: 100, repeatTtfbP50Ms: 20 }; },
      status: 'pass',
    },
    {
      name: 'freshness lifetime alone passes',
      mutate: (f) => { ep(f, 'feed').cache = { cacheControl: 'public, max-age=300', firstTtfbMs: 100, repeatTtfbP50Ms: 100 }; },
      status: 'pass',
    },
    {
      name: 'an ETag the server ignores on a conditional repeat',
      mutate: (f) => { ep(f, 'feed').cache.conditionalStatus = 200; },
      status: 'warn',
      findings: [{ code: 'validator-ignored', message: /sends an ETag but answered a conditional repeat with 200/ }],
    },
    { name: 'no endpoint marked cacheable is not applicable', mutate: (f) => { ep(f, 'feed').cacheable = false; }, status: 'not-applicable' },
  ]);
});

describe('public-auth-cache', () => {
  checkTable(c(publicAuthCache), latencyFacts, [
    { name: 'no-store on the auth endpoint passes', status: 'pass' },
    {
      name: 'an endpoint the edge-safety area also fetched is left to edge.private-response-caching (one finding per problem)',
      mutate: (f) => {
        ep(f, 'login').cache.cacheControl = 'public, max-age=300';
        (f as Partial<FactMap>)['edge.http'] = { surfaces: [], endpoints: [{ name: 'login', url: ep(f, 'login').url, method: 'POST', kind: 'auth', health: false, corsOrigin: 'https://x.invalid', response: { status: 200 } as never }] };
      },
      status: 'not-applicable',
    },
    {
      name: 'Cache-Control: public on an auth endpoint',
      mutate: (f) => { ep(f, 'login').cache.cacheControl = 'public, max-age=300'; },
      status: 'fail',
      findings: [{ code: 'publicly-cacheable', severity: 'high', message: /login \(POST https:\/\/api\.shop\.test\/v1\/login\) is authenticated but answers with Cache-Control: public, max-age=300/ }],
    },
    { name: 's-maxage lets CDNs keep it', mutate: (f) => { ep(f, 'login').cache.cacheControl = 's-maxage=60'; }, status: 'fail', findings: ['publicly-cacheable'] },
    { name: 'private, max-age is fine', mutate: (f) => { ep(f, 'login').cache.cacheControl = 'private, max-age=60'; }, status: 'pass' },
    {
      name: 'no Cache-Control but Last-Modified',
      mutate: (f) => { ep(f, 'login').cache = { lastModified: 'Sun, 29 Nov 2026 10:00:00 GMT', firstTtfbMs: 200, repeatTtfbP50Ms: 200 }; },
      status: 'fail',
      findings: [{ code: 'no-cache-control', severity: 'medium' }],
    },
    {
      name: 'a read endpoint sending credentials counts as authenticated',
      mutate: (f) => { Object.assign(ep(f, 'feed'), { authenticated: true }); ep(f, 'feed').cache.cacheControl = 'max-age=60'; },
      status: 'fail',
      findings: ['publicly-cacheable'],
    },
    { name: 'no authenticated endpoint is not applicable', mutate: (f) => { ep(f, 'login').authenticated = false; }, status: 'not-applicable' },
  ]);
});

describe('slow-endpoint names the database cause next to the symptom', () => {
  const slowFeedWithDatabase = (broken: boolean) => () => {
    const f = latencyFacts() as ReturnType<typeof latencyFacts> & Partial<Pick<FactMap, 'database.postgres'>>;
    const d = healthy();
    if (broken) {
      breakHotLookup(d);
      // The hot lookup now dominates the database's time.
      Object.assign(db(d).statements, { top: db(d).statements.status === 'ok' ? db(d).statements.top.map((s, i) => (i === 0 ? { ...s, totalMs: 9000, timeShare: 0.9, meanMs: 22.5 } : s)) : [] });
    }
    f['database.postgres'] = d['database.postgres'];
    f.target = { ...f.target, ...d.target, now: f.target.now };
    Object.assign(ep(f, 'feed'), { p95Ms: 912, p99Ms: 950, maxMs: 990 });
    return f;
  };
  checkTable(c(slowEndpoint), slowFeedWithDatabase(true), [
    {
      name: 'with a dominant full-scan query, the finding says so',
      status: 'fail',
      findings: [{ code: 'over-budget-critical', message: /p95 912 ms .* The database as a whole \(not measured per endpoint\): one statement takes 90% of its time and reads orders whole on every call \(SELECT id, status FROM orders WHERE customer_id = \$1 .*\); see database\.dominant-query and database\.missing-index\.$/ }],
    },
  ]);
  checkTable(c(slowEndpoint), slowFeedWithDatabase(false), [
    { name: 'a healthy database adds nothing to the finding', status: 'fail', findings: [{ code: 'over-budget-critical', message: /successful requests\)\. Its slowest requests spend \d+% of their time in server time \(time to first byte\), [\d.]+ ms\.$/ }] },
  ]);
});

describe('slow-endpoint names each endpoint\'s own cause', () => {
  const trace = (ttfb: number[], extra: (i: number) => Partial<SampleTrace> = () => ({})): SampleTrace[] =>
    ttfb.map((t, i) => ({ cold: false, status: 200, phases: { dnsMs: 0, connectMs: 0, tlsMs: 0, ttfbMs: t, downloadMs: 0.5, totalMs: t + 0.5 }, ...extra(i) }));
  const stmt = (queryId: string, query: string, calls: number, totalMs: number) => ({ queryId, query, calls, totalMs, rows: calls, blocksRead: 0 });
  const scanPlan = (queryId: string, table: string, column: string) => ({
    queryId, status: 'ok' as const, seqScans: [{ schema: 'public', table, filter: `(${table}.${column} = $1)`, columns: [column], planRows: 120_000 }], indexes: [],
  });
  // Two endpoints, each slow for its own unindexed lookup, both about half the database's time.
  const twoSlow = () => {
    const f = latencyFacts();
    const feed = ep(f, 'feed');
    const login = ep(f, 'login');
    Object.assign(feed, { p95Ms: 912, p99Ms: 950, maxMs: 990, trace: trace(Array(10).fill(40)), statements: { requests: 10, totalCalls: 20, totalMs: 320, statements: [stmt('1', 'SELECT id FROM events WHERE user_id = $1', 10, 300), stmt('9', 'SELECT value FROM settings WHERE id = $1', 10, 20)] } });
    Object.assign(login, { p95Ms: 900, p99Ms: 950, maxMs: 990, trace: trace(Array(10).fill(50)), statements: { requests: 10, totalCalls: 10, totalMs: 320, statements: [stmt('2', 'SELECT id FROM messages WHERE thread_id = $1', 10, 320)] } });
    f['latency.endpoints'].plans = [scanPlan('1', 'events', 'user_id'), scanPlan('2', 'messages', 'thread_id')];
    return f;
  };
  checkTable(c(slowEndpoint), twoSlow, [
    {
      name: 'each endpoint names its own statement, its share and the full scan behind it, never the other\'s',
      status: 'fail',
      findings: [
        { code: 'over-budget-critical', message: /^feed .*Its database time: SELECT id FROM events WHERE user_id = \$1 takes 75% of its server time \(once per request, 30 ms each request\) and reads events whole; see database\.missing-index \(1 more statements per request\)\.(?!.*messages)/ },
        { code: 'over-budget-critical', message: /^login .*Its database time: SELECT id FROM messages WHERE thread_id = \$1 takes 64% of its server time \(once per request, 32 ms each request\) and reads messages whole; see database\.missing-index\.(?!.*events)/ },
      ],
    },
    {
      name: 'concurrent traffic makes the window noisy: approximate, and a statement off the per-request pattern is never named',
      mutate: (f) => {
        const w = ep(f, 'login').statements!;
        w.statements = [stmt('2', 'SELECT id FROM messages WHERE thread_id = $1', 17, 320)];
        w.totalMs = 400;
      },
      status: 'fail',
      findings: ['over-budget-critical', { code: 'over-budget-critical', message: /^login .*Its queries cannot be told apart: other traffic ran on the database meanwhile \(100% of the database time fits no per-request pattern\)\.(?!.*thread_id)/ }],
    },
    {
      name: 'an extra call from elsewhere keeps the name but says approximate',
      mutate: (f) => { const w = ep(f, 'login').statements!; w.statements = [stmt('2', 'SELECT id FROM messages WHERE thread_id = $1', 11, 320)]; w.totalMs = 360; },
      status: 'fail',
      findings: ['over-budget-critical', { code: 'over-budget-critical', message: /^login .*thread_id = \$1 takes .*\(approximate: other traffic took 11% of the database time meanwhile\)\./ }],
    },
    {
      name: 'an N+1 loop shows as calls per request',
      mutate: (f) => { ep(f, 'login').statements!.statements = [stmt('2', 'SELECT id FROM messages WHERE thread_id = $1', 30, 320)]; },
      status: 'fail',
      findings: ['over-budget-critical', { code: 'over-budget-critical', message: /^login .*\(3 times per request, 32 ms each request\)/ }],
    },
    {
      name: 'Server-Timing names the dominant phase with p50 and p95',
      mutate: (f) => {
        const e = ep(f, 'login');
        delete e.statements;
        e.trace = trace(Array(10).fill(100), (i) => ({ serverTiming: `db;dur=${5 + i}, external;dur=80;desc="payments", total;dur=100` }));
      },
      status: 'fail',
      findings: ['over-budget-critical', { code: 'over-budget-critical', message: /^login .*Server-Timing: external is 80% of its server time at p95 \(80\.0 ms at p50, 80\.0 ms at p95\)\./ }],
      // Only the endpoint that sent Server-Timing has a split.
      details: { serverTiming: [{ name: 'login', samples: 10, dominant: { name: 'external' } }] },
    },
    {
      name: 'an endpoint whose server time tracks a configured dependency names it',
      mutate: (f) => {
        const deps = [30, 160, 60, 220, 40, 120, 90, 200, 35, 150];
        f['latency.endpoints'].dependencies = [{ name: 'rates', url: 'https://rates.example.test/', attempted: 10, failed: 0, p50Ms: 90, p95Ms: 220 }];
        const e = ep(f, 'login');
        delete e.statements;
        e.trace = trace(deps.map((d) => d + 8), (i) => ({ dependencyMs: [deps[i]!] }));
        // feed's time does not move with it: it is not blamed.
        ep(f, 'feed').trace = trace([40, 41, 40, 42, 40, 41, 40, 39, 40, 41], (i) => ({ dependencyMs: [deps[i]!] }));
      },
      status: 'fail',
      findings: [
        { code: 'over-budget-critical', message: /^feed (?!.*waits for)/ },
        { code: 'over-budget-critical', message: /^login .*It waits for rates: its server time tracks that dependency \(correlation 1, 90\.0 ms median per call, 92% of its server time\)\./ },
      ],
      details: { dependencies: [{ name: 'rates', p50Ms: 90 }], causes: [{ name: 'feed' }, { name: 'login', depName: 'rates', depR: 1 }] },
    },
    {
      name: 'a TLS handshake on every request: no keep-alive',
      mutate: (f) => {
        const e = ep(f, 'login');
        delete e.statements;
        e.trace = Array.from({ length: 10 }, () => ({ cold: true, status: 200, phases: { dnsMs: 1, connectMs: 40, tlsMs: 300, ttfbMs: 60, downloadMs: 1, totalMs: 402 } }));
        e.connections = { requests: 10, newConnections: 10, setupMs: 341, closeHeader: true };
      },
      status: 'fail',
      findings: ['over-budget-critical', { code: 'over-budget-critical', message: /^login .*Its slowest requests spend 75% of their time in the TLS handshake, 300 ms on every request: no keep-alive\./ }],
    },
  ]);
});

describe('slow-endpoint: what decides, pinned', () => {
  const answered = (n: number, ttfb: number): SampleTrace[] =>
    Array.from({ length: n }, () => ({ cold: false, status: 200, phases: { dnsMs: 0, connectMs: 0, tlsMs: 0, ttfbMs: ttfb, downloadMs: 0.5, totalMs: ttfb + 0.5 } }));
  const stmt = (query: string, calls: number, totalMs: number) => ({ queryId: '7', query, calls, totalMs, rows: calls, blocksRead: 0 });
  /** login over budget: 10 answered requests of 100 ms server time (1000 ms in all) and one that got no answer. */
  const slowLogin = () => {
    const f = latencyFacts() as ReturnType<typeof latencyFacts> & Partial<Pick<FactMap, 'database.postgres'>>;
    Object.assign(ep(f, 'login'), { p95Ms: 900, p99Ms: 950, maxMs: 990, trace: [...answered(10, 100), { cold: false, failure: 'timeout' }] });
    return f;
  };
  const window = (statements: ReturnType<typeof stmt>[]) => ({ requests: 10, statements, totalCalls: statements.reduce((a, x) => a + x.calls, 0), totalMs: statements.reduce((a, x) => a + x.totalMs, 0) });
  const q120 = `SELECT id FROM events WHERE user_id = $1 AND kind = 'x' ${'-'.repeat(120 - 56)}`;
  const END = /successful requests\)\. Its slowest requests spend 100% of their time in server time \(time to first byte\), 100 ms\.$/;
  checkTable(c(slowEndpoint), slowLogin, [
    {
      name: 'over budget: located at the endpoint URL, causes in details for every endpoint',
      status: 'fail',
      findings: [{ code: 'over-budget-critical', location: { url: 'https://api.shop.test/v1/login' }, message: END, args: { name: 'login', budgetMs: 700, p95Ms: 900, samples: 30 } }],
      details: {
        samplesPerEndpoint: 30, serverTiming: [],
        causes: [{ name: 'feed', phase: 'server time (time to first byte)', phaseMs: 80, noKeepAlive: false }, { name: 'login', phase: 'server time (time to first byte)', phaseMs: 100 }],
      },
    },
    {
      name: 'a statement at exactly 10% of the server time is named (the failed sample adds no server time)',
      mutate: (f) => { ep(f, 'login').statements = window([stmt(q120, 10, 100)]); },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', message: /Its database time: SELECT id FROM events .* takes 10% of its server time \(once per request, 10 ms each request\)\./, args: { dbQuery: q120, dbShare: 0.1, dbMs: 10, dbMore: 0, dbApproximate: false } }],
    },
    {
      name: 'a statement at 9% of the server time is not named, and the window is neither noisy nor empty',
      mutate: (f) => { ep(f, 'login').statements = window([stmt(q120, 10, 90)]); },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', message: END }],
    },
    {
      name: 'no statement in the window: it ran none',
      mutate: (f) => { ep(f, 'login').statements = window([]); },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', message: /successful requests\)\. It ran no database statement\. Its slowest requests/, args: { dbNone: true } }],
    },
    {
      name: 'a statement over 120 characters is cut to 117 and an ellipsis',
      mutate: (f) => { ep(f, 'login').statements = window([stmt(`${q120}!`, 10, 500)]); },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', args: { dbQuery: `${q120.slice(0, 117)}...`, dbShare: 0.5 } }],
    },
    {
      name: 'a database that could not be read adds no cause',
      mutate: (f) => { f['database.postgres'] = { configured: true, connected: false, stage: 'connect', error: 'ECONNREFUSED', server: { host: '127.0.0.1', port: 5432, database: 'shop' } }; },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', message: END }],
    },
    {
      name: 'no trace and no phase split: no phase named',
      mutate: (f) => { const e = ep(f, 'login'); delete e.trace; e.warm = null; e.cold = null; },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', message: /over 30 successful requests\)\.$/ }],
    },
    {
      name: 'a new connection per request with server time dominant is no keep-alive finding',
      mutate: (f) => { ep(f, 'login').connections = { requests: 11, newConnections: 11, setupMs: 0, closeHeader: true }; },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', message: END, args: { noKeepAlive: false } }],
    },
    {
      name: 'the TCP connect on every request: no keep-alive',
      mutate: (f) => {
        const e = ep(f, 'login');
        delete e.trace;
        e.warm = { dnsMs: 0, connectMs: 200, tlsMs: 0, ttfbMs: 80, downloadMs: 0.5, totalMs: 280.5 };
        e.connections = { requests: 10, newConnections: 10, setupMs: 200, closeHeader: true };
      },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', message: /in the TCP connect, 200 ms on every request: no keep-alive\.$/ }],
    },
    {
      name: 'the DNS lookup on every request: no keep-alive',
      mutate: (f) => {
        const e = ep(f, 'login');
        delete e.trace;
        e.warm = { dnsMs: 200, connectMs: 1, tlsMs: 0, ttfbMs: 80, downloadMs: 0.5, totalMs: 281.5 };
        e.connections = { requests: 10, newConnections: 10, setupMs: 201, closeHeader: true };
      },
      status: 'fail',
      findings: [{ code: 'over-budget-critical', message: /in the DNS lookup, 200 ms on every request: no keep-alive\.$/ }],
    },
  ]);
  checkTable(c(slowEndpoint), latencyFacts, [
    {
      name: 'the database watch status is passed on in details',
      mutate: (f) => { f['latency.endpoints'].database = { status: 'error', message: 'pg_stat_statements is not installed' }; },
      status: 'pass',
      details: { database: { status: 'error', message: 'pg_stat_statements is not installed' } },
    },
  ]);
  it('details carry no dependencies or database when none were measured', () => {
    const { outcome } = runCheck(c(slowEndpoint), latencyFacts(), [], '2026-11-29');
    expect(outcome.details).not.toHaveProperty('dependencies');
    expect(outcome.details).not.toHaveProperty('database');
  });
});

describe('request-errors says where failures come from', () => {
  const failing = (extra: Partial<SampleTrace>[]) => () => {
    const f = latencyFacts();
    const e = ep(f, 'feed');
    e.trace = [...Array.from({ length: 10 }, () => ({ cold: false, status: 200 })), ...extra.map((x) => ({ cold: false, ...x }))];
    e.errors = { ...e.errors, non2xx: extra.length, statusCodes: { [String(extra[0]!.status ?? 0)]: extra.length } };
    e.attempted = 10 + extra.length;
    e.errorRate = extra.length / e.attempted;
    return f;
  };
  checkTable(c(requestErrors), failing(Array.from({ length: 4 }, () => ({ status: 401 }))), [
    { name: 'from auth', status: 'fail', findings: [{ code: 'error-rate-critical', message: /Failures come from auth \(401\/403\)\.$/ }] },
  ]);
  checkTable(c(requestErrors), failing(Array.from({ length: 4 }, () => ({ status: 500, bodyCause: 'database' as const }))), [
    { name: 'from the database (error body shape)', status: 'fail', findings: [{ code: 'error-rate-critical', message: /Failures come from the database\.$/ }] },
  ]);
  checkTable(c(requestErrors), failing(Array.from({ length: 4 }, () => ({ status: 503, serverTiming: 'db;dur=5000;desc="timeout"' }))), [
    { name: 'from the database (Server-Timing)', status: 'fail', findings: [{ code: 'error-rate-critical', message: /Failures come from the database\.$/ }] },
  ]);
});
