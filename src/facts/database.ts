// Database facts: what the read-only PostgreSQL collector saw (catalog, statistics views, generic EXPLAIN plans).

/** The config's database section as checks see it: thresholds only, never the URL. */
export interface DatabaseOptions {
  /** An active query running longer than this is reported (default 5 minutes). */
  longRunningQueryMs: number;
  /** A session idle inside an open transaction for longer than this is reported (default 1 minute). */
  idleInTransactionMs: number;
  /** Tables with fewer live rows than this are never flagged for sequential scans (default 10,000). */
  minTableRows: number;
}

/**
 * The database URL's key on the target. A symbol, because the target is written out (reports, --save-facts) as
 * JSON, which skips symbol keys: the URL and its password can never travel with it.
 */
export const DATABASE_URL: unique symbol = Symbol('launch-ready.database.url');

/** target.database: the thresholds checks read, and (under a symbol key) the URL only the collector reads. */
export interface DatabaseTarget extends DatabaseOptions {
  /** Server-side statement_timeout of the audit's session (default: the run's --timeout). */
  statementTimeoutMs?: number;
  [DATABASE_URL]?: string;
}

export const DEFAULT_DATABASE_OPTIONS: DatabaseOptions = {
  longRunningQueryMs: 5 * 60_000,
  idleInTransactionMs: 60_000,
  minTableRows: 10_000,
};

/** One normalized statement from pg_stat_statements (literals already replaced by $n by PostgreSQL). */
export interface StatementStat {
  queryId: string;
  /** Normalized text, truncated to a bounded length. */
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  /** Share of all statement time in this database, 0..1. */
  timeShare: number;
  /** Share of all calls in this database, 0..1. */
  callShare: number;
}

/** A sequential scan found in a statement's generic plan. */
export interface PlanSeqScan {
  schema: string;
  table: string;
  /** The plan's filter, e.g. `(orders.customer_id = $1)`, bounded. */
  filter?: string;
  /** Columns the filter compares (equality first), resolved against the table's real columns. */
  columns: string[];
  /** The filter only tests equality (so an index can also serve the sort that follows). */
  equalityOnly?: boolean;
  /** Columns of a Sort right above the scan (ORDER BY ... LIMIT), resolved like `columns`. */
  sortColumns?: string[];
  /** The Sort's keys as the plan gives them, bounded; resolved into sortColumns with the table's columns. */
  sortKeys?: string[];
  /** The planner's row estimate for the table. */
  planRows: number;
}

/** The generic plan (EXPLAIN without ANALYZE) of one of the top statements. */
export interface StatementPlan {
  queryId: string;
  status: 'ok' | 'skipped' | 'error';
  /** Why it was not explained (a write statement, too long, a parameter type the server could not infer...). */
  reason?: string;
  totalCost?: number;
  seqScans: PlanSeqScan[];
  /** Index names the plan uses. */
  indexes: string[];
}

export interface TableStat {
  schema: string;
  table: string;
  liveRows: number;
  deadRows: number;
  seqScan: number;
  seqRowsRead: number;
  idxScan: number | null;
  sizeBytes: number;
  lastVacuum: string | null;
  lastAutovacuum: string | null;
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
  /** reloptions autovacuum_enabled=false */
  autovacuumDisabled: boolean;
}

export interface IndexStat {
  schema: string;
  table: string;
  name: string;
  /** Key columns in order; an expression column is written `(expr)`. */
  columns: string[];
  /** pg_get_indexdef, bounded. */
  definition: string;
  method: string;
  unique: boolean;
  primary: boolean;
  /** Backs a constraint (primary key, unique, exclusion): cannot simply be dropped. */
  constraint: boolean;
  partial: boolean;
  valid: boolean;
  scans: number;
  sizeBytes: number;
}

export interface ForeignKeyStat {
  schema: string;
  table: string;
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  /** Live rows of the referencing table. */
  tableRows: number;
}

export interface SessionStat {
  pid: number;
  state: string;
  /** Milliseconds since the current query (active) or the open transaction (idle in transaction) started. */
  durationMs: number;
  /** Literals scrubbed (normalized text from pg_stat_statements when available), bounded. */
  query: string;
  waitEvent: string | null;
  applicationName: string;
}

export interface ConnectionStats {
  maxConnections: number;
  /** Slots kept for superusers (superuser_reserved_connections + reserved_connections). */
  reserved: number;
  /** Every client backend on the server. */
  total: number;
  byState: Record<string, number>;
}

export type StatementsStatus = 'ok' | 'not-installed' | 'not-loaded' | 'no-permission' | 'error';

export type DatabaseFacts =
  | { configured: false }
  | {
      configured: true;
      connected: false;
      /** Where the connection failed, and why: never the URL, the password or the user name. */
      stage: 'config' | 'resolve' | 'policy' | 'connect' | 'auth' | 'query';
      error: string;
      server: { host: string; port: number; database: string };
    }
  | {
      configured: true;
      connected: true;
      server: { host: string; port: number; database: string; version: string; versionNum: number };
      collectedAt: string;
      /** When the server's table statistics were last reset (counters cover the time since). */
      statsReset: string | null;
      settings: { autovacuum: boolean; trackCounts: boolean; statementTimeout: string };
      statements: {
        status: StatementsStatus;
        message?: string;
        /** All statements of this database: the totals shares are computed from. */
        totalMs: number;
        totalCalls: number;
        /** Union of the top statements by total time and by calls. */
        top: StatementStat[];
      };
      plans: StatementPlan[];
      tables: TableStat[];
      indexes: IndexStat[];
      foreignKeys: ForeignKeyStat[];
      connections: ConnectionStats;
      /** Sessions of this database that are active or idle in a transaction, longest first (not our own). */
      sessions: SessionStat[];
      /** Steps that failed without stopping the rest (a permission, a timeout), by name. */
      partial: Record<string, string>;
    };

export type ConnectedDatabaseFacts = Extract<DatabaseFacts, { connected: true }>;
