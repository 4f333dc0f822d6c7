// Watches pg_stat_statements around each endpoint's measured requests (for the latency collector): one read-only
// session, a counters-only snapshot before and after, the texts and generic plans of the statements that grew.
import type { StatementPlan, StatementStat } from '../../facts/database.js';
import { DATABASE_URL } from '../../facts/database.js';
import type { TargetFacts } from '../../facts/index.js';
import { STATEMENT_WINDOW_CAP, type StatementDelta, type StatementWindow } from '../../facts/latency.js';
import type { CollectContext } from '../context.js';
import { DatabaseError, MARK, openSession, parseDatabaseUrl, scrubMessage } from './connect.js';
import { explainTop, Session } from './index.js';
import { oneLine } from './scrub.js';

interface Counters { calls: number; totalMs: number; rows: number; blocksRead: number }
export type Snapshot = Map<string, Counters>;

export interface StatementWatch {
  /** Counters of every statement of the database (ours excluded); undefined when the read failed. */
  snapshot(): Promise<Snapshot | undefined>;
  /** Texts (normalized) of some statements, and the window between two snapshots. */
  window(before: Snapshot, after: Snapshot, requests: number): Promise<StatementWindow>;
  /** Generic plans of the given statements. */
  explain(queryIds: readonly string[]): Promise<StatementPlan[]>;
  /** Why the last step failed, scrubbed. */
  error(): string | undefined;
  close(): Promise<void>;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** undefined when no database is configured; a string (safe to print) when it cannot be watched. */
export async function openStatementWatch(ctx: CollectContext, target: Pick<TargetFacts, 'database'>): Promise<StatementWatch | string | undefined> {
  const url = target.database?.[DATABASE_URL];
  if (!target.database || !url) return undefined;
  let db: Session;
  const secrets: string[] = [url];
  try {
    const parsed = parseDatabaseUrl(url);
    secrets.push(...[parsed.password, parsed.user].filter((x): x is string => Boolean(x)));
    const session = await ctx.limiter.run(() => openSession(ctx, parsed, target.database!.statementTimeoutMs ?? ctx.timeoutMs));
    db = new Session(session, secrets);
  } catch (err) {
    return err instanceof DatabaseError ? scrubMessage(err.message, secrets) : scrubMessage((err as Error).message ?? String(err), secrets);
  }
  const info = await db.rows('server', `SELECT current_setting('server_version_num')::int AS num,
    (SELECT quote_ident(extnamespace::regnamespace::text) FROM pg_extension WHERE extname = 'pg_stat_statements') AS schema`);
  const versionNum = Number(info?.[0]?.num ?? 0);
  const schema = info?.[0]?.schema;
  if (!info || typeof schema !== 'string') {
    await db.s.close();
    return info ? 'pg_stat_statements is not installed in this database' : db.partial.server ?? 'cannot read the server settings';
  }
  const view = `${schema}.pg_stat_statements`;
  const total = versionNum >= 130000 ? 'total_exec_time' : 'total_time';
  const scope = `dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%${MARK}%'`;
  const texts = new Map<string, string>();
  let last: string | undefined;
  const fail = (step: string) => { last = db.partial[step]; delete db.partial[step]; };
  return {
    async snapshot() {
      const rows = await db.rows('snapshot', `SELECT queryid::text AS q, sum(calls)::float8 AS c, sum(${total})::float8 AS t, sum(rows)::float8 AS r,
        sum(shared_blks_read)::float8 AS b FROM ${view} WHERE ${scope} GROUP BY queryid`);
      if (!rows) { fail('snapshot'); return undefined; }
      return new Map(rows.map((r) => [String(r.q), { calls: Number(r.c), totalMs: Number(r.t), rows: Number(r.r), blocksRead: Number(r.b) }]));
    },
    async window(before, after, requests) {
      const grown: Omit<StatementDelta, 'query'>[] = [];
      let totalCalls = 0;
      let totalMs = 0;
      for (const [queryId, a] of after) {
        // A statement evicted and re-entered between the snapshots counts from zero.
        const b = before.get(queryId);
        const d = b && a.calls >= b.calls ? { calls: a.calls - b.calls, totalMs: a.totalMs - b.totalMs, rows: a.rows - b.rows, blocksRead: a.blocksRead - b.blocksRead } : a;
        if (d.calls <= 0) continue;
        totalCalls += d.calls;
        totalMs += d.totalMs;
        grown.push({ queryId, calls: d.calls, totalMs: round(d.totalMs), rows: d.rows, blocksRead: d.blocksRead });
      }
      const top = grown.sort((x, y) => y.totalMs - x.totalMs).slice(0, STATEMENT_WINDOW_CAP);
      const unknown = top.map((s) => s.queryId).filter((q) => !texts.has(q));
      if (unknown.length > 0) {
        const rows = await db.rows('texts', `SELECT queryid::text AS q, min(left(query, 8001)) AS query FROM ${view} WHERE ${scope} AND queryid::text = ANY($1) GROUP BY queryid`, [unknown]);
        if (!rows) fail('texts');
        for (const r of rows ?? []) texts.set(String(r.q), String(r.query));
      }
      return {
        requests,
        statements: top.map((s) => ({ ...s, query: oneLine(texts.get(s.queryId) ?? '(statement text not readable)') })),
        totalCalls, totalMs: round(totalMs),
      };
    },
    async explain(queryIds) {
      const stats: StatementStat[] = queryIds.map((queryId, i) => ({ queryId, query: '', calls: 0, totalMs: queryIds.length - i, meanMs: 0, rows: 0, timeShare: 0, callShare: 0 }));
      const plans = await explainTop(db, stats, texts, versionNum);
      for (const step of Object.keys(db.partial)) fail(step);
      return plans;
    },
    error: () => last,
    close: () => db.s.close(),
  };
}
