// The PostgreSQL collector: one read-only session that reads the catalog and statistics views (pg_stat_statements,
// pg_stat_user_tables, indexes, foreign keys, pg_stat_activity) and the generic plans of the top statements.
// Every failure becomes a value: a lost step is recorded in `partial`, a lost connection in the fact itself.
import type {
  ConnectionStats, DatabaseFacts, ForeignKeyStat, IndexStat, SessionStat, StatementPlan, StatementStat, StatementsStatus, TableStat,
} from '../../facts/database.js';
import { DATABASE_URL } from '../../facts/database.js';
import type { TargetFacts } from '../../facts/index.js';
import type { CollectContext } from '../context.js';
import { DatabaseError, MARK, openSession, parseDatabaseUrl, scrubMessage, type OpenSession, type ParsedUrl } from './connect.js';
import { filterColumnsDetail, parameterCount, sortColumns, summarizePlan, unsafeToExplain } from './plan.js';
import { oneLine, scrubLiterals } from './scrub.js';

const TOP_N = 15;
const EXPLAIN_N = 10;

type Row = Record<string, unknown>;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : v ? String(v) : null);
const bool = (v: unknown): boolean => v === true || v === 'on' || v === 't' || v === 'true';

export class Session {
  readonly partial: Record<string, string> = {};

  constructor(readonly s: OpenSession, private readonly secrets: readonly (string | undefined)[]) {}

  /** Runs one statement; a failure is recorded under `step` and yields undefined, so the next step still runs. */
  async rows(step: string, sql: string, params: unknown[] = []): Promise<Row[] | undefined> {
    try {
      const r = await this.s.query(`${MARK} ${sql}`, params);
      return r.rows as Row[];
    } catch (err) {
      this.partial[step] = this.safe(err);
      return undefined;
    }
  }

  safe(err: unknown): string {
    const e = err as { code?: string; message?: string };
    const msg = scrubMessage(e.message ?? String(err), this.secrets);
    return e.code === '57014' ? `cancelled by statement_timeout (${msg})` : e.code ? `${msg} [${e.code}]` : msg;
  }
}

async function readStatements(db: Session, versionNum: number): Promise<{ status: StatementsStatus; message?: string; totalMs: number; totalCalls: number; top: StatementStat[]; full: Map<string, string> }> {
  const none = { totalMs: 0, totalCalls: 0, top: [], full: new Map<string, string>() };
  const ext = await db.rows('statements', "SELECT quote_ident(extnamespace::regnamespace::text) AS schema FROM pg_extension WHERE extname = 'pg_stat_statements'");
  if (!ext) return { status: 'error', message: db.partial.statements, ...none };
  if (ext.length === 0) return { status: 'not-installed', ...none };
  const total = versionNum >= 130000 ? 'total_exec_time' : 'total_time';
  const rows = await db.rows('statements', `
    WITH s AS (
      SELECT queryid::text AS queryid, min(query) AS query, sum(calls)::float8 AS calls, sum(${total})::float8 AS total, sum(rows)::float8 AS rows
      FROM ${str(ext[0]!.schema)}.pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%${MARK}%'
      GROUP BY queryid
    ), t AS (SELECT coalesce(sum(total), 0) AS total, coalesce(sum(calls), 0) AS calls FROM s),
    top AS (
      (SELECT * FROM s ORDER BY total DESC LIMIT ${TOP_N}) UNION (SELECT * FROM s ORDER BY calls DESC LIMIT ${TOP_N})
    )
    SELECT top.queryid, left(top.query, 8001) AS query, top.calls, top.total, top.rows, t.total AS all_total, t.calls AS all_calls
    FROM top, t ORDER BY top.total DESC`);
  if (!rows) {
    const msg = db.partial.statements ?? '';
    delete db.partial.statements;
    const status: StatementsStatus = /shared_preload_libraries/i.test(msg) ? 'not-loaded' : /permission denied/i.test(msg) ? 'no-permission' : 'error';
    return { status, message: msg, ...none };
  }
  const allTotal = num(rows[0]?.all_total);
  const allCalls = num(rows[0]?.all_calls);
  const full = new Map<string, string>();
  const top: StatementStat[] = rows.map((r) => {
    const queryId = str(r.queryid);
    full.set(queryId, str(r.query));
    const calls = num(r.calls);
    const totalMs = num(r.total);
    return {
      queryId,
      query: oneLine(str(r.query)),
      calls,
      totalMs: Math.round(totalMs * 1000) / 1000,
      meanMs: calls > 0 ? Math.round((totalMs / calls) * 1000) / 1000 : 0,
      rows: num(r.rows),
      timeShare: allTotal > 0 ? Math.round((totalMs / allTotal) * 10000) / 10000 : 0,
      callShare: allCalls > 0 ? Math.round((calls / allCalls) * 10000) / 10000 : 0,
    };
  });
  // Without pg_read_all_stats, other roles' statements read as "<insufficient privilege>".
  const hidden = top.filter((s) => s.query.includes('insufficient privilege')).length;
  if (hidden > 0 && hidden === top.length) return { status: 'no-permission', message: 'statement texts are hidden from this role', totalMs: allTotal, totalCalls: allCalls, top, full };
  return { status: 'ok', totalMs: allTotal, totalCalls: allCalls, top, full };
}

