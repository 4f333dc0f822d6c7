// Without pg_stat_statements nobody can tell which queries cost the most: every later guess about latency is blind.
import { connected, defineCheck } from '../define.js';
import { REFERENCES, where } from '../../derive/database.js';

const ENABLE =
  'Add pg_stat_statements to shared_preload_libraries (postgresql.conf, or your provider\'s parameter group / extension settings), restart, then run CREATE EXTENSION pg_stat_statements; in this database. Managed providers (RDS, Cloud SQL, Supabase, Neon, Heroku) load it already or offer a switch.';

export default defineCheck({
  id: 'pg-stat-statements-missing',
  area: 'database',
  severity: 'info',
  impact: 'performance',
  title: 'pg_stat_statements records which queries cost the most',
  description:
    'Nothing records which queries run most often or take the most time: when the database slows the app down, nobody can say which query to fix, and the slow-query and missing-index checks cannot confirm what they see.',
  remediation: ENABLE,
  references: [REFERENCES.pgss, REFERENCES.pghero],
  requires: ['database.postgres'],
  messages: {
    'not-installed': { message: 'pg_stat_statements is not installed in {database}: the cost of each query is unknown.' },
    'not-loaded': {
      message: 'pg_stat_statements is installed in {database} but not loaded (missing from shared_preload_libraries): it records nothing.',
      remediation: 'Add pg_stat_statements to shared_preload_libraries and restart the server (or switch it on in your provider\'s settings).',
    },
    'no-permission': {
      message: 'The audit role cannot read other roles\' statements in pg_stat_statements on {database}.',
      remediation: 'GRANT pg_read_all_stats TO the audit role (a read-only role made for launch-ready), then re-run.',
    },
  },
  run({ 'database.postgres': facts }, ctx) {
    const db = connected(facts, ctx);
    if (!db) return;
    const s = db.statements;
    ctx.details({ status: s.status, statements: s.top.length, totalCalls: s.totalCalls });
    const args = { database: where(db) };
    const location = { host: db.server.host, record: `database ${db.server.database}` };
    if (s.status === 'error') ctx.unknown(`cannot read pg_stat_statements: ${s.message ?? 'unknown error'}`);
    else if (s.status !== 'ok') ctx.report({ code: s.status, args, location });
  },
});
