// Table tests for every database check: one healthy database's facts, each case changes one thing.
import { describe } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import connectionLimit from '../../src/checks/database/connection-limit.js';
import dominantQuery from '../../src/checks/database/dominant-query.js';
import duplicateIndex from '../../src/checks/database/duplicate-index.js';
import idleInTransaction from '../../src/checks/database/idle-in-transaction.js';
import longRunningQuery from '../../src/checks/database/long-running-query.js';
import missingIndex from '../../src/checks/database/missing-index.js';
import pgStatStatementsMissing from '../../src/checks/database/pg-stat-statements-missing.js';
import tableMaintenance from '../../src/checks/database/table-maintenance.js';
import unindexedForeignKey from '../../src/checks/database/unindexed-foreign-key.js';
import unusedIndex from '../../src/checks/database/unused-index.js';
import { checkTable } from '../helpers/check-tester.js';
import { breakHotLookup, db, healthy, HOT, index, NOW, type Facts } from '../helpers/database-facts.js';

const c = (x: unknown) => x as AnyCheck;

const notConfigured = (f: Facts) => { f['database.postgres'] = { configured: false }; };
const unreachable = (f: Facts) => {
  f['database.postgres'] = { configured: true, connected: false, stage: 'connect', error: 'nothing accepts connections at db.shop.test:5432 (connection refused)', server: { host: 'db.shop.test', port: 5432, database: 'shop' } };
};
const gateCases = [
  { name: 'no database configured is not applicable', mutate: notConfigured, status: 'not-applicable' as const },
  { name: 'an unreachable database is an error, never a pass', mutate: unreachable, status: 'error' as const, error: /connection refused/ },
];

describe('pg-stat-statements-missing', () => {
  checkTable(c(pgStatStatementsMissing), healthy, [
    { name: 'readable statements pass', status: 'pass' },
    ...gateCases,
    { name: 'not installed is info', mutate: (f) => { db(f).statements = { status: 'not-installed', totalMs: 0, totalCalls: 0, top: [] }; }, status: 'warn', findings: [{ code: 'not-installed', severity: 'info' }] },
    { name: 'not loaded is info', mutate: (f) => { db(f).statements.status = 'not-loaded'; }, status: 'warn', findings: ['not-loaded'] },
    { name: 'no permission is info', mutate: (f) => { db(f).statements.status = 'no-permission'; }, status: 'warn', findings: ['no-permission'] },
    { name: 'a read error is unknown', mutate: (f) => { db(f).statements = { status: 'error', message: 'canceling statement due to statement timeout', totalMs: 0, totalCalls: 0, top: [] }; }, status: 'error', error: /statement timeout/ },
  ]);
});

describe('dominant-query', () => {
  checkTable(c(dominantQuery), healthy, [
    { name: 'time spread over several statements passes', status: 'pass' },
    ...gateCases,
    {
      name: 'a fast statement taking most of the time is low',
      mutate: (f) => { const s = db(f).statements.top[0]!; s.totalMs = 900; s.timeShare = 0.9; },
      status: 'warn', findings: [{ code: 'dominant', severity: 'low', message: /90% of all database time/ }],
    },
    {
      name: 'a dominant statement that scans a large table is medium',
      mutate: (f) => { breakHotLookup(f); const s = db(f).statements.top[0]!; s.totalMs = 900; s.timeShare = 0.9; },
      status: 'fail', findings: [{ code: 'dominant-slow', severity: 'medium', message: /sequential scan of orders\): SELECT id, status FROM orders/ }],
    },
    {
      name: 'a dominant statement slow per call is medium',
      mutate: (f) => { const s = db(f).statements.top[0]!; s.totalMs = 9000; s.meanMs = 22.5; s.timeShare = 0.9; },
      status: 'fail', findings: [{ code: 'dominant-slow', message: /slow per call/ }],
    },
    {
      name: 'a scan of a small table does not make it slow',
      mutate: (f) => {
        const s = db(f).statements.top[0]!; s.totalMs = 900; s.timeShare = 0.9;
        db(f).plans[0]!.seqScans = [{ schema: 'public', table: 'settings', columns: [], planRows: 12 }];
      },
      status: 'warn', findings: ['dominant'],
    },
    {
      name: 'a one-off statement is never dominant',
      mutate: (f) => { const s = db(f).statements.top[0]!; s.calls = 3; s.timeShare = 0.95; },
      status: 'pass',
    },
    {
      name: 'one statement making most calls is info',
      mutate: (f) => { const s = db(f).statements.top[1]!; s.calls = 5000; s.callShare = 0.8; },
      status: 'warn', findings: [{ code: 'dominant-calls', severity: 'info' }],
    },
    { name: 'without pg_stat_statements it is not applicable', mutate: (f) => { db(f).statements.status = 'not-installed'; }, status: 'not-applicable' },
  ]);
});

