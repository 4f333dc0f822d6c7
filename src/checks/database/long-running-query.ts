// Queries running right now for longer than any request should: they hold a connection and locks, and often are
// the reason an endpoint times out.
import { connected, defineCheck } from '../define.js';
import { options, REFERENCES } from '../../derive/database.js';

export default defineCheck({
  id: 'long-running-query',
  area: 'database',
  severity: 'medium',
  impact: 'performance',
  title: 'No query has been running for minutes',
  description:
    'A query running for minutes holds a connection and its locks: requests that need the same rows wait behind it, and a few of them exhaust the connection pool.',
  remediation:
    'Look at the query (EXPLAIN it), cancel it if it is stuck (SELECT pg_cancel_backend(pid)), and set a statement_timeout on the app\'s role so no request-path query can run this long again.',
  references: [REFERENCES.activity, 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT'],
  requires: ['database.postgres'],
  messages: {
    running: { message: 'Session {pid} ({app}) has been running one query for {duration|duration}{wait? (waiting on {wait})}: {query}' },
  },
  run({ 'database.postgres': facts, target }, ctx) {
    const db = connected(facts, ctx);
    if (!db) return;
    const limit = options(target).longRunningQueryMs;
    const active = db.sessions.filter((s) => s.state === 'active');
    ctx.details({ active: active.length, thresholdMs: limit, longest: active[0] ? active[0].durationMs : null });
    for (const s of active.filter((x) => x.durationMs >= limit)) {
      ctx.report({
        code: 'running',
        args: { pid: s.pid, app: s.applicationName || 'unnamed client', duration: s.durationMs, wait: s.waitEvent ?? '', query: s.query },
        location: { host: db.server.host, record: `session ${s.pid}` },
      });
    }
  },
});
