// A foreign key whose referencing columns have no index: every join on it and every delete or key update of the
// referenced row reads the whole referencing table.
import { connected, defineCheck } from '../define.js';
import { coveringIndex, options, qualified, REFERENCES } from '../../derive/database.js';

export default defineCheck({
  id: 'unindexed-foreign-key',
  area: 'database',
  severity: 'low',
  impact: 'performance',
  title: 'Foreign keys have an index on their referencing columns',
  description:
    'PostgreSQL does not index the referencing side of a foreign key by itself: joins from the parent, and every delete of a parent row (which must look for children), read the whole child table, so deleting an account or an order gets slower as the data grows and can lock out other writes.',
  remediation: 'Create the index on the referencing columns without locking writes: CREATE INDEX CONCURRENTLY ON child (fk_columns);',
  references: [REFERENCES.indexes, 'https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK'],
  requires: ['database.postgres'],
  messages: {
    'unindexed-large': {
      severity: 'medium',
      message: 'Foreign key {constraint} on {table} ({columns}) → {refTable} has no index, and {table} has {rows|count} rows. Fix: {fix}',
    },
    unindexed: { message: 'Foreign key {constraint} on {table} ({columns}) → {refTable} has no index ({rows|count} rows today). Fix: {fix}' },
  },
  run({ 'database.postgres': facts, target }, ctx) {
    const db = connected(facts, ctx);
    if (!db) return;
    const min = options(target).minTableRows;
    let unindexed = 0;
    for (const fk of db.foreignKeys) {
      if (coveringIndex(db.indexes, fk.schema, fk.table, fk.columns)) continue;
      unindexed++;
      const table = qualified(fk.schema, fk.table);
      ctx.report({
        code: fk.tableRows >= min ? 'unindexed-large' : 'unindexed',
        args: {
          constraint: fk.name, table, columns: fk.columns.join(', '), refTable: qualified(fk.refSchema, fk.refTable), rows: fk.tableRows,
          fix: `CREATE INDEX CONCURRENTLY ON ${table} (${fk.columns.join(', ')});`,
        },
        location: { host: db.server.host, record: `constraint ${fk.schema}.${fk.table}.${fk.name}` },
      });
    }
    ctx.details({ foreignKeys: db.foreignKeys.length, unindexed });
  },
});
