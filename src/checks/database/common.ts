// Shared by the database checks: the connected-or-why gate, the options with defaults, and number wording.
import type { ConnectedDatabaseFacts, DatabaseFacts, DatabaseOptions, IndexStat } from '../../facts/database.js';
import { DEFAULT_DATABASE_OPTIONS } from '../../facts/database.js';
import type { TargetFacts } from '../../facts/index.js';
import type { CheckContext } from '../define.js';

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

/** The connected facts, or undefined after telling the context why there is nothing to judge. */
export function connected(db: DatabaseFacts, ctx: CheckContext<string>): ConnectedDatabaseFacts | undefined {
  if (!db.configured) {
    ctx.notApplicable('no database configured (add "database": {"url": "${env:DATABASE_URL}"} to the config)');
    return undefined;
  }
  if (!db.connected) {
    ctx.unknown(`could not read the database (${db.stage}): ${db.error}`);
    return undefined;
  }
  return db;
}

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

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function ms(n: number): string {
  if (n >= 60_000) return `${(n / 60_000).toFixed(1)} min`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)} s`;
  return `${n >= 10 ? Math.round(n) : n.toFixed(2)} ms`;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} kB`;
  return `${n} B`;
}

/** An index usable for lookups on `columns` (in any order) as its leading key columns. */
export function coveringIndex(indexes: readonly IndexStat[], schema: string, table: string, columns: readonly string[]): IndexStat | undefined {
  if (columns.length === 0) return undefined;
  return indexes.find((i) => i.schema === schema && i.table === table && i.valid && !i.partial && i.method === 'btree'
    && i.columns.length >= columns.length
    && [...i.columns.slice(0, columns.length)].sort().join(',') === [...columns].sort().join(','));
}

export function statsSince(db: ConnectedDatabaseFacts): string {
  return db.statsReset ? `since the statistics were reset on ${db.statsReset.slice(0, 10)}` : 'since the statistics were last reset';
}
