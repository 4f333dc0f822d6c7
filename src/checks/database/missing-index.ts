// Tables read whole over and over: the sequential-scan counters name the table, and the generic plans of the top
// statements name the query and the columns its filter compares, which is the index that is missing.
import type { PlanSeqScan, StatementStat } from '../../facts/database.js';
import type { LatencyFacts } from '../../facts/latency.js';
import { connected, defineCheck } from '../define.js';
import { coveringIndex, options, qualified, REFERENCES, statsResetDay } from '../../derive/database.js';

/** Fewer sequential scans than this since the last reset is a one-off (a report, a backup), not a hot path. */
const MIN_SEQ_SCANS = 10;

/** The statements the endpoints ran during the audit, summed over endpoints (calls and time of those requests only). */
function latencyStatements(latency: LatencyFacts | undefined): StatementStat[] {
  const sums = new Map<string, StatementStat>();
  for (const d of (latency?.endpoints ?? []).flatMap((e) => e.statements?.statements ?? [])) {
    const s = sums.get(d.queryId) ?? { queryId: d.queryId, query: d.query, calls: 0, totalMs: 0, meanMs: 0, rows: 0, timeShare: 0, callShare: 0 };
    s.calls += d.calls;
    s.totalMs += d.totalMs;
    s.rows += d.rows;
    s.meanMs = s.calls > 0 ? Math.round((s.totalMs / s.calls) * 1000) / 1000 : 0;
    sums.set(d.queryId, s);
  }
  return [...sums.values()];
}

function indexStatement(schema: string, table: string, columns: readonly string[]): string {
  return `CREATE INDEX CONCURRENTLY ON ${schema === 'public' ? table : `${schema}.${table}`} (${columns.join(', ')});`;
}

