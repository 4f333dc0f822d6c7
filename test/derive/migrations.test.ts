// Migration reading: SQL split into statements with lines, and the operations that lock a live database.
import { describe, expect, it } from 'vitest';
import { migrationHits, splitSql } from '../../src/derive/migrations.js';

describe('migrations', () => {
  it('splits SQL with comments, strings, dollar quotes and counts lines', () => {
    const sql = "-- c;\nSELECT 'a;b';\n/* x;\n y */ CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\nUPDATE t SET a = 1;";
    expect(splitSql(sql)).toEqual([
      { text: "SELECT 'a;b'", line: 2 },
      { text: 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql', line: 4 },
      { text: 'UPDATE t SET a = 1', line: 6 },
    ]);
    expect(migrationHits({ path: 'm.sql', text: sql, dialect: 'sql', layout: 'plain' }).map((h) => [h.problem, h.line])).toEqual([['backfill-in-migration', 6]]);
  });
});
