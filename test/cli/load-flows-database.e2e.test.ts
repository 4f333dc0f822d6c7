// A flow ramp names the database's dominant query, end to end against a real PostgreSQL: `launch-ready load --flow`
// on a loopback API whose one step runs an unindexed scan (through a pool of one connection, so it queues as users
// grow) and another a primary-key lookup. The scan is named, in the JSON bottleneck and the table, with its calls,
// mean and share; a flow that runs no statement names none; without pg_stat_statements the ramp says so.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadResult } from '../../src/facts/load.js';
import { runInProcess } from '../helpers/cli.js';
import { createStatsDatabase, postgresUnavailable, startPostgres, type PgCluster } from '../helpers/postgres.js';

const missing = postgresUnavailable();
if (missing && process.env.CI) {
  describe('flow ramp: the database\'s dominant query', () => {
    it('needs PostgreSQL under CI', () => { throw new Error(missing); });
  });
}

const SCAN = 'SELECT count(*) AS n FROM orders WHERE customer_id = $1';
const LOOKUP = 'SELECT name FROM customers WHERE id = $1';

let cluster: PgCluster;
let api: Server;
let port = 0;
const pools: pg.Pool[] = [];
/** The scans' queue: a flow cut at a step's end leaves scans queued after the load command has returned. */
let turn: Promise<unknown> = Promise.resolve();
let dir: string;

