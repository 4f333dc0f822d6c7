// An endpoint whose p95 (2xx samples, microsecond histogram) exceeds its budget: 300 ms reads, 700 ms auth/write.
// Beside the symptom, its own cause: the statements it ran per request (and the scans behind them), the phase its
// Server-Timing names, the dependency its server time tracks, and which connection phase its slowest requests spend.
import { attribute } from '../../derive/attribution.js';
import { dominantStatement, options as databaseOptions, qualified, scansOf } from '../../derive/database.js';
import type { ConnectedDatabaseFacts } from '../../facts/database.js';
import type { EndpointLatency, LatencyFacts } from '../../facts/latency.js';
import { defineCheck, measured } from '../define.js';
import { dependencyCause, endpointFigures, tailPhase, type PhaseName } from '../../derive/latency.js';
import { serverTimingSplit } from '../../derive/server-timing.js';
import type { Args } from '../../types.js';

const CAUSE =
  '{dbQuery? Its database time: {dbQuery} takes {dbShare|percent} of its server time ({dbPerRequest} per request, {dbMs|duration} each request){dbScans? and reads {dbScans} whole{dbIndex?: missing index on {dbIndex}}; see database.missing-index}{dbMore? ({dbMore} more statements per request)}{dbApproximate? (approximate: other traffic took {dbUnexplained|percent} of the database time meanwhile)}.}'
  + '{dbNoisy? Its queries cannot be told apart: other traffic ran on the database meanwhile ({dbUnexplained|percent} of the database time fits no per-request pattern).}'
  + '{dbNone? It ran no database statement.}'
  + '{stPhase? Server-Timing: {stPhase} is {stShare|percent} of its server time at p95 ({stP50|ms} ms at p50, {stP95|ms} ms at p95).}'
  + '{depName? It waits for {depName}: its server time tracks that dependency (correlation {depR}, {depMs|ms} ms median per call, {depShare|percent} of its server time).}'
  + '{phase? Its slowest requests spend {phaseShare|percent} of their time in {phase}, {phaseMs|ms} ms{noKeepAlive? on every request: no keep-alive}.}'
  + '{causeQuery? The database as a whole (not measured per endpoint): one statement takes {causeShare|percent} of its time{causeScans? and reads {causeScans} whole on every call} ({causeQuery}); see database.dominant-query{causeScans? and database.missing-index}.}';

/** Words for the connection phases; the finding names the one the p95 tail spends most in. */
const PHASES: Record<PhaseName, string> = {
  dns: 'the DNS lookup', connect: 'the TCP connect', tls: 'the TLS handshake', ttfb: 'server time (time to first byte)', download: 'the download',
};

/** A statement is named as the endpoint's database time from this share of its server time. */
const NAMED_SHARE = 0.1;

