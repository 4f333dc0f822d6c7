// The database collector's pure parts: URL parsing that never echoes the URL, error scrubbing, literal scrubbing of
// live query texts, which statements may be explained, and reading plan filters into index columns.
import { describe, expect, it } from 'vitest';
import { explainError, parseDatabaseUrl, scrubMessage } from '../../src/collect/database/connect.js';
import { filterColumnsDetail, parameterCount, sortColumns, summarizePlan, unsafeToExplain } from '../../src/collect/database/plan.js';
import { scrubLiterals } from '../../src/collect/database/scrub.js';
import { validateConfig } from '../../src/config/load.js';
import { targetFromConfig } from '../../src/config/target.js';
import { DATABASE_URL } from '../../src/facts/database.js';

// Assembled at run time: the repository holds no credential-looking string.
const PW = ['s3cr', 'et', '/p@ss'].join('');
const URL_WITH_PW = `postgres://app_ro:${encodeURIComponent(PW)}@db.shop.test:6543/shop?sslmode=verify-full`;

describe('parseDatabaseUrl', () => {
  it('reads every part, decoding the password', () => {
    expect(parseDatabaseUrl(URL_WITH_PW)).toEqual({ host: 'db.shop.test', port: 6543, database: 'shop', user: 'app_ro', password: PW, sslmode: 'verify-full' });
  });

  it('defaults the port, the database and sslmode like libpq', () => {
    expect(parseDatabaseUrl('postgresql://app@[::1]')).toMatchObject({ host: '::1', port: 5432, database: 'app', sslmode: 'prefer' });
    expect(parseDatabaseUrl('postgres://app@localhost/shop?host=/var/run/postgresql')).toMatchObject({ host: '/var/run/postgresql' });
  });

  it.each([
    ['mysql://app:x@h/db', /postgres:\/\//],
    ['postgres://:x@h/db', /names no user/],
    ['postgres://app:x@h:99999/db', /not a URL|out of range/],
    ['postgres://app:x@h/db?sslmode=sometimes', /sslmode must be one of/],
    ['postgres://app:x@h/db?options=-c%20x=1', /unsupported parameter "options"/],
    ['postgres://app:x@h1,h2/db', /several hosts|not a URL/],
    ['not a url at all', /not a URL/],
  ])('rejects %s with a message that does not quote it', (url, why) => {
    let message = '';
    try {
      parseDatabaseUrl(url);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(why);
    expect(message).not.toContain(':x@');
  });
});

describe('error scrubbing', () => {
  it('removes URLs, passwords and the user from driver messages', () => {
    const msg = scrubMessage(`connect to ${URL_WITH_PW} failed for user "app_ro" with ${PW}`, [PW, 'app_ro']);
    expect(msg).not.toContain(PW);
    expect(msg).not.toContain(encodeURIComponent(PW));
    expect(msg).not.toContain('app_ro');
    expect(msg).toContain('[database url]');
  });

  it('explains server codes without quoting the role', () => {
    const e = explainError({ code: '28P01', message: 'password authentication failed for user "app_ro"' }, { user: 'app_ro', password: PW, database: 'shop' }, 'db.shop.test:5432');
    expect(e.stage).toBe('auth');
    expect(e.message).toBe('authentication failed at db.shop.test:5432: wrong password for the configured user');
    const other = explainError({ code: '28000', message: 'no pg_hba.conf entry for host "10.0.0.1", user "app_ro", database "shop"' }, { user: 'app_ro', password: PW, database: 'shop' }, 'h:1');
    expect(other.message).not.toContain('app_ro');
  });
});

describe('scrubLiterals', () => {
  it.each([
    ["SELECT * FROM users WHERE email = 'ann@example.test' AND id = 42", 'SELECT * FROM users WHERE email = $1 AND id = $2'],
    ["UPDATE t SET token = E'ab\\'cd', n = -1.5e3 WHERE k = 'it''s'", 'UPDATE t SET token = $1, n = $2 WHERE k = $3'],
    ['SELECT $$secret body$$, $tag$x$tag$ FROM t2', 'SELECT $1, $2 FROM t2'],
    ['SELECT pg_sleep(30)', 'SELECT pg_sleep($1)'],
    ['SELECT * FROM t WHERE a = $1 AND b = 7', 'SELECT * FROM t WHERE a = $1 AND b = $2'],
  ])('%s', (sql, want) => {
    expect(scrubLiterals(sql)).toBe(want);
  });

  it('cuts an unterminated string rather than leak its tail', () => {
    expect(scrubLiterals("SELECT * FROM t WHERE token = 'abcdef-trunc")).toBe('SELECT * FROM t WHERE token = …');
  });
});

describe('unsafeToExplain', () => {
  it.each([
    'SELECT id FROM orders WHERE customer_id = $1',
    '/* app */ SELECT 1',
    'WITH recent AS (SELECT * FROM orders WHERE created_at > $1) SELECT count(*) FROM recent',
    'SELECT updated_at, created_by FROM t',
  ])('explains %s', (sql) => {
    expect(unsafeToExplain(sql)).toBeUndefined();
  });

  it.each([
    ['UPDATE orders SET status = $1 WHERE id = $2', /not a SELECT/],
    ['WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d', /writing or utility/],
    ['SELECT * INTO copy FROM orders', /SELECT INTO/],
    ['SELECT * FROM orders WHERE id = $1 FOR UPDATE', /locking/],
    ['SELECT 1; DROP TABLE orders', /several statements/],
    ['VACUUM orders', /not a SELECT/],
  ])('refuses %s', (sql, why) => {
    expect(unsafeToExplain(sql)).toMatch(why);
  });

  it('counts parameters', () => {
    expect(parameterCount("SELECT $1, '$9' FROM t WHERE a = $12")).toBe(12);
  });
});

describe('plans', () => {
  const plan = [{
    Plan: {
      'Node Type': 'Limit', 'Total Cost': 2527.8,
      Plans: [{
        'Node Type': 'Sort', 'Sort Key': ['orders.created_at DESC'],
        Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'orders', Schema: 'public', Filter: '(orders.customer_id = $1)', 'Plan Rows': 600 }],
      }, { 'Node Type': 'Index Scan', 'Index Name': 'customers_pkey', 'Relation Name': 'customers' }],
    },
  }];

  it('keeps sequential scans, their filter and sort, and the indexes used', () => {
    expect(summarizePlan(plan)).toEqual({
      totalCost: 2527.8,
      seqScans: [{ schema: 'public', table: 'orders', filter: '(orders.customer_id = $1)', planRows: 600, sortKeys: ['orders.created_at DESC'] }],
      indexes: ['customers_pkey'],
    });
  });

  const cols = new Set(['id', 'customer_id', 'status', 'created_at', '"Order"']);
  it.each([
    ['(orders.customer_id = $1)', ['customer_id'], true],
    ["((status)::text = 'paid'::text)", ['status'], true],
    ['((created_at > $2) AND (customer_id = $1))', ['customer_id', 'created_at'], false],
    ['(o."Order" = $1)', ['"Order"'], true],
    ['(lower(email) = $1)', [], false],
    ['((customer_id = $1) OR (status = $2))', ['customer_id', 'status'], false],
  ])('reads %s', (filter, want, eqOnly) => {
    expect(filterColumnsDetail(filter, cols)).toEqual({ columns: want, equalityOnly: eqOnly });
  });

  it('reads sort keys that are plain columns, up to the first that is not', () => {
    expect(sortColumns(['orders.created_at DESC', 'id'], cols)).toEqual(['created_at', 'id']);
    expect(sortColumns(['lower(status)', 'id'], cols)).toEqual([]);
  });
});

describe('config', () => {
  it('keeps the URL out of everything the target serializes to', () => {
    const config = validateConfig({ database: { url: URL_WITH_PW, minTableRows: 5000 } });
    const target = targetFromConfig(config, [], new Date('2026-11-20T00:00:00Z'));
    expect(target.database?.[DATABASE_URL]).toBe(URL_WITH_PW);
    expect(target.database?.minTableRows).toBe(5000);
    const json = JSON.stringify(target);
    expect(json).not.toContain(encodeURIComponent(PW));
    expect(json).not.toContain('app_ro');
    expect(JSON.parse(json).database).toMatchObject({ minTableRows: 5000, longRunningQueryMs: 300000 });
  });

  it('rejects a non-PostgreSQL URL without quoting it', () => {
    let message = '';
    try {
      validateConfig({ database: { url: `mysql://app_ro:${encodeURIComponent(PW)}@h/db` } });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/database\.url: expected a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(message).not.toContain('app_ro');
  });
});