describe.skipIf(Boolean(missing))(`flow ramp: the database's dominant query${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    const admin = await createStatsDatabase(cluster, 'shop');
    try {
      // 200 000 orders and no index on customer_id: every lookup reads the table whole (milliseconds, not micro).
      await admin.query(`CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
        INSERT INTO customers SELECT i, 'customer ' || i FROM generate_series(1, 1000) i;
        CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, total int NOT NULL);
        INSERT INTO orders SELECT i, i % 1000 + 1, i % 97 FROM generate_series(1, 200000) i;
        ANALYZE customers; ANALYZE orders;`);
    } finally {
      await admin.end();
    }
    const pool = (max: number) => {
      const p = new pg.Pool({ host: cluster.host, port: cluster.port, user: cluster.admin.user, password: cluster.admin.password, database: 'shop', max });
      p.on('error', () => {});
      pools.push(p);
      return p;
    };
    // The scan waits for the one connection of its pool: its step is the one that queues as users grow.
    const scans = pool(1);
    const lookups = pool(4);
    // One scan at a time, each holding its turn 30 ms past the query (the work a real handler does with the rows): the
    // queue grows with the users by far more than a busy machine's noise on the other steps.
    const scanInTurn = (id: number) => {
      const mine = turn.then(async () => {
        const r = await scans.query(SCAN, [id]);
        await new Promise((res) => setTimeout(res, 30));
        return r.rows[0];
      });
      turn = mine.catch(() => {});
      return mine;
    };
    api = createServer((req, res) => {
      const answer = (p: Promise<unknown>) => p.then(
        (body) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); },
        (err: Error) => { res.writeHead(500); res.end(err.message); },
      );
      const id = 1 + Math.floor(Math.random() * 1000);
      req.resume();
      if (req.url === '/orders') return void answer(scanInTurn(id));
      if (req.url === '/profile') return void answer(lookups.query(LOOKUP, [id]).then((r) => r.rows[0]));
      if (req.url === '/ping') return void answer(Promise.resolve({ ok: true }));
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
    // Each pool's connection opened and the table read once before any ramp: the first step measures queries, not that.
    await Promise.all([scanInTurn(1), lookups.query(LOOKUP, [1])]);
    port = (api.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'lr-flowdb-'));
  }, 120_000);

  afterAll(async () => {
    api?.close();
    await Promise.all(pools.map((p) => p.end().catch(() => {})));
    await cluster?.stop();
  });

  /** A project whose config names the flows and the database (its URL from the environment). */
  function project(name: string): string {
    const base = `http://127.0.0.1:${port}`;
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({
      database: { url: '${env:DATABASE_URL}' },
      flows: [
        {
          name: 'account', steps: [
            { name: 'home', url: `${base}/ping`, budgetMs: 5000 },
            { name: 'orders', url: `${base}/orders`, budgetMs: 5000 },
            { name: 'profile', url: `${base}/profile`, budgetMs: 5000 },
          ],
        },
        { name: 'quiet', steps: [{ name: 'ping', url: `${base}/ping` }, { name: 'again', url: `${base}/ping` }] },
      ],
    }));
    return file;
  }

  const load = (config: string, db: string, flow: string, format: 'json' | 'table') => runInProcess(
    ['load', '--flow', flow, '--config', config, '--max-concurrency', '4', '--step-duration', '1', '--resolver', '127.0.0.1:9', '--format', format],
    { DATABASE_URL: cluster.url(db) }, dir,
  );

  it('names the unindexed scan as the dominant query, in the bottleneck and the table, and no query for a flow without database work', async () => {
    const config = project('shop');
    const r = await load(config, 'shop', 'account', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(cluster.auditor.password);
    const [account] = (JSON.parse(r.stdout) as LoadResult).flows!;
    expect(account!.steps.map((s) => s.concurrency)).toEqual([1, 2, 4]);
    const flows = account!.steps.reduce((n, s) => n + s.flows, 0);
    expect(account!.database).toMatchObject({ status: 'ok', query: { query: SCAN } });
    const q = account!.database!.status === 'ok' ? account!.database!.query! : undefined;
    // Every flow ran the scan once, plus the flows cut at each step's end that were not counted.
    expect(q!.calls).toBeGreaterThanOrEqual(flows);
    expect(q!.calls).toBeLessThanOrEqual(flows + 1 + 2 + 4);
    expect(q!.meanMs).toBeGreaterThan(0);
    expect(q!.totalMs).toBeCloseTo(q!.meanMs * q!.calls, 0);
    // The lookup ran as often but in far less time: the scan holds most of the database's time.
    expect(q!.share).toBeGreaterThan(0.5);
    expect(q!.share).toBeLessThanOrEqual(1);
    // The scan's step queues behind a pool of one: it is the bottleneck, and the query is named with it.
    expect(account!.bottleneck).toMatchObject({ step: 'orders', query: q });
    expect(account!.notes.join('\n')).toMatch(/^Database: during the ramp, \d+% of its statement time went to SELECT count\(\*\) AS n FROM orders WHERE customer_id = \$1 \(\d+ calls, mean [\d.]+ ms\)\.$/m);

    const t = await load(config, 'shop', 'account', 'table');
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/^ {2}dominant query: SELECT count\(\*\) AS n FROM orders WHERE customer_id = \$1 \(\d+% of database time, \d+ calls, mean [\d.]+ ms\)$/m);

    // Scans still queued from the runs above finish before the quiet flow's window opens.
    await turn;
    const quiet = await load(config, 'shop', 'quiet', 'json');
    expect(quiet.code, quiet.stderr).toBe(0);
    const [flow] = (JSON.parse(quiet.stdout) as LoadResult).flows!;
    expect(flow!.steps.every((s) => s.flows > 0)).toBe(true);
    expect(flow!.database).toEqual({ status: 'ok', query: null, calls: 0, totalMs: 0 });
    expect(flow!.bottleneck?.query).toBeUndefined();
    expect(flow!.notes.join('\n')).not.toMatch(/Database:/);
    const quietTable = await load(config, 'shop', 'quiet', 'table');
    expect(quietTable.stdout).toMatch(/^ {2}database: no statement ran during the ramp$/m);
  }, 60_000);

  it('says why when pg_stat_statements is not installed, and invents no query', async () => {
    const config = project('nostats');
    const r = await load(config, 'postgres', 'account', 'json');
    expect(r.code, r.stderr).toBe(0);
    const [account] = (JSON.parse(r.stdout) as LoadResult).flows!;
    expect(account!.database).toEqual({ status: 'error', message: 'pg_stat_statements is not installed in this database' });
    expect(account!.bottleneck?.query).toBeUndefined();
    const t = await load(config, 'postgres', 'account', 'table');
    expect(t.stdout).toMatch(/^ {2}database: not watched \(pg_stat_statements is not installed in this database\)$/m);
  }, 60_000);
});
