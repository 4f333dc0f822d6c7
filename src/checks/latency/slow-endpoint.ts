// An endpoint whose p95 (2xx samples, microsecond histogram) exceeds its budget: 300 ms reads, 700 ms auth/write.
import { dominantStatement, options as databaseOptions, qualified } from '../../derive/database.js';
import type { DatabaseFacts } from '../../facts/database.js';
import { defineCheck, measured } from '../define.js';
import { endpointFigures } from '../../derive/latency.js';
import type { Args } from '../../types.js';

/** Said only when the database shows one statement taking most of its time: cause beside symptom. */
const CAUSE =
  '{causeQuery? Likely cause, from the database: one statement takes {causeShare|percent} of its time{causeScans? and reads {causeScans} whole on every call} ({causeQuery}); see database.dominant-query{causeScans? and database.missing-index}.}';

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
  references: ['https://web.dev/articles/rail', 'https://grafana.com/docs/k6/latest/using-k6/thresholds/'],
  requires: ['latency.endpoints'],
  // The database's dominant query, when one was read, is named next to the slow endpoint: cause beside symptom.
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
    const cause = likelyCause(db, target);
    for (const e of eps) {
      if (e.p95Ms === null) {
        ctx.unknown(`${e.name}: no successful request to measure (${e.stoppedEarly ?? `${e.attempted} requests failed`})`);
        continue;
      }
      if (e.p95Ms <= e.budgetP95Ms) continue;
      ctx.report({
        code: e.critical ? 'over-budget-critical' : 'over-budget',
        args: {
          name: e.name, method: e.method, url: e.url, kind: e.kind, budgetMs: e.budgetP95Ms, samples: e.recorded,
          p95Ms: e.p95Ms, p50Ms: e.p50Ms!, p99Ms: e.p99Ms!, maxMs: e.maxMs!, ...cause,
        },
        location: { url: e.url },
      });
    }
    ctx.details({ endpoints: eps.map(endpointFigures), samplesPerEndpoint: facts.options.samples });
  },
});

/** The database's dominant statement, as message args, when the database shows one taking most of its time. */
function likelyCause(db: DatabaseFacts | undefined, target: Parameters<typeof databaseOptions>[0]): Args {
  if (!db || !db.configured || !db.connected) return {};
  const dominant = dominantStatement(db, databaseOptions(target).minTableRows);
  if (!dominant) return {};
  const query = dominant.statement.query;
  return {
    causeShare: dominant.statement.timeShare,
    causeScans: dominant.fullScans.map((x) => qualified(x.schema, x.table)),
    // A value cut to a readable length, not wording: the statement itself is in database.dominant-query.
    causeQuery: query.length > 120 ? `${query.slice(0, 117)}...` : query,
  };
}
