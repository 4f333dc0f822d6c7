// The PostgreSQL collector and the database checks end to end against a throwaway cluster on loopback: a broken
// shop gets exact findings, its clean twin none at medium or above, and nothing the audit does can write.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { allChecks } from '../../src/checks/index.js';
import { collectDatabase } from '../../src/collect/database/index.js';
import { openSession, parseDatabaseUrl } from '../../src/collect/database/connect.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import type { CollectContext } from '../../src/collect/context.js';
import { DATABASE_URL, DEFAULT_DATABASE_OPTIONS, type ConnectedDatabaseFacts, type DatabaseFacts } from '../../src/facts/database.js';
import type { TargetFacts } from '../../src/facts/index.js';
import { runCheck } from '../../src/run/audit.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { CertFactory } from '../../src/sandbox/certs.js';
import { createShop, postgresUnavailable, runWorkload, startPostgres, waitFor, type PgCluster } from '../helpers/postgres.js';

const missing = postgresUnavailable();
if (missing && process.env.CI) {
  // CI installs PostgreSQL through .ci/run: a missing server there is a broken pipeline, not a skip.
  describe('database collector', () => {
    it('needs PostgreSQL under CI', () => { throw new Error(missing); });
  });
}

const databaseChecks = allChecks.filter((c) => c.area === 'database');

let cluster: PgCluster;
let certs: CertFactory;
let caPath: string;
let dnsServer: DnsSandbox;
let ctx: CollectContext;
const abort = new AbortController();

function target(url: string, extra: Partial<typeof DEFAULT_DATABASE_OPTIONS> = {}): TargetFacts {
  return {
    domains: [], now: new Date().toISOString(), accept: [],
    database: { ...DEFAULT_DATABASE_OPTIONS, ...extra, [DATABASE_URL]: url },
  };
}

function run(facts: DatabaseFacts, t: TargetFacts) {
  return databaseChecks.map((check) => runCheck(check, { target: t, 'database.postgres': facts }, [], t.now.slice(0, 10)));
}

function findings(facts: DatabaseFacts, t: TargetFacts): string[] {
  return run(facts, t).flatMap((r) => r.findings.map((f) => `${f.checkId}.${f.code} ${f.location.record ?? ''}`));
}

/** The backend pid of a client (pg sets it at connect; its types do not declare it). */
const pid = (c: pg.Client) => (c as unknown as { processID: number }).processID;

function ok(facts: DatabaseFacts): ConnectedDatabaseFacts {
  if (!facts.configured || !facts.connected) throw new Error(`not connected: ${JSON.stringify(facts)}`);
  return facts;
}