describe('missing-index', () => {
  checkTable(c(missingIndex), healthy, [
    { name: 'indexed lookups pass', status: 'pass' },
    ...gateCases,
    {
      name: 'a scanned table and the plan that scans it name the missing index',
      mutate: breakHotLookup,
      status: 'fail',
      findings: [{ code: 'confirmed', severity: 'medium', message: /Its top query SELECT id, status FROM orders .* filters on customer_id with no index: missing index on orders \(customer_id, created_at\)\. Fix: CREATE INDEX CONCURRENTLY ON orders \(customer_id, created_at\);/ }],
    },
    {
      name: 'a range filter does not append the sort columns',
      mutate: (f) => { breakHotLookup(f); db(f).plans[0]!.seqScans[0]!.equalityOnly = false; },
      status: 'fail', findings: [{ code: 'confirmed', message: /Fix: CREATE INDEX CONCURRENTLY ON orders \(customer_id\);/ }],
    },
    {
      name: 'a table in another schema is named with it',
      mutate: (f) => {
        breakHotLookup(f);
        db(f).tables[0]!.schema = 'billing';
        db(f).plans[0]!.seqScans[0]!.schema = 'billing';
      },
      status: 'fail', findings: [{ code: 'confirmed', message: /ON billing\.orders \(customer_id, created_at\)/ }],
    },
    {
      name: 'an existing index the plan ignores is low',
      mutate: (f) => { breakHotLookup(f); db(f).indexes.push(index('orders_cust', 'orders', ['customer_id'])); },
      status: 'warn', findings: [{ code: 'index-not-used', severity: 'low', message: /index orders_cust covers the filter on customer_id/ }],
    },
    {
      // The database collector's snapshot ran beside the latency requests and missed the hot lookup: the statements
      // and plans the latency collector saw around each endpoint still name the query and its index.
      name: 'a scan explained only by what the endpoints ran during the audit is confirmed',
      mutate: (f) => {
        breakHotLookup(f);
        const plan = db(f).plans[0]!;
        db(f).statements.top = db(f).statements.top.filter((s) => s.queryId !== '11');
        db(f).plans = db(f).plans.filter((p) => p.queryId !== '11');
        (f as Facts & { 'latency.endpoints': unknown })['latency.endpoints'] = {
          options: {}, plans: [plan],
          endpoints: [
            { name: 'orders', statements: { requests: 20, totalCalls: 30, totalMs: 90, statements: [{ queryId: '11', query: HOT, calls: 20, totalMs: 60, rows: 200, blocksRead: 0 }] } },
            { name: 'history', statements: { requests: 20, totalCalls: 20, totalMs: 60, statements: [{ queryId: '11', query: HOT, calls: 20, totalMs: 60, rows: 200, blocksRead: 0 }] } },
          ],
        };
      },
      status: 'fail',
      // Summed over endpoints: 40 calls, 120 ms, a mean of 3 ms.
      findings: [{ code: 'confirmed', message: /Its top query SELECT id, status FROM orders .* \(40 calls, mean 3\.00 ms\) filters on customer_id with no index/ }],
    },
    {
      name: 'scans without any explaining statement are suspected',
      mutate: (f) => { breakHotLookup(f); db(f).plans = []; },
      status: 'fail', findings: [{ code: 'suspected', message: /Table orders \(200,000 rows\) was scanned whole 400 times, 80,000,000 rows read/ }],
    },
    {
      name: 'without pg_stat_statements the reason is given',
      mutate: (f) => { breakHotLookup(f); db(f).statements = { status: 'not-installed', totalMs: 0, totalCalls: 0, top: [] }; db(f).plans = []; },
      status: 'fail', findings: [{ code: 'suspected', message: /pg_stat_statements is not readable/ }],
    },
    {
      name: 'a small table scanned often is fine',
      mutate: (f) => { db(f).tables[3] = { ...db(f).tables[3]!, seqScan: 90_000, seqRowsRead: 1_080_000 }; },
      status: 'pass',
    },
    {
      name: 'a few scans of a large table (a nightly job) are fine',
      mutate: (f) => { db(f).tables[0] = { ...db(f).tables[0]!, seqScan: 3, seqRowsRead: 600_000 }; },
      status: 'pass',
    },
    {
      name: 'the row threshold comes from the config',
      mutate: (f) => { breakHotLookup(f); f.target.database!.minTableRows = 1_000_000; },
      status: 'pass',
    },
    { name: 'track_counts off is unknown', mutate: (f) => { db(f).settings.trackCounts = false; }, status: 'error', error: /track_counts is off/ },
  ]);
});

