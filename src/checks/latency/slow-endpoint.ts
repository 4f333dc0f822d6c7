// An endpoint whose p95 (2xx samples, microsecond histogram) exceeds its budget: 300 ms reads, 700 ms auth/write.
import { dominantStatement, options as databaseOptions, percent, qualified } from '../../derive/database.js';
import type { DatabaseFacts } from '../../facts/database.js';
import { defineCheck, measured } from '../define.js';
import { endpointFigures, ms } from '../../derive/latency.js';

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
      message: '{name} ({method} {url}): p95 {p95Ms} ms is over its {budgetMs} ms budget for {kind} endpoints (p50 {p50Ms} ms, p99 {p99Ms} ms, max {maxMs} ms over {samples} successful requests).{cause}',
    },
    'over-budget-critical': {
      message: '{name} ({method} {url}), a critical flow: p95 {p95Ms} ms is over its {budgetMs} ms budget for {kind} endpoints (p50 {p50Ms} ms, p99 {p99Ms} ms, max {maxMs} ms over {samples} successful requests).{cause}',
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
          p95Ms: ms(e.p95Ms), p50Ms: ms(e.p50Ms!), p99Ms: ms(e.p99Ms!), maxMs: ms(e.maxMs!), cause,
        },
        location: { url: e.url },
      });
    }
    ctx.details({ endpoints: eps.map(endpointFigures), samplesPerEndpoint: facts.options.samples });
  },
});

/** " Likely cause: ..." when the database shows one statement taking most of its time, else "". */
function likelyCause(db: DatabaseFacts | undefined, target: Parameters<typeof databaseOptions>[0]): string {
  if (!db || !db.configured || !db.connected) return '';
  const dominant = dominantStatement(db, databaseOptions(target).minTableRows);
  if (!dominant) return '';
  const scans = dominant.fullScans.map((x) => qualified(x.schema, x.table));
  const query = dominant.statement.query.length > 120 ? `${dominant.statement.query.slice(0, 117)}...` : dominant.statement.query;
  return ` Likely cause, from the database: one statement takes ${percent(dominant.statement.timeShare)} of its time${scans.length ? ` and reads ${scans.join(', ')} whole on every call` : ''} (${query}); see database.dominant-query${scans.length ? ' and database.missing-index' : ''}.`;
}
