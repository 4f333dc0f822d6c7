// Indexes no query has used since the statistics were reset, and invalid ones left by a failed concurrent build:
// both cost every write and help no read.
import { connected, defineCheck } from '../define.js';
import { qualified, REFERENCES, statsResetDay } from '../../derive/database.js';

export default defineCheck({
  id: 'unused-index',
  area: 'database',
  severity: 'info',
  impact: 'performance',
  title: 'Every index is used',
  description: 'An index no query uses still has to be updated on every write to its table: inserts and updates get slower and the database larger, for nothing.',
  remediation:
    'Counters cover this server only, since the last statistics reset: check replicas and a full business cycle (month-end jobs) first, then DROP INDEX CONCURRENTLY name;',
  references: [REFERENCES.indexes, REFERENCES.stats, REFERENCES.pghero],
  requires: ['database.postgres'],
  messages: {
    unused: { message: 'Index {index} on {table} ({columns}, {size|bytes}) has not been used since the statistics were {statsReset?reset on {statsReset}}{statsReset!last reset}.' },
    invalid: {
      severity: 'low',
      message: 'Index {index} on {table} is invalid (a CREATE INDEX CONCURRENTLY that failed): it is kept up to date on every write but never used.',
      remediation: 'Drop it (DROP INDEX CONCURRENTLY name;) and create it again, or REINDEX INDEX CONCURRENTLY name;',
    },
  },
  run({ 'database.postgres': facts }, ctx) {
    const db = connected(facts, ctx);
    if (!db) return;
    let unused = 0;
    for (const i of db.indexes) {
      const args = { index: qualified(i.schema, i.name), table: qualified(i.schema, i.table), columns: i.columns.join(', '), size: i.sizeBytes, statsReset: statsResetDay(db) };
      const location = { host: db.server.host, record: `index ${i.schema}.${i.name}` };
      if (!i.valid) {
        ctx.report({ code: 'invalid', args, location });
      } else if (i.scans === 0 && !i.unique && !i.primary && !i.constraint) {
        unused++;
        ctx.report({ code: 'unused', args, location });
      }
    }
    ctx.details({ indexes: db.indexes.length, unused, statsReset: db.statsReset });
  },
});
