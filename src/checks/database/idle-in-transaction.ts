// Sessions that opened a transaction and went quiet: they hold locks and a connection, and stop vacuum cleaning up.
import { connected, defineCheck } from '../define.js';
import { options, REFERENCES } from '../../derive/database.js';

export default defineCheck({
  id: 'idle-in-transaction',
  area: 'database',
  severity: 'medium',
  impact: 'availability',
  title: 'No session sits idle inside an open transaction',
  description:
    'A session idle in a transaction keeps its locks and its connection slot, and holds back vacuum for the whole database: other requests wait on its locks, and tables bloat until the app slows down.',
  remediation:
    'Find the code path that opens a transaction and waits (an HTTP call or a user prompt inside a transaction, a missing commit on an error path), and set idle_in_transaction_session_timeout (e.g. 60s) on the app\'s role as a safety net.',
  references: [REFERENCES.activity, 'https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-IDLE-IN-TRANSACTION-SESSION-TIMEOUT'],
  requires: ['database.postgres'],
  messages: {
    idle: { message: 'Session {pid} ({app}) has been idle in a transaction for {duration|duration} after: {query}' },
  },
  run({ 'database.postgres': facts, target }, ctx) {
    const db = connected(facts, ctx);
    if (!db) return;
    const limit = options(target).idleInTransactionMs;
    const idle = db.sessions.filter((s) => s.state.startsWith('idle in transaction'));
    ctx.details({ idleInTransaction: idle.length, thresholdMs: limit });
    for (const s of idle.filter((x) => x.durationMs >= limit)) {
      ctx.report({
        code: 'idle',
        args: { pid: s.pid, app: s.applicationName || 'unnamed client', duration: s.durationMs, query: s.query },
        location: { host: db.server.host, record: `session ${s.pid}` },
      });
    }
  },
});