export default defineCheck({
  id: 'missing-index',
  area: 'database',
  severity: 'medium',
  impact: 'performance',
  title: 'Hot tables are read through an index, not scanned whole',
  description:
    'Every call reads the whole table: the query gets slower with every row you add, and under launch traffic these scans saturate the database\'s CPU and disk so that every endpoint slows down or times out.',
  remediation:
    'Create the index the filter needs, without locking writes: CREATE INDEX CONCURRENTLY (equality columns first, then range and sort columns). Then check the plan with EXPLAIN and re-run the audit after some traffic.',
  references: [REFERENCES.indexes, REFERENCES.createIndex, REFERENCES.pghero],
  requires: ['database.postgres'],
  // The latency collector watches pg_stat_statements around each endpoint and explains what they run: statements the
  // database collector's snapshot missed (it runs beside the latency requests) still explain a scanned table.
  optional: ['latency.endpoints'],
  messages: {
    confirmed: {
      message: 'Table {table} ({rows|count} rows) was scanned whole {seqScans|count} times, {rowsRead|count} rows read since the statistics were {statsReset?reset on {statsReset}}{statsReset!last reset}. Its top query {query} ({calls|count} calls, mean {mean|duration}) filters on {columns} with no index: missing index on {table} ({indexColumns}). Fix: {fix}',
    },
    'index-not-used': {
      severity: 'low',
      message: 'Table {table} ({rows|count} rows) was scanned whole {seqScans|count} times although index {index} covers the filter on {columns} of {query}: the planner does not trust it.',
      remediation: 'Run ANALYZE on the table (its statistics may be missing or stale); if the filter matches a large part of the table, a partial or composite index that matches the query narrows it.',
    },
    suspected: {
      message: 'Table {table} ({rows|count} rows) was scanned whole {seqScans|count} times, {rowsRead|count} rows read since the statistics were {statsReset?reset on {statsReset}}{statsReset!last reset}, and no top statement explains it{unreadable? (pg_stat_statements is not readable, so the queries behind it are unknown)}{unfiltered? (its plans scan it without a filter: the whole table is wanted, or the filter is an expression)}.',
      remediation: 'Find the queries that read this table (pg_stat_statements, or log_min_duration_statement), EXPLAIN them and index the columns they filter on with CREATE INDEX CONCURRENTLY.',
    },
  },
  run({ 'database.postgres': facts, 'latency.endpoints': latency, target }, ctx) {
    const db = connected(facts, ctx);
    if (!db) return;
    if (!db.settings.trackCounts) {
      ctx.unknown('track_counts is off on the server: table scan counters are not collected');
      return;
    }
    const min = options(target).minTableRows;
    const stmts = new Map<string, StatementStat>(db.statements.top.map((s) => [s.queryId, s]));
    for (const s of latencyStatements(latency)) if (!stmts.has(s.queryId)) stmts.set(s.queryId, s);
    const plans = [...db.plans, ...(latency?.plans ?? []).filter((p) => !db.plans.some((d) => d.queryId === p.queryId && d.status === 'ok'))];
    // Every statement whose plan reads a table whole, per table, costliest statement first.
    const byTable = new Map<string, { stmt: StatementStat; scan: PlanSeqScan }[]>();
    for (const p of plans) {
      const stmt = stmts.get(p.queryId);
      if (!stmt || p.status !== 'ok') continue;
      for (const scan of p.seqScans) {
        const key = `${scan.schema}.${scan.table}`;
        byTable.set(key, [...(byTable.get(key) ?? []), { stmt, scan }]);
      }
    }
    const flagged: string[] = [];
    for (const t of db.tables) {
      if (t.liveRows < min || t.seqScan < MIN_SEQ_SCANS || t.seqRowsRead / t.seqScan < min) continue;
      const name = qualified(t.schema, t.table);
      flagged.push(name);
      const base = { table: name, rows: t.liveRows, seqScans: t.seqScan, rowsRead: t.seqRowsRead, statsReset: statsResetDay(db) };
      const location = { host: db.server.host, record: `table ${t.schema}.${t.table}` };
      const hits = (byTable.get(`${t.schema}.${t.table}`) ?? []).sort((a, b) => b.stmt.totalMs - a.stmt.totalMs);
      const withFilter = hits.find((h) => h.scan.columns.length > 0);
      if (withFilter) {
        const { stmt, scan } = withFilter;
        const existing = coveringIndex(db.indexes, t.schema, t.table, scan.columns);
        // Equality columns first, then the ORDER BY columns: one index then finds the rows already sorted.
        const indexColumns = [...scan.columns, ...(scan.equalityOnly ? scan.sortColumns ?? [] : [])];
        const stmtArgs = { query: stmt.query, calls: stmt.calls, mean: stmt.meanMs, columns: scan.columns.join(', '), indexColumns: indexColumns.join(', '), queryId: stmt.queryId };
        if (existing) {
          ctx.report({ code: 'index-not-used', args: { ...base, ...stmtArgs, index: existing.name }, location });
        } else {
          ctx.report({ code: 'confirmed', args: { ...base, ...stmtArgs, fix: indexStatement(t.schema, t.table, indexColumns) }, location });
        }
        continue;
      }
      const unreadable = db.statements.status !== 'ok';
      ctx.report({ code: 'suspected', args: { ...base, unreadable, unfiltered: !unreadable && hits.length > 0 }, location });
    }
    ctx.details({
      minTableRows: min,
      flagged,
      tables: db.tables.filter((t) => t.seqScan > 0).slice(0, 10).map((t) => ({ table: qualified(t.schema, t.table), rows: t.liveRows, seqScans: t.seqScan, seqRowsRead: t.seqRowsRead, idxScans: t.idxScan })),
      explained: plans.map((p) => ({ queryId: p.queryId, status: p.status, ...(p.reason ? { reason: p.reason } : {}), seqScans: p.seqScans.map((x) => `${qualified(x.schema, x.table)}${x.columns.length ? ` (${x.columns.join(', ')})` : ''}`) })),
    });
  },
});