export default defineCheck({
  id: 'slow-endpoint',
  area: 'latency',
  severity: 'medium',
  impact: 'performance',
  title: 'Endpoints answer within their p95 budget',
  description:
    'One request in twenty is slower than the budget: screens that call this endpoint feel sluggish, and on a phone network the extra round trips make it worse. Slow endpoints also tie up server capacity, so they are the first to fall over under launch traffic.',
  remediation:
    'Profile the endpoint (slow queries, N+1 calls, synchronous calls to third parties, cold caches); add an index or a cache, move slow work to a background job, or raise budgetP95Ms in the config if the budget was wrong.',
  references: ['https://web.dev/articles/rail', 'https://grafana.com/docs/k6/latest/using-k6/thresholds/', 'https://www.w3.org/TR/server-timing/'],
  requires: ['latency.endpoints'],
  // Table sizes and indexes, to name the missing index behind an endpoint's statements: cause beside symptom.
  optional: ['database.postgres'],
  messages: {
    'over-budget': {
      message: '{name} ({method} {url}): p95 {p95Ms|ms} ms is over its {budgetMs} ms budget for {kind} endpoints (p50 {p50Ms|ms} ms, p99 {p99Ms|ms} ms, max {maxMs|ms} ms over {samples} successful requests).' + CAUSE,
    },
    'over-budget-critical': {
      message: '{name} ({method} {url}), a critical flow: p95 {p95Ms|ms} ms is over its {budgetMs} ms budget for {kind} endpoints (p50 {p50Ms|ms} ms, p99 {p99Ms|ms} ms, max {maxMs|ms} ms over {samples} successful requests).' + CAUSE,
      severity: 'high',
    },
  },
  run({ 'latency.endpoints': facts, 'database.postgres': db, target }, ctx) {
    const eps = measured(facts, ctx);
    if (!eps) return;
    const database = db && db.configured && db.connected ? db : undefined;
    const minTableRows = databaseOptions(target).minTableRows;
    const causes: Record<string, unknown>[] = [];
    for (const e of eps) {
      if (e.p95Ms === null) {
        ctx.unknown(`${e.name}: no successful request to measure (${e.stoppedEarly ?? `${e.attempted} requests failed`})`);
        continue;
      }
      const cause = causeOf(e, facts, database, minTableRows);
      causes.push({ name: e.name, ...cause });
      if (e.p95Ms <= e.budgetP95Ms) continue;
      ctx.report({
        code: e.critical ? 'over-budget-critical' : 'over-budget',
        args: {
          name: e.name, method: e.method, url: e.url, kind: e.kind, budgetMs: e.budgetP95Ms, samples: e.recorded,
          p95Ms: e.p95Ms, p50Ms: e.p50Ms!, p99Ms: e.p99Ms!, maxMs: e.maxMs!, ...cause,
          ...(e.statements ? {} : legacyCause(database, minTableRows)),
        },
        location: { url: e.url },
      });
    }
    ctx.details({
      endpoints: eps.map(endpointFigures), samplesPerEndpoint: facts.options.samples,
      causes,
      serverTiming: eps.flatMap((e) => { const s = serverTimingSplit(e.trace); return s ? [{ name: e.name, ...s }] : []; }),
      ...(facts.dependencies ? { dependencies: facts.dependencies } : {}),
      ...(facts.database ? { database: facts.database } : {}),
    });
  },
});

const cut = (q: string) => (q.length > 120 ? `${q.slice(0, 117)}...` : q);

/** One endpoint's own causes, as message args. */
function causeOf(e: EndpointLatency, facts: LatencyFacts, db: ConnectedDatabaseFacts | undefined, minTableRows: number): Args {
  const args: Args = {};
  const answered = (e.trace ?? []).filter((s) => s.phases);
  const attribution = attribute(e.statements, answered.reduce((a, s) => a + s.phases!.ttfbMs, 0));
  if (attribution) {
    const named = attribution.statements.filter((a) => a.share >= NAMED_SHARE);
    const top = named[0];
    if (top) {
      const scans = scansOf(top.statement.queryId, [...(facts.plans ?? []), ...(db?.plans ?? [])], db, minTableRows);
      Object.assign(args, {
        dbQuery: cut(top.statement.query), dbShare: top.share, dbPerRequest: top.perRequest === 1 ? 'once' : `${top.perRequest} times`,
        dbMs: top.msPerRequest, dbScans: scans.tables, dbIndex: scans.missingIndexes,
        dbMore: attribution.statements.length - 1, dbApproximate: attribution.approximate, dbUnexplained: attribution.unexplainedShare,
      });
    } else if (attribution.approximate) {
      Object.assign(args, { dbNoisy: true, dbUnexplained: attribution.unexplainedShare });
    } else if (attribution.statements.length === 0) {
      args.dbNone = true;
    }
  }
  const st = serverTimingSplit(e.trace)?.dominant;
  if (st) Object.assign(args, { stPhase: st.name, stShare: st.share, stP50: st.p50Ms, stP95: st.p95Ms });
  const dep = dependencyCause(e, facts.dependencies);
  if (dep) Object.assign(args, { depName: dep.name, depR: dep.correlation, depMs: dep.p50Ms, depShare: dep.share });
  const phase = tailPhase(e);
  if (phase) {
    Object.assign(args, {
      phase: PHASES[phase.phase], phaseMs: phase.ms, phaseShare: phase.share,
      noKeepAlive: phase.everyRequestNew && (phase.phase === 'tls' || phase.phase === 'connect' || phase.phase === 'dns'),
    });
  }
  return args;
}

/** Facts recorded before per-endpoint attribution: the database's dominant statement, said to be database-wide. */
function legacyCause(db: ConnectedDatabaseFacts | undefined, minTableRows: number): Args {
  if (!db) return {};
  const dominant = dominantStatement(db, minTableRows);
  if (!dominant) return {};
  return {
    causeShare: dominant.statement.timeShare,
    causeScans: dominant.fullScans.map((x) => qualified(x.schema, x.table)),
    causeQuery: cut(dominant.statement.query),
  };
}
