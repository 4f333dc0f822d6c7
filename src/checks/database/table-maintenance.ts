// Tables that were never analyzed (the planner guesses their size and picks bad plans) or never vacuumed (dead rows
// and no visibility map), and autovacuum switched off.
import { connected, defineCheck } from '../define.js';
import { qualified, REFERENCES, statsResetDay } from '../../derive/database.js';

/** Smaller tables plan fine on guesses and are cheap to scan. */
const MIN_ROWS = 1000;

export default defineCheck({
  id: 'table-maintenance',
  area: 'database',
  severity: 'low',
  impact: 'performance',
  title: 'Tables are vacuumed and analyzed',
  description:
    'Without ANALYZE the planner guesses how many rows a table holds and can choose a full scan or a bad join for every request; without VACUUM dead rows pile up, index-only scans stop working and the table bloats.',
  remediation: 'Run VACUUM (ANALYZE) on the table once, and keep autovacuum on (it is on by default) so it stays maintained as data changes.',
  references: [REFERENCES.vacuum],
  requires: ['database.postgres'],
  messages: {
    'never-analyzed': {
      severity: 'medium',
      message: 'Table {table} ({rows|count} rows) has never been analyzed since the statistics were {statsReset?reset on {statsReset}}{statsReset!last reset}: the planner has no statistics for it.',
    },
    'never-vacuumed': { message: 'Table {table} ({rows|count} rows, {dead|count} dead) has never been vacuumed since the statistics were {statsReset?reset on {statsReset}}{statsReset!last reset}.' },
    'autovacuum-off': {
      severity: 'medium',
      message: 'autovacuum is off on the server: no table is vacuumed or analyzed unless someone runs it by hand.',
      remediation: 'Set autovacuum = on (postgresql.conf or your provider\'s parameters) and reload.',
    },
    'autovacuum-disabled': {
      severity: 'medium',
      message: 'autovacuum is switched off for table {table} ({rows|count} rows) (autovacuum_enabled=false).',
      remediation: 'ALTER TABLE name RESET (autovacuum_enabled); unless a documented job vacuums it.',
    },
  },
  run({ 'database.postgres': facts }, ctx) {
    const db = connected(facts, ctx);
    if (!db) return;
    if (!db.settings.trackCounts) {
      ctx.unknown('track_counts is off on the server: vacuum and analyze times are not recorded');
      return;
    }
    const location = (schema: string, table: string) => ({ host: db.server.host, record: `table ${schema}.${table}` });
    if (!db.settings.autovacuum) ctx.report({ code: 'autovacuum-off', location: { host: db.server.host, record: 'autovacuum' } });
    let neverAnalyzed = 0;
    let neverVacuumed = 0;
    for (const t of db.tables) {
      const args = { table: qualified(t.schema, t.table), rows: t.liveRows, dead: t.deadRows, statsReset: statsResetDay(db) };
      if (t.autovacuumDisabled) ctx.report({ code: 'autovacuum-disabled', args, location: location(t.schema, t.table) });
      if (t.liveRows < MIN_ROWS) continue;
      if (!t.lastAnalyze && !t.lastAutoanalyze) {
        neverAnalyzed++;
        ctx.report({ code: 'never-analyzed', args, location: location(t.schema, t.table) });
      }
      if (!t.lastVacuum && !t.lastAutovacuum) {
        neverVacuumed++;
        ctx.report({ code: 'never-vacuumed', args, location: location(t.schema, t.table) });
      }
    }
    ctx.details({ tables: db.tables.length, neverAnalyzed, neverVacuumed, autovacuum: db.settings.autovacuum });
  },
});