describe('unindexed-foreign-key', () => {
  checkTable(c(unindexedForeignKey), healthy, [
    { name: 'indexed foreign keys pass', status: 'pass' },
    ...gateCases,
    {
      name: 'a large child table without the index is medium',
      mutate: (f) => { db(f).indexes = db(f).indexes.filter((i) => i.name !== 'order_items_order_id_idx'); },
      status: 'fail', findings: [{ code: 'unindexed-large', severity: 'medium', message: /order_items_order_id_fkey on order_items \(order_id\) → orders has no index.*CREATE INDEX CONCURRENTLY ON order_items \(order_id\);/ }],
    },
    {
      name: 'a small child table is low',
      mutate: (f) => { db(f).indexes = db(f).indexes.filter((i) => i.name !== 'order_items_order_id_idx'); db(f).foreignKeys[1]!.tableRows = 40; },
      status: 'warn', findings: [{ code: 'unindexed', severity: 'low' }],
    },
    {
      name: 'the FK column second in an index does not count',
      mutate: (f) => { db(f).indexes = db(f).indexes.filter((i) => i.name !== 'order_items_order_id_idx'); db(f).indexes.push(index('x', 'order_items', ['product_id', 'order_id'])); },
      status: 'fail', findings: ['unindexed-large'],
    },
    {
      name: 'a multi-column key is covered in any order of the leading columns',
      mutate: (f) => {
        db(f).foreignKeys.push({ schema: 'public', table: 'order_items', name: 'two_col_fkey', columns: ['order_id', 'line'], refSchema: 'public', refTable: 'lines', tableRows: 300_000 });
        db(f).indexes.push(index('two', 'order_items', ['line', 'order_id', 'qty']));
      },
      status: 'pass',
    },
    {
      name: 'a partial index does not cover a key',
      mutate: (f) => { db(f).indexes.find((i) => i.name === 'order_items_order_id_idx')!.partial = true; },
      status: 'fail', findings: ['unindexed-large'],
    },
  ]);
});

describe('duplicate-index', () => {
  checkTable(c(duplicateIndex), healthy, [
    { name: 'distinct indexes pass', status: 'pass' },
    ...gateCases,
    {
      name: 'a prefix of another index is covered',
      mutate: (f) => { db(f).indexes.push(index('orders_customer_only', 'orders', ['customer_id'])); },
      status: 'warn', findings: [{ code: 'covered', severity: 'info', message: /orders_customer_only on orders \(customer_id, 977 kB\) is covered by orders_customer_id_idx \(customer_id, created_at\)/ }],
    },
    {
      name: 'two identical indexes report one of them',
      mutate: (f) => { db(f).indexes.push(index('order_items_order_id_idx1', 'order_items', ['order_id'])); },
      status: 'warn', findings: [{ code: 'covered', message: /order_items_order_id_idx1 .* covered by order_items_order_id_idx / }],
    },
    {
      name: 'a unique index is not covered by a longer one',
      mutate: (f) => { db(f).indexes.push(index('orders_customer_uniq', 'orders', ['customer_id'], { unique: true, constraint: true })); },
      status: 'pass',
    },
    {
      name: 'a different column order is not a duplicate',
      mutate: (f) => { db(f).indexes.push(index('orders_created', 'orders', ['created_at', 'customer_id'])); },
      status: 'pass',
    },
    {
      name: 'a different method is not a duplicate',
      mutate: (f) => { db(f).indexes.push(index('orders_cust_hash', 'orders', ['customer_id'], { method: 'hash' })); },
      status: 'pass',
    },
  ]);
});

describe('unused-index', () => {
  checkTable(c(unusedIndex), healthy, [
    { name: 'used indexes pass', status: 'pass' },
    ...gateCases,
    {
      name: 'an index never scanned is info',
      mutate: (f) => { db(f).indexes[1]!.scans = 0; },
      status: 'warn', findings: [{ code: 'unused', severity: 'info', message: /orders_customer_id_idx on orders \(customer_id, created_at, 977 kB\) has not been used since the statistics were last reset/ }],
    },
    {
      name: 'the reset date is named when known',
      mutate: (f) => { db(f).indexes[1]!.scans = 0; db(f).statsReset = '2026-11-01T00:00:00.000Z'; },
      status: 'warn', findings: [{ code: 'unused', message: /reset on 2026-11-01/ }],
    },
    { name: 'an unscanned primary key is never unused', mutate: (f) => { db(f).indexes[0]!.scans = 0; }, status: 'pass' },
    {
      name: 'an invalid index is low',
      mutate: (f) => { db(f).indexes[1]!.valid = false; },
      status: 'warn', findings: [{ code: 'invalid', severity: 'low' }],
    },
  ]);
});

