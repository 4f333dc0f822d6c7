// Readings of the database facts shared by the database and latency checks: options with defaults, names, the
// covering index of some columns, the statement that dominates the database's time.
import type { ConnectedDatabaseFacts, DatabaseOptions, IndexStat, PlanSeqScan, StatementPlan, StatementStat } from '../facts/database.js';
import { DEFAULT_DATABASE_OPTIONS } from '../facts/database.js';
import type { TargetFacts } from '../facts/index.js';

export const REFERENCES = {
  pgss: 'https://www.postgresql.org/docs/current/pgstatstatements.html',
  stats: 'https://www.postgresql.org/docs/current/monitoring-stats.html',
  indexes: 'https://www.postgresql.org/docs/current/indexes.html',
  createIndex: 'https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY',
  vacuum: 'https://www.postgresql.org/docs/current/routine-vacuuming.html',
  connections: 'https://www.postgresql.org/docs/current/runtime-config-connection.html',
  activity: 'https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW',
  pghero: 'https://github.com/ankane/pghero',
};

export function options(target: TargetFacts): DatabaseOptions {
  const d = target.database;
  return {
    longRunningQueryMs: d?.longRunningQueryMs ?? DEFAULT_DATABASE_OPTIONS.longRunningQueryMs,
    idleInTransactionMs: d?.idleInTransactionMs ?? DEFAULT_DATABASE_OPTIONS.idleInTransactionMs,
    minTableRows: d?.minTableRows ?? DEFAULT_DATABASE_OPTIONS.minTableRows,
  };
}

export function where(db: ConnectedDatabaseFacts): string {
  return `${db.server.host}:${db.server.port}/${db.server.database}`;
}

export function qualified(schema: string, name: string): string {
  return schema === 'public' ? name : `${schema}.${name}`;
}

/** An index usable for lookups on `columns` (in any order) as its leading key columns. */
export function coveringIndex(indexes: readonly IndexStat[], schema: string, table: string, columns: readonly string[]): IndexStat | undefined {
  if (columns.length === 0) return undefined;
  return indexes.find((i) => i.schema === schema && i.table === table && i.valid && !i.partial && i.method === 'btree'
    && i.columns.length >= columns.length
    && [...i.columns.slice(0, columns.length)].sort().join(',') === [...columns].sort().join(','));
}

/** The day the statistics were last reset (YYYY-MM-DD), or null when the server does not say. */
export function statsResetDay(db: ConnectedDatabaseFacts): string | null {
  return db.statsReset ? db.statsReset.slice(0, 10) : null;
}

/** A statement "dominates" from this share of all statement time (or of all calls). */
export const DOMINANT_SHARE = 0.5;
/** Below this many calls a share says nothing (a one-off migration, a manual query). */
export const MIN_CALLS = 10;
/** A mean above this is slow for a query behind a user-facing request (PgHero's slow-query threshold). */
const SLOW_MEAN_MS = 20;

export interface Dominant {
  statement: StatementStat;
  /** Large tables its generic plan reads whole. */
  fullScans: PlanSeqScan[];
  /** Reads large tables whole, or is slow per call: worth fixing now, not only watching. */
  slow: boolean;
}

/**
 * The statement that takes most of the database's time, if one does. Shared with the latency checks, which put it
 * next to an endpoint over its budget (cause beside symptom) when both are audited in one run.
 */
export function dominantStatement(db: ConnectedDatabaseFacts, minTableRows: number): Dominant | undefined {
  if (db.statements.status !== 'ok') return undefined;
  const top = [...db.statements.top].sort((a, b) => b.totalMs - a.totalMs)[0];
  if (!top || top.calls < MIN_CALLS || top.timeShare < DOMINANT_SHARE) return undefined;
  const rows = new Map(db.tables.map((t) => [`${t.schema}.${t.table}`, t.liveRows]));
  const plan = db.plans.find((p) => p.queryId === top.queryId && p.status === 'ok');
  const fullScans = (plan?.seqScans ?? []).filter((x) => (rows.get(`${x.schema}.${x.table}`) ?? x.planRows) >= minTableRows);
  return { statement: top, fullScans, slow: fullScans.length > 0 || top.meanMs >= SLOW_MEAN_MS };
}

export interface ScanCause {
  /** Large tables the statement's generic plan reads whole, qualified. */
  tables: string[];
  /** The index each needs, when the filter's columns are known and no usable index covers them: "orders (customer_id)". */
  missingIndexes: string[];
}

/**
 * The full scans behind one statement, from the first plan of it that was read (the latency collector's plans of
 * per-endpoint statements, or the database collector's plans of the top statements). Without database facts the
 * table sizes come from the planner's estimate and indexes are not known, so no index is named missing.
 */
export function scansOf(queryId: string, plans: readonly StatementPlan[], db: ConnectedDatabaseFacts | undefined, minTableRows: number): ScanCause {
  const plan = plans.find((p) => p.queryId === queryId && p.status === 'ok');
  const rows = new Map((db?.tables ?? []).map((t) => [`${t.schema}.${t.table}`, t.liveRows]));
  const scans = (plan?.seqScans ?? []).filter((x) => (rows.get(`${x.schema}.${x.table}`) ?? x.planRows) >= minTableRows);
  return {
    tables: scans.map((x) => qualified(x.schema, x.table)),
    missingIndexes: db ? scans.filter((x) => x.columns.length > 0 && !coveringIndex(db.indexes, x.schema, x.table, x.columns)).map((x) => `${qualified(x.schema, x.table)} (${x.columns.join(', ')})`) : [],
  };
}
