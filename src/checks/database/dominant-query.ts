// One statement that takes most of the database's time is where a slow endpoint's time goes: name it, with its
// calls and mean time, and say whether its plan reads whole tables.
import type { StatementStat } from '../../facts/database.js';
import { connected, defineCheck } from '../define.js';
import { DOMINANT_SHARE, dominantStatement, MIN_CALLS, options, qualified, REFERENCES } from '../../derive/database.js';

export default defineCheck({
  id: 'dominant-query',
  area: 'database',
  severity: 'low',
  impact: 'performance',
  title: 'No single query dominates the database\'s time',
  description:
    'One query takes most of the database\'s time: as traffic grows it saturates the database first, and every endpoint that shares the database slows down with it.',
  remediation:
    'Look at that query first: EXPLAIN it with real parameters, add the index its filter needs, cache or batch it if the app calls it per item (N+1), then re-run the audit after some traffic.',
  references: [REFERENCES.pgss, REFERENCES.pghero],
  requires: ['database.postgres'],
  messages: {
    'dominant-slow': {
      severity: 'medium',
      message: 'One statement takes {share|percent} of all database time ({total|duration} over {calls|count} calls, mean {mean|duration}){scans? and reads whole tables on every call (sequential scan of {scans})}{slowPerCall? and is slow per call}: {query}',
    },
    dominant: {
      message: 'One statement takes {share|percent} of all database time ({total|duration} over {calls|count} calls, mean {mean|duration}): {query}',
      whatBreaks: 'Nothing yet: it is fast per call, but it is where the database\'s time goes as traffic grows.',
    },
    'dominant-calls': {
      severity: 'info',
      message: 'One statement makes {share|percent} of all calls to the database ({calls|count} calls, mean {mean|duration}): {query}',
      whatBreaks: 'Nothing yet; a statement called this often is often an N+1 loop or a missing cache, and multiplies any slowdown.',
      remediation: 'Check whether the app calls it once per item in a loop (batch it) or per request for data that rarely changes (cache it).',
    },
  },
  run({ 'database.postgres': facts, target }, ctx) {
    const db = connected(facts, ctx);
    if (!db) return;
    const s = db.statements;
    if (s.status !== 'ok') {
      ctx.notApplicable(`pg_stat_statements is not readable (${s.status}): see database.pg-stat-statements-missing`);
      return;
    }
    const row = (x: StatementStat) => ({ query: x.query, calls: x.calls, totalMs: x.totalMs, meanMs: x.meanMs, timeShare: x.timeShare });
    ctx.details({
      totalMs: s.totalMs,
      totalCalls: s.totalCalls,
      topByTime: [...s.top].sort((a, b) => b.totalMs - a.totalMs).slice(0, 10).map(row),
      topByCalls: [...s.top].sort((a, b) => b.calls - a.calls).slice(0, 10).map(row),
    });
    const dominant = dominantStatement(db, options(target).minTableRows);
    const top = dominant?.statement;
    if (dominant && top) {
      const { fullScans } = dominant;
      const args = {
        share: top.timeShare, total: top.totalMs, calls: top.calls, mean: top.meanMs, query: top.query,
        queryId: top.queryId,
        scans: fullScans.map((x) => qualified(x.schema, x.table)),
        slowPerCall: fullScans.length === 0 && dominant.slow,
      };
      const location = { host: db.server.host, record: `query ${top.queryId}` };
      ctx.report({ code: dominant.slow ? 'dominant-slow' : 'dominant', args, location });
    }
    const busiest = [...s.top].sort((a, b) => b.calls - a.calls)[0];
    if (busiest && busiest.queryId !== top?.queryId && busiest.calls >= MIN_CALLS * 10 && busiest.callShare >= DOMINANT_SHARE) {
      ctx.report({
        code: 'dominant-calls',
        args: { share: busiest.callShare, calls: busiest.calls, mean: busiest.meanMs, query: busiest.query },
        location: { host: db.server.host, record: `query ${busiest.queryId}` },
      });
    }
  },
});