describe('connection-limit', () => {
  checkTable(c(connectionLimit), healthy, [
    { name: 'plenty of headroom passes', status: 'pass' },
    ...gateCases,
    {
      name: 'over 75% of usable slots is medium',
      mutate: (f) => { db(f).connections.total = 79; },
      status: 'fail', findings: [{ code: 'busy', severity: 'medium', message: /80 of 97 usable connections are in use \(82%; max_connections 100, 3 reserved\)/ }],
    },
    {
      name: 'over 90% is high',
      mutate: (f) => { db(f).connections.total = 90; },
      status: 'fail', findings: [{ code: 'near-limit', severity: 'high' }],
    },
  ]);
});

describe('idle-in-transaction', () => {
  checkTable(c(idleInTransaction), healthy, [
    { name: 'a short idle transaction passes', status: 'pass' },
    ...gateCases,
    {
      name: 'idle in a transaction past the threshold is medium',
      mutate: (f) => { db(f).sessions[1]!.durationMs = 15 * 60_000; },
      status: 'fail', findings: [{ code: 'idle', severity: 'medium', message: /Session 102 \(worker\) has been idle in a transaction for 15\.0 min after: UPDATE orders SET status = \$1/ }],
    },
    {
      name: 'an aborted idle transaction counts too',
      mutate: (f) => { db(f).sessions[1]!.durationMs = 15 * 60_000; db(f).sessions[1]!.state = 'idle in transaction (aborted)'; },
      status: 'fail', findings: ['idle'],
    },
    { name: 'the threshold comes from the config', mutate: (f) => { f.target.database!.idleInTransactionMs = 500; }, status: 'fail', findings: ['idle'] },
  ]);
});

describe('long-running-query', () => {
  checkTable(c(longRunningQuery), healthy, [
    { name: 'short queries pass', status: 'pass' },
    ...gateCases,
    {
      name: 'a query running for minutes is medium',
      mutate: (f) => { db(f).sessions[0]!.durationMs = 7 * 60_000; db(f).sessions[0]!.waitEvent = 'Lock:relation'; },
      status: 'fail', findings: [{ code: 'running', severity: 'medium', message: /Session 101 \(api\) has been running one query for 7\.0 min \(waiting on Lock:relation\)/ }],
    },
    { name: 'an idle transaction is not a running query', mutate: (f) => { db(f).sessions[1]!.durationMs = 60 * 60_000; }, status: 'pass' },
    { name: 'the threshold comes from the config', mutate: (f) => { f.target.database!.longRunningQueryMs = 1000; }, status: 'fail', findings: ['running'] },
  ]);
});

describe('table-maintenance', () => {
  checkTable(c(tableMaintenance), healthy, [
    { name: 'maintained tables pass', status: 'pass' },
    ...gateCases,
    {
      name: 'a large table never analyzed is medium, never vacuumed low',
      mutate: (f) => { Object.assign(db(f).tables[0]!, { lastAutoanalyze: null, lastAutovacuum: null, deadRows: 4000 }); },
      status: 'fail',
      findings: [
        { code: 'never-analyzed', severity: 'medium', message: /Table orders \(200,000 rows\) has never been analyzed/ },
        { code: 'never-vacuumed', severity: 'low', message: /200,000 rows, 4,000 dead/ },
      ],
    },
    { name: 'a manual analyze counts', mutate: (f) => { Object.assign(db(f).tables[0]!, { lastAutoanalyze: null, lastAnalyze: NOW }); }, status: 'pass' },
    { name: 'a tiny table is left alone', mutate: (f) => { Object.assign(db(f).tables[3]!, { lastAutoanalyze: null, lastAutovacuum: null }); }, status: 'pass' },
    { name: 'autovacuum off on the server is medium', mutate: (f) => { db(f).settings.autovacuum = false; }, status: 'fail', findings: [{ code: 'autovacuum-off', severity: 'medium' }] },
    { name: 'autovacuum off for a table is medium', mutate: (f) => { db(f).tables[1]!.autovacuumDisabled = true; }, status: 'fail', findings: [{ code: 'autovacuum-disabled', message: /table customers/ }] },
    { name: 'track_counts off is unknown', mutate: (f) => { db(f).settings.trackCounts = false; }, status: 'error', error: /track_counts/ },
  ]);
});