describe.skipIf(Boolean(missing))(`database collector against a real PostgreSQL${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    // The server speaks TLS with a certificate for db.shop.test from a private CA (and plain text too).
    certs = new CertFactory();
    caPath = join(mkdtempSync(join(tmpdir(), 'lr-db-ca-')), 'ca.pem');
    writeFileSync(caPath, certs.caPem);
    cluster = await startPostgres({ tls: certs.leaf('db.shop.test') });
    await Promise.all([
      createShop(cluster, 'shop_broken', { clean: false }),
      createShop(cluster, 'shop_clean', { clean: true }),
    ]);
    await runWorkload(cluster, 'shop_broken');
    await runWorkload(cluster, 'shop_clean');
    const root = await cluster.client('postgres');
    await root.query('CREATE DATABASE plain');
    await root.end();
    dnsServer = await startDnsSandbox({ zones: [parseZone(`$ORIGIN shop.test.
$TTL 300
@   SOA ns1.shop.test. hostmaster.shop.test. ( 1 3600 600 1209600 300 )
@   NS  ns1.shop.test.
ns1 A   127.0.0.1
db  A   127.0.0.1
`)] });
    const net = await prepareNetwork({ resolver: `127.0.0.1:${dnsServer.port}`, timeoutMs: 5000, concurrency: 8, connectTo: [`db.prod.test:5432:127.0.0.1:${cluster.port}`] });
    ctx = net.context(abort.signal);
  }, 60_000);

  afterAll(async () => {
    abort.abort();
    await dnsServer?.close();
    await cluster?.stop();
  });

  it('names the query, the table and the missing index on the broken shop, with exact findings', async () => {
    // A query running for a while and a session idle in a transaction, as a stuck worker would leave them.
    const sleeper = await cluster.client('shop_broken');
    const idle = await cluster.client('shop_broken');
    const sleeping = sleeper.query('SELECT pg_sleep(30)').catch(() => undefined);
    await idle.query('BEGIN');
    await idle.query("SELECT email FROM customers WHERE email = 'user7@example.test'");
    try {
      await waitFor(cluster, 'shop_broken', async (c) => {
        const r = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'shop_broken'
          AND state IN ('active', 'idle in transaction') AND clock_timestamp() - coalesce(state_change, query_start) > interval '1.2 s'
          AND pid <> pg_backend_pid()`);
        return (r.rows[0] as { n: number }).n >= 2;
      });
      const t = target(cluster.url('shop_broken'), { longRunningQueryMs: 1000, idleInTransactionMs: 1000 });
      const facts = ok(await collectDatabase(ctx, t));

      expect(findings(facts, t)).toEqual([
        'dominant-query.dominant-slow query ' + facts.statements.top.find((s) => s.query.includes('FROM orders WHERE customer_id'))!.queryId,
        'missing-index.confirmed table public.orders',
        'missing-index.confirmed table public.order_items',
        'unindexed-foreign-key.unindexed-large constraint public.order_items.order_items_order_id_fkey',
        'unindexed-foreign-key.unindexed-large constraint public.orders.orders_customer_id_fkey',
        'duplicate-index.covered index public.order_items_product_id_idx',
        'unused-index.unused index public.order_items_product_id_idx',
        'unused-index.unused index public.order_items_product_qty_idx',
        'unused-index.unused index public.orders_status_idx',
        `idle-in-transaction.idle session ${pid(idle)}`,
        `long-running-query.running session ${pid(sleeper)}`,
        'table-maintenance.never-analyzed table public.orders',
        'table-maintenance.never-vacuumed table public.orders',
        'table-maintenance.never-analyzed table public.order_items',
        'table-maintenance.never-vacuumed table public.order_items',
        'table-maintenance.never-analyzed table public.customers',
        'table-maintenance.never-vacuumed table public.customers',
      ]);

      const all = run(facts, t).flatMap((r) => r.findings);
      const orders = all.find((f) => f.id === 'database.missing-index.confirmed' && f.location.record === 'table public.orders')!;
      expect(orders.message).toContain('SELECT id, status, total_cents FROM orders WHERE customer_id = $1');
      // Equality column first, then the ORDER BY column: the index also returns the rows already sorted.
      expect(orders.message).toContain('filters on customer_id with no index: missing index on orders (customer_id, created_at)');
      expect(orders.message).toContain('CREATE INDEX CONCURRENTLY ON orders (customer_id, created_at);');
      const items = all.find((f) => f.location.record === 'table public.order_items' && f.checkId === 'missing-index')!;
      expect(items.args.columns).toBe('order_id');
      expect(all.find((f) => f.checkId === 'dominant-query')!.message).toMatch(/sequential scan of orders/);
      // Live texts are scrubbed: the idle session's e-mail literal never reaches a finding.
      const idleFinding = all.find((f) => f.checkId === 'idle-in-transaction')!;
      expect(idleFinding.message).toContain('WHERE email = $1');
      expect(JSON.stringify(facts)).not.toContain('user7@example.test');
      expect(all.find((f) => f.checkId === 'long-running-query')!.message).toContain('pg_sleep($1)');
      // Neither the password nor the role's name is in what the collector kept.
      const text = JSON.stringify(facts);
      expect(text).not.toContain(cluster.auditor.password);
      expect(text).not.toContain(cluster.auditor.user);
      expect(facts.partial).toEqual({});
    } finally {
      await idle.query('ROLLBACK').catch(() => undefined);
      const c = await cluster.client('shop_broken');
      await c.query(`SELECT pg_cancel_backend(${pid(sleeper)})`);
      await c.end();
      await sleeping;
      await Promise.all([sleeper.end(), idle.end()]);
    }
  });

  it('finds nothing at medium or above on the clean twin', async () => {
    const t = target(cluster.url('shop_clean'));
    const facts = ok(await collectDatabase(ctx, t));
    const results = run(facts, t);
    const serious = results.flatMap((r) => r.findings).filter((f) => ['critical', 'high', 'medium'].includes(f.severity));
    expect(serious.map((f) => f.id)).toEqual([]);
    expect(results.every((r) => r.outcome.status !== 'error')).toBe(true);
    // The workload's hot query is there, and its generic plan uses the index.
    const hot = facts.statements.top.find((s) => s.query.includes('FROM orders WHERE customer_id'))!;
    expect(hot.calls).toBe(150);
    expect(facts.plans.find((p) => p.queryId === hot.queryId)?.indexes).toContain('orders_customer_id_idx');
  });

  it('cannot write: the session refuses writes even for a superuser, and a collection changes nothing', async () => {
    const url = cluster.url('shop_broken', 'admin');
    const parsed = parseDatabaseUrl(url);
    const session = await openSession(ctx, parsed, 5000);
    try {
      expect(session.guarded).toBe(false);
      await expect(session.client.query('CREATE TABLE intruder (id int)')).rejects.toMatchObject({ code: '25006' });
      await expect(session.client.query('DELETE FROM orders WHERE id = 1')).rejects.toMatchObject({ code: '25006' });
    } finally {
      await session.close();
    }
    // Behind a pooler that refuses startup options, each statement runs in its own READ ONLY transaction.
    const pooled = await openSession(ctx, parsed, 500, { startupOptions: false });
    try {
      expect(pooled.guarded).toBe(true);
      await expect(pooled.query('CREATE TABLE intruder (id int)')).rejects.toMatchObject({ code: '25006' });
      await expect(pooled.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      expect((await pooled.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pooled.close();
    }
    const writes = async () => {
      const c = await cluster.client('shop_broken');
      const r = await c.query(`SELECT (SELECT count(*) FROM pg_class) AS rels,
        (SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables) AS tuples`);
      await c.end();
      return r.rows[0] as Record<string, string>;
    };
    const before = await writes();
    ok(await collectDatabase(ctx, target(url)));
    const guardedFacts = ok(await collectDatabase(ctx, target(url), { startupOptions: false }));
    expect(guardedFacts.partial).toEqual({});
    expect(guardedFacts.plans.filter((p) => p.status === 'ok').length).toBeGreaterThan(0);
    expect(await writes()).toEqual(before);
    // The audit role itself has no write privilege either.
    const auditor = await cluster.client('shop_broken', 'auditor');
    await expect(auditor.query('DELETE FROM orders WHERE id = 1')).rejects.toMatchObject({ code: '42501' });
    await auditor.end();
  });

  it('resolves the host through the run\'s resolver and --connect-to, never the system resolver', async () => {
    const viaDns = cluster.url('shop_clean').replace('127.0.0.1', 'db.shop.test');
    const facts = await collectDatabase(ctx, target(viaDns));
    expect(ok(facts).server.host).toBe('db.shop.test');
    expect(dnsServer.queries.some((q) => q.name.toLowerCase() === 'db.shop.test')).toBe(true);
    const viaRule = cluster.url('shop_clean').replace(`127.0.0.1:${cluster.port}`, 'db.prod.test:5432');
    expect(ok(await collectDatabase(ctx, target(viaRule))).server.port).toBe(5432);
  });

  it('negotiates TLS like libpq: prefer, disable, verify-full against --ca, verify-ca, sslrootcert', async () => {
    const tlsOf = async (url: string, context = ctx) => {
      const session = await openSession(context, parseDatabaseUrl(url), 5000);
      try {
        const r = await session.client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
        return (r.rows[0] as { ssl: boolean }).ssl;
      } finally {
        await session.close();
      }
    };
    const base = cluster.url('shop_clean');
    const named = base.replace('127.0.0.1', 'db.shop.test');
    expect(await tlsOf(base)).toBe(true);
    expect(await tlsOf(`${base}?sslmode=disable`)).toBe(false);
    expect(await tlsOf(`${base}?sslmode=require`)).toBe(true);

    // verify-full: the private CA is trusted only through --ca (or sslrootcert), and the name must match.
    const withCa = await prepareNetwork({ resolver: `127.0.0.1:${dnsServer.port}`, timeoutMs: 5000, concurrency: 8, ca: caPath });
    const caCtx = withCa.context(abort.signal);
    expect(await tlsOf(`${named}?sslmode=verify-full`, caCtx)).toBe(true);
    expect(await tlsOf(`${named}?sslmode=verify-full&sslrootcert=${encodeURIComponent(caPath)}`)).toBe(true);
    const untrusted = await collectDatabase(ctx, target(`${named}?sslmode=verify-full`));
    expect(untrusted).toMatchObject({ connected: false, stage: 'connect' });
    expect((untrusted as { error: string }).error).toMatch(/TLS verification failed/);
    const wrongName = await collectDatabase(caCtx, target(`${base}?sslmode=verify-full`));
    expect((wrongName as { error: string }).error).toMatch(/TLS verification failed/);
    expect(await tlsOf(`${base}?sslmode=verify-ca`, caCtx)).toBe(true);
  });

  it('turns every failure into a safe value: wrong password, nothing listening, policy, bad URL', async () => {
    const wrong = cluster.url('shop_clean').replace(encodeURIComponent(cluster.auditor.password), 'not-the-password');
    const auth = await collectDatabase(ctx, target(wrong));
    expect(auth).toMatchObject({ connected: false, stage: 'auth' });
    expect(JSON.stringify(auth)).not.toContain('not-the-password');
    expect(JSON.stringify(auth)).not.toContain(cluster.auditor.user);

    const refused = await collectDatabase(ctx, target('postgres://someone:pw-part@127.0.0.1:1/db'));
    expect(refused).toMatchObject({ connected: false, stage: 'connect' });
    expect((refused as { error: string }).error).toMatch(/connection refused/);

    const outside = await collectDatabase(ctx, target('postgres://someone:pw-part@192.0.2.10:5432/db'));
    expect(outside).toMatchObject({ connected: false, stage: 'policy' });

    const unknownHost = await collectDatabase(ctx, target('postgres://someone:pw-part@nowhere.shop.test:5432/db'));
    expect(unknownHost).toMatchObject({ connected: false, stage: 'resolve' });

    const bad = await collectDatabase(ctx, target('mysql://someone:pw-part@127.0.0.1/db'));
    expect(bad).toMatchObject({ connected: false, stage: 'config' });
    expect(JSON.stringify(bad)).not.toContain('pw-part');

    const nodb = await collectDatabase(ctx, { domains: [], now: new Date().toISOString(), accept: [] });
    expect(nodb).toEqual({ configured: false });
    const results = run(nodb, target('postgres://x@127.0.0.1/db'));
    expect(results.every((r) => r.outcome.status === 'not-applicable')).toBe(true);
    const failed = run(auth, target(wrong));
    expect(failed.every((r) => r.outcome.status === 'error' && /authentication failed/.test(r.outcome.error ?? ''))).toBe(true);
  });

  it('reports pg_stat_statements missing, and still judges tables without it', async () => {
    const c = await cluster.client('plain');
    await c.query('CREATE TABLE t (id int); GRANT SELECT ON t TO ' + cluster.auditor.user);
    await c.end();
    const t = target(cluster.url('plain'));
    const facts = ok(await collectDatabase(ctx, t));
    expect(facts.statements.status).toBe('not-installed');
    expect(findings(facts, t)).toEqual(['pg-stat-statements-missing.not-installed database plain']);
  });

  it('sees a server near its connection limit', async () => {
    const clients: pg.Client[] = [];
    try {
      // max_connections 40, 3 reserved for superusers: 33 busy clients plus the audit's own leave 3 slots for a spike.
      // Earlier tests' sessions are gone first (a backend exits just after its client closes).
      await waitFor(cluster, 'plain', async (c) => {
        const r = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
        return (r.rows[0] as { n: number }).n === 0;
      });
      for (let i = 0; i < 33; i++) clients.push(await cluster.client('plain'));
      const t = target(cluster.url('plain'));
      const facts = ok(await collectDatabase(ctx, t));
      const f = run(facts, t).flatMap((r) => r.findings).filter((x) => x.checkId === 'connection-limit');
      expect(f.map((x) => `${x.code} ${x.severity}`)).toEqual(['near-limit high']);
      expect(f[0]!.message).toMatch(/of 37 usable connections/);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