export async function explainTop(db: Session, top: StatementStat[], full: Map<string, string>, versionNum: number): Promise<StatementPlan[]> {
  const plans: StatementPlan[] = [];
  const generic = versionNum >= 160000;
  if (!generic && top.length > 0) await db.rows('plan-setup', 'SET plan_cache_mode = force_generic_plan');
  let n = 0;
  for (const s of [...top].sort((a, b) => b.totalMs - a.totalMs).slice(0, EXPLAIN_N)) {
    const text = full.get(s.queryId) ?? '';
    const unsafe = text.length > 8000 ? 'statement text truncated' : unsafeToExplain(text);
    if (unsafe) {
      plans.push({ queryId: s.queryId, status: 'skipped', reason: unsafe, seqScans: [], indexes: [] });
      continue;
    }
    const params = parameterCount(text);
    const step = `explain ${s.queryId}`;
    let json: unknown;
    if (generic || params === 0) {
      const rows = await db.rows(step, `EXPLAIN (${params > 0 ? 'GENERIC_PLAN, ' : ''}VERBOSE, FORMAT JSON) ${text}`);
      json = rows?.[0]?.['QUERY PLAN'];
    } else {
      // Before PostgreSQL 16: a prepared statement planned generically shows the plan every call would get.
      const name = `launch_ready_${++n}`;
      if (await db.rows(step, `PREPARE ${name} AS ${text}`)) {
        const rows = await db.rows(step, `EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE ${name}(${Array.from({ length: params }, () => 'NULL').join(', ')})`);
        json = rows?.[0]?.['QUERY PLAN'];
        await db.rows(`deallocate ${name}`, `DEALLOCATE ${name}`);
      }
    }
    if (json === undefined) {
      const reason = db.partial[step] ?? 'no plan returned';
      delete db.partial[step];
      plans.push({ queryId: s.queryId, status: 'error', reason, seqScans: [], indexes: [] });
      continue;
    }
    const summary = summarizePlan(json);
    plans.push({ queryId: s.queryId, status: 'ok', totalCost: summary.totalCost, seqScans: summary.seqScans.map((x) => ({ ...x, columns: [] })), indexes: summary.indexes });
  }
  // The plan's filters name columns; resolve them against the real columns of each scanned table.
  const scanned = [...new Set(plans.flatMap((p) => p.seqScans.map((x) => `${x.schema}.${x.table}`)))];
  if (scanned.length > 0) {
    const rows = await db.rows('plan-columns', `
      SELECT n.nspname AS schema, c.relname AS table, array_agg(quote_ident(a.attname)::text) AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE (n.nspname || '.' || c.relname) = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
      GROUP BY 1, 2`, [scanned]);
    const cols = new Map((rows ?? []).map((r) => [`${str(r.schema)}.${str(r.table)}`, new Set((r.columns as string[]) ?? [])]));
    for (const p of plans) {
      for (const scan of p.seqScans) {
        const known = cols.get(`${scan.schema}.${scan.table}`) ?? new Set<string>();
        const detail = scan.filter ? filterColumnsDetail(scan.filter, known) : { columns: [], equalityOnly: false };
        scan.columns = detail.columns;
        scan.equalityOnly = detail.equalityOnly;
        const sorted = sortColumns(scan.sortKeys ?? [], known).filter((c) => !detail.columns.includes(c));
        if (sorted.length > 0) scan.sortColumns = sorted;
      }
    }
  }
  return plans;
}

const USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

async function readTables(db: Session): Promise<TableStat[]> {
  const rows = await db.rows('tables', `
    SELECT s.schemaname, s.relname, s.n_live_tup, s.n_dead_tup, s.seq_scan, s.seq_tup_read, s.idx_scan,
      pg_total_relation_size(s.relid) AS size, s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
      coalesce(c.reloptions @> ARRAY['autovacuum_enabled=false'], false) AS av_off
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
    ORDER BY s.seq_tup_read DESC NULLS LAST, s.n_live_tup DESC LIMIT 1000`);
  return (rows ?? []).map((r) => ({
    schema: str(r.schemaname), table: str(r.relname), liveRows: num(r.n_live_tup), deadRows: num(r.n_dead_tup),
    seqScan: num(r.seq_scan), seqRowsRead: num(r.seq_tup_read), idxScan: r.idx_scan === null ? null : num(r.idx_scan),
    sizeBytes: num(r.size), lastVacuum: iso(r.last_vacuum), lastAutovacuum: iso(r.last_autovacuum),
    lastAnalyze: iso(r.last_analyze), lastAutoanalyze: iso(r.last_autoanalyze), autovacuumDisabled: bool(r.av_off),
  }));
}

async function readIndexes(db: Session): Promise<IndexStat[]> {
  const rows = await db.rows('indexes', `
    SELECT n.nspname AS schema, t.relname AS table, i.relname AS name, am.amname AS method,
      x.indisunique AS uniq, x.indisprimary AS prim, x.indisvalid AS valid, x.indpred IS NOT NULL AS partial,
      EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x')) AS backs,
      coalesce(st.idx_scan, 0) AS scans, pg_relation_size(x.indexrelid) AS size, left(pg_get_indexdef(x.indexrelid), 500) AS def,
      ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) k ORDER BY k)::text[] AS columns
    FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
      LEFT JOIN pg_stat_user_indexes st ON st.indexrelid = x.indexrelid
    WHERE ${USER_SCHEMAS} ORDER BY 1, 2, 3 LIMIT 3000`);
  return (rows ?? []).map((r) => ({
    schema: str(r.schema), table: str(r.table), name: str(r.name),
    columns: ((r.columns as string[]) ?? []).map((c) => (/^(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)$/.test(c) ? c : `(${c})`)),
    definition: str(r.def), method: str(r.method), unique: bool(r.uniq), primary: bool(r.prim), constraint: bool(r.backs),
    partial: bool(r.partial), valid: bool(r.valid), scans: num(r.scans), sizeBytes: num(r.size),
  }));
}

async function readForeignKeys(db: Session): Promise<ForeignKeyStat[]> {
  const rows = await db.rows('foreign-keys', `
    SELECT n.nspname AS schema, t.relname AS table, k.conname AS name,
      ARRAY(SELECT quote_ident(a.attname) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord)::text[] AS columns,
      rn.nspname AS ref_schema, rt.relname AS ref_table, coalesce(s.n_live_tup, 0) AS rows
    FROM pg_constraint k
      JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      JOIN pg_class rt ON rt.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = rt.relnamespace
      LEFT JOIN pg_stat_user_tables s ON s.relid = k.conrelid
    WHERE k.contype = 'f' AND ${USER_SCHEMAS} ORDER BY 1, 2, 3 LIMIT 3000`);
  return (rows ?? []).map((r) => ({
    schema: str(r.schema), table: str(r.table), name: str(r.name), columns: (r.columns as string[]) ?? [],
    refSchema: str(r.ref_schema), refTable: str(r.ref_table), tableRows: num(r.rows),
  }));
}

async function readConnections(db: Session, maxConnections: number, reserved: number): Promise<ConnectionStats> {
  const rows = await db.rows('connections', `
    SELECT coalesce(state, 'unknown') AS state, count(*) AS n FROM pg_stat_activity
    WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1`);
  const byState: Record<string, number> = {};
  for (const r of rows ?? []) byState[str(r.state)] = num(r.n);
  return { maxConnections, reserved, total: Object.values(byState).reduce((a, b) => a + b, 0), byState };
}

