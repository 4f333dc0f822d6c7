// Database fact builders: one healthy shop database, and the change that breaks its hot lookup.
import { DEFAULT_DATABASE_OPTIONS, type ConnectedDatabaseFacts, type IndexStat, type TableStat } from '../../src/facts/database.js';
import type { FactMap } from '../../src/facts/index.js';

export type Facts = Pick<FactMap, 'target' | 'database.postgres'>;
export const NOW = '2026-11-20T10:00:00.000Z';

export function table(name: string, rows: number, extra: Partial<TableStat> = {}): TableStat {
  return {
    schema: 'public', table: name, liveRows: rows, deadRows: 0, seqScan: 2, seqRowsRead: 100, idxScan: 50_000, sizeBytes: rows * 100,
    lastVacuum: null, lastAutovacuum: '2026-11-19T03:00:00.000Z', lastAnalyze: null, lastAutoanalyze: '2026-11-19T03:00:00.000Z',
    autovacuumDisabled: false, ...extra,
  };
}

export function index(name: string, tableName: string, columns: string[], extra: Partial<IndexStat> = {}): IndexStat {
  return {
    schema: 'public', table: tableName, name, columns, definition: `CREATE INDEX ${name} ON public.${tableName} USING btree (${columns.join(', ')})`,
    method: 'btree', unique: false, primary: false, constraint: false, partial: false, valid: true, scans: 1200, sizeBytes: 1_000_000, ...extra,
  };
}

export const HOT = 'SELECT id, status FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2';

/** A healthy shop: the hot lookup uses its index, foreign keys are indexed, tables are maintained. */
export function healthy(): Facts {
  const db: ConnectedDatabaseFacts = {
    configured: true, connected: true,
    server: { host: 'db.shop.test', port: 5432, database: 'shop', version: 'PostgreSQL 16.4', versionNum: 160004 },
    collectedAt: NOW, statsReset: null,
    settings: { autovacuum: true, trackCounts: true, statementTimeout: '5s' },
    statements: {
      status: 'ok', totalMs: 1000, totalCalls: 1000,
      top: [
        { queryId: '11', query: HOT, calls: 400, totalMs: 400, meanMs: 1, rows: 4000, timeShare: 0.4, callShare: 0.4 },
        { queryId: '22', query: 'SELECT email FROM customers WHERE id = $1', calls: 400, totalMs: 300, meanMs: 0.75, rows: 400, timeShare: 0.3, callShare: 0.4 },
        { queryId: '33', query: 'SELECT * FROM order_items WHERE order_id = $1', calls: 200, totalMs: 300, meanMs: 1.5, rows: 800, timeShare: 0.3, callShare: 0.2 },
      ],
    },
    plans: [
      { queryId: '11', status: 'ok', totalCost: 12, seqScans: [], indexes: ['orders_customer_id_idx'] },
      { queryId: '22', status: 'ok', totalCost: 8, seqScans: [], indexes: ['customers_pkey'] },
      { queryId: '33', status: 'ok', totalCost: 9, seqScans: [], indexes: ['order_items_order_id_idx'] },
    ],
    tables: [table('orders', 200_000), table('customers', 20_000), table('order_items', 300_000), table('settings', 12)],
    indexes: [
      index('orders_pkey', 'orders', ['id'], { unique: true, primary: true, constraint: true }),
      index('orders_customer_id_idx', 'orders', ['customer_id', 'created_at']),
      index('customers_pkey', 'customers', ['id'], { unique: true, primary: true, constraint: true }),
      index('order_items_pkey', 'order_items', ['id'], { unique: true, primary: true, constraint: true }),
      index('order_items_order_id_idx', 'order_items', ['order_id']),
    ],
    foreignKeys: [
      { schema: 'public', table: 'orders', name: 'orders_customer_id_fkey', columns: ['customer_id'], refSchema: 'public', refTable: 'customers', tableRows: 200_000 },
      { schema: 'public', table: 'order_items', name: 'order_items_order_id_fkey', columns: ['order_id'], refSchema: 'public', refTable: 'orders', tableRows: 300_000 },
    ],
    connections: { maxConnections: 100, reserved: 3, total: 20, byState: { idle: 17, active: 2, 'idle in transaction': 1 } },
    sessions: [
      { pid: 101, state: 'active', durationMs: 1200, query: 'SELECT email FROM customers WHERE id = $1', waitEvent: null, applicationName: 'api' },
      { pid: 102, state: 'idle in transaction', durationMs: 800, query: 'UPDATE orders SET status = $1 WHERE id = $2', waitEvent: 'Client:ClientRead', applicationName: 'worker' },
    ],
    partial: {},
  };
  return { target: { domains: [], now: NOW, accept: [], database: { ...DEFAULT_DATABASE_OPTIONS } }, 'database.postgres': db };
}

export const db = (f: Facts) => f['database.postgres'] as ConnectedDatabaseFacts;
/** The hot lookup lost its index: its plan scans orders, whose counters show it. */
export function breakHotLookup(f: Facts): void {
  const d = db(f);
  d.indexes = d.indexes.filter((i) => i.name !== 'orders_customer_id_idx');
  d.plans[0] = { queryId: '11', status: 'ok', totalCost: 4000, indexes: [], seqScans: [{ schema: 'public', table: 'orders', filter: '(orders.customer_id = $1)', columns: ['customer_id'], equalityOnly: true, sortColumns: ['created_at'], planRows: 40 }] };
  d.tables[0] = { ...d.tables[0]!, seqScan: 400, seqRowsRead: 80_000_000 };
}

