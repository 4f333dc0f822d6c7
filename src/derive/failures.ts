// Failures by cause: one request's failure (no answer, or an error status) classified as DNS, TLS, connect, timeout,
// reset, auth, rate limit, client error, database, upstream or server, so a report can say where failures come from.
// Pure, so the latency checks use it today and watch (src/run/watch.ts) can adopt it for its probes.
import type { SampleTrace } from '../facts/latency.js';
import { parseServerTiming } from './server-timing.js';

export type FailureCause = 'dns' | 'tls' | 'connect' | 'timeout' | 'reset' | 'auth' | 'rate-limit' | 'client' | 'database' | 'upstream' | 'server' | 'other';

/** What the fields of a failed request say; every field optional so a watch probe can pass what it has. */
export interface FailedRequest {
  status?: number;
  /** The fetch's failure kind (src/collect/http FetchErrorKind) when there was no answer. */
  failure?: string;
  serverTiming?: string;
  bodyCause?: SampleTrace['bodyCause'];
}

const DATABASE_BODY = /\b(SQLSTATE|sqlalchemy|sequelize|prisma|typeorm|QueryFailedError|knex|psycopg2?|ActiveRecord|PG::|pg_|postgres(?:ql)?|mysql|mariadb|mongo(?:db|servererror)|redis|deadlock detected|too many (?:clients|connections)|connection pool|pool timeout|relation "[^"]*" does not exist|duplicate key value|statement timeout|canceling statement|database)\b/i;
const AUTH_BODY = /\b(unauthori[sz]ed|unauthenticated|invalid[_ ](?:token|credentials|api[_ ]key)|jwt (?:expired|malformed)|token expired|forbidden|access denied)\b/i;
const UPSTREAM_BODY = /\b(bad gateway|gateway time-?out|upstream|service unavailable|ECONNREFUSED|ETIMEDOUT|ENOTFOUND)\b/i;

/** Reads an error answer's body (a prefix of it) for its shape; the body itself is never kept. */
export function errorBodyCause(text: string): SampleTrace['bodyCause'] {
  const head = text.slice(0, 16 * 1024);
  if (DATABASE_BODY.test(head)) return 'database';
  if (AUTH_BODY.test(head)) return 'auth';
  if (UPSTREAM_BODY.test(head)) return 'upstream';
  return undefined;
}

const DB_METRIC = /^(db|database|sql|pg|postgres(?:ql)?|mysql|query|queries|mongo(?:db)?|redis)$/;

/** A Server-Timing metric names the database as the failing part (an error description, or most of the time). */
function databaseByServerTiming(header: string | undefined): boolean {
  if (!header) return false;
  return parseServerTiming(header).some((m) => DB_METRIC.test(m.name) && /error|fail|timeout|timed out|refused|unavailable/i.test(m.desc ?? ''));
}

/** undefined for a request that succeeded (an answer below 400). */
export function classifyFailure(r: FailedRequest): FailureCause | undefined {
  if (r.status === undefined) {
    switch (r.failure) {
      case undefined: return undefined;
      case 'dns-failure': case 'no-address': return 'dns';
      case 'tls': return 'tls';
      case 'refused': case 'forbidden': return 'connect';
      case 'timeout': return 'timeout';
      case 'reset': return 'reset';
      default: return 'other';
    }
  }
  if (r.status < 400) return undefined;
  if (r.status === 401 || r.status === 403 || r.status === 407) return 'auth';
  if (r.status === 429) return 'rate-limit';
  if (r.status < 500) return r.bodyCause === 'auth' ? 'auth' : 'client';
  if (r.bodyCause === 'database' || databaseByServerTiming(r.serverTiming)) return 'database';
  if (r.status === 502 || r.status === 504 || r.bodyCause === 'upstream') return 'upstream';
  return 'server';
}

export interface FailureCauses {
  /** Failed requests per cause, most first. */
  counts: { cause: FailureCause; count: number }[];
  failed: number;
  /** The cause of at least half the failures, when one is. */
  main?: FailureCause;
}

export function failureCauses(requests: readonly FailedRequest[]): FailureCauses {
  const counts = new Map<FailureCause, number>();
  for (const r of requests) {
    const c = classifyFailure(r);
    if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const list = [...counts].map(([cause, count]) => ({ cause, count })).sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause));
  const failed = list.reduce((a, x) => a + x.count, 0);
  const top = list[0];
  return { counts: list, failed, ...(top && top.count * 2 >= failed ? { main: top.cause } : {}) };
}