async function readSessions(db: Session, versionNum: number, normalized: Map<string, string>): Promise<SessionStat[]> {
  const rows = await db.rows('sessions', `
    SELECT pid, state, application_name,
      extract(epoch FROM (clock_timestamp() - CASE WHEN state = 'active' THEN query_start ELSE coalesce(state_change, xact_start) END)) * 1000 AS ms,
      CASE WHEN wait_event IS NULL THEN NULL ELSE wait_event_type || ':' || wait_event END AS wait,
      left(query, 2000) AS query, ${versionNum >= 140000 ? 'query_id::text' : 'NULL::text'} AS query_id
    FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
      AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')
    ORDER BY ms DESC NULLS LAST LIMIT 50`);
  return (rows ?? []).map((r) => {
    const known = r.query_id ? normalized.get(str(r.query_id)) : undefined;
    return {
      pid: num(r.pid), state: str(r.state), durationMs: Math.max(0, Math.round(num(r.ms))),
      // Live texts carry real values: only the normalized form (or a literal-free copy) is kept.
      query: known ? oneLine(known) : scrubLiterals(str(r.query), 300),
      waitEvent: r.wait ? str(r.wait) : null, applicationName: str(r.application_name).slice(0, 64),
    };
  });
}

/** `startupOptions: false` forces the per-statement guards a pooler needs (for tests; detected on its own otherwise). */
export async function collectDatabase(ctx: CollectContext, target: TargetFacts, opts: { startupOptions?: boolean } = {}): Promise<DatabaseFacts> {
  const url = target.database?.[DATABASE_URL];
  if (!target.database || !url) return { configured: false };
  let parsed: ParsedUrl;
  try {
    parsed = parseDatabaseUrl(url);
  } catch (err) {
    return { configured: true, connected: false, stage: 'config', error: (err as Error).message, server: { host: '', port: 0, database: '' } };
  }
  const server = { host: parsed.host, port: parsed.port, database: parsed.database };
  const statementTimeoutMs = target.database.statementTimeoutMs ?? ctx.timeoutMs;
  let session: OpenSession;
  try {
    session = await ctx.limiter.run(() => openSession(ctx, parsed, statementTimeoutMs, opts));
  } catch (err) {
    const e = err instanceof DatabaseError ? err : new DatabaseError('connect', scrubMessage((err as Error).message ?? String(err), [parsed.password, parsed.user, url]));
    return { configured: true, connected: false, stage: e.stage, error: scrubMessage(e.message, [parsed.password, parsed.user, url]), server };
  }
  const db = new Session(session, [parsed.password, parsed.user, url]);
  try {
    const info = await db.rows('server', `
      SELECT version() AS version, current_setting('server_version_num')::int AS num, current_setting('autovacuum') AS autovacuum,
        current_setting('track_counts') AS track_counts, current_setting('statement_timeout') AS statement_timeout,
        current_setting('max_connections')::int AS max_connections,
        current_setting('superuser_reserved_connections')::int + coalesce(current_setting('reserved_connections', true), '0')::int AS reserved,
        (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()) AS stats_reset`);
    const row = info?.[0];
    if (!row) {
      return { configured: true, connected: false, stage: 'query', error: `${session.where}: cannot read the server settings (${db.partial.server ?? 'no row'})`, server };
    }
    const versionNum = num(row.num);
    const statements = await readStatements(db, versionNum);
    const plans = statements.status === 'ok' || statements.status === 'no-permission' ? await explainTop(db, statements.top, statements.full, versionNum) : [];
    const tables = await readTables(db);
    const indexes = await readIndexes(db);
    const foreignKeys = await readForeignKeys(db);
    const connections = await readConnections(db, num(row.max_connections), num(row.reserved));
    const sessions = await readSessions(db, versionNum, statements.full);
    return {
      configured: true,
      connected: true,
      server: { ...server, version: str(row.version).split(' on ')[0]!.slice(0, 120), versionNum },
      collectedAt: new Date().toISOString(),
      statsReset: iso(row.stats_reset),
      settings: { autovacuum: bool(row.autovacuum), trackCounts: bool(row.track_counts), statementTimeout: str(row.statement_timeout) },
      statements: {
        status: statements.status,
        ...(statements.message ? { message: statements.message } : {}),
        totalMs: Math.round(statements.totalMs * 1000) / 1000,
        totalCalls: statements.totalCalls,
        top: statements.top,
      },
      plans,
      tables,
      indexes,
      foreignKeys,
      connections,
      sessions,
      partial: db.partial,
    };
  } finally {
    await session.close();
  }
}
