// An index whose key columns are the leading columns of another index on the same table does no work the other
// cannot do: it only slows every write and takes space.
import type { IndexStat } from '../../facts/database.js';
import { connected, defineCheck } from '../define.js';
import { qualified, REFERENCES } from '../../derive/database.js';

/** `a` is redundant next to `b`: same table and method, a's key columns lead b's, and dropping a loses no rule. */
function coveredBy(a: IndexStat, b: IndexStat): boolean {
  if (a === b || a.schema !== b.schema || a.table !== b.table || a.method !== b.method) return false;
  if (!a.valid || !b.valid || a.partial || b.partial || a.method !== 'btree') return false;
  if (a.columns.length > b.columns.length || a.columns.some((c, i) => b.columns[i] !== c)) return false;
  // A unique index enforces a rule a longer index does not; only an identical unique twin replaces it.
  if (a.unique && !(b.unique && b.columns.length === a.columns.length)) return false;
  if (a.constraint && !b.constraint) return false;
  // Two identical indexes: keep the one backing a constraint, else the first by name.
  if (a.columns.length === b.columns.length && a.constraint === b.constraint && a.unique === b.unique) return a.name > b.name;
  return true;
}

export default defineCheck({
  id: 'duplicate-index',
  area: 'database',
  severity: 'info',
  impact: 'performance',
  title: 'No index duplicates another',
  description: 'A duplicate index slows down every insert and update of its table and takes disk and memory, for no faster read.',
  remediation: 'Drop the redundant index without blocking the table: DROP INDEX CONCURRENTLY name; (check first that no query hint or tool names it).',
  references: [REFERENCES.indexes, REFERENCES.pghero],
  requires: ['database.postgres'],
  messages: {
    covered: { message: 'Index {index} on {table} ({columns}, {size|bytes}) is covered by {by} ({byColumns}): drop it with DROP INDEX CONCURRENTLY {index};' },
  },
  run({ 'database.postgres': facts }, ctx) {
    const db = connected(facts, ctx);
    if (!db) return;
    let duplicates = 0;
    for (const a of db.indexes) {
      const b = db.indexes.find((x) => coveredBy(a, x));
      if (!b) continue;
      duplicates++;
      ctx.report({
        code: 'covered',
        args: { index: qualified(a.schema, a.name), table: qualified(a.schema, a.table), columns: a.columns.join(', '), size: a.sizeBytes, by: b.name, byColumns: b.columns.join(', ') },
        location: { host: db.server.host, record: `index ${a.schema}.${a.name}` },
      });
    }
    ctx.details({ indexes: db.indexes.length, duplicates });
  },
});
