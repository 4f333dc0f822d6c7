// Starts a throwaway PostgreSQL cluster for tests: initdb/pg_ctl in a temp dir, on a free loopback port, with
// pg_stat_statements loaded and password auth over TCP. Also builds the shop schemas (a broken twin and a clean one).
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin, if any. */
export function findPgBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(base, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')) && existsSync(join(base, v, 'lib', 'pg_stat_statements.so'))) return bin;
  }
  return undefined;
}

/**
 * Why the database tests cannot run here, or undefined when they can. Without binaries the tests skip locally,
 * but under CI they must fail: CI installs the Debian package through .ci/run.
 */
export function postgresUnavailable(): string | undefined {
  if (findPgBin()) return undefined;
  return 'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install -y postgresql)';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

// Test passwords are assembled at run time, so the repository holds no credential-looking string.
const secret = (tag: string) => ['lr', tag, Math.random().toString(36).slice(2, 10), 'pw'].join('-');

export interface PgCluster {
  host: string;
  port: number;
  admin: { user: string; password: string };
  /** Login role with SELECT on the shop tables and pg_read_all_stats, nothing more. */
  auditor: { user: string; password: string };
  url(db: string, who?: 'admin' | 'auditor'): string;
  client(db: string, who?: 'admin' | 'auditor'): Promise<pg.Client>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Serve TLS with this key and chain (leaf first); clients may still connect in plain text. */
  tls?: { keyPem: string; chainPem: string };
}

/** Starts a cluster; as root the server runs as the `postgres` OS user (initdb refuses root). */
export async function startPostgres(startOpts: StartOptions = {}): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error(postgresUnavailable());
  const dir = mkdtempSync(join(tmpdir(), 'lr-pg-'));
  const asRoot = process.getuid?.() === 0;
  const exec = async (cmd: string, args: string[]) => {
    const full = join(bin, cmd);
    return asRoot ? run('runuser', ['-u', 'postgres', '--', full, ...args]) : run(full, args);
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const admin = { user: 'lr_admin', password: secret('admin') };
  const auditor = { user: 'lr_auditor', password: secret('audit') };
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${admin.password}\n`);
  if (asRoot) execFileSync('chown', ['postgres', pwfile]);
  await exec('initdb', ['-D', data, '-U', admin.user, '--pwfile', pwfile, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync', '--locale=C']);
  rmSync(pwfile);
  const tlsOpts: string[] = [];
  if (startOpts.tls) {
    const key = join(dir, 'server.key');
    const cert = join(dir, 'server.crt');
    writeFileSync(key, startOpts.tls.keyPem, { mode: 0o600 });
    writeFileSync(cert, startOpts.tls.chainPem);
    if (asRoot) execFileSync('chown', ['postgres', key, cert]);
    tlsOpts.push('-c ssl=on', `-c ssl_key_file=${key}`, `-c ssl_cert_file=${cert}`);
  }

  let port = 0;
  let started = false;
  for (let attempt = 0; attempt < 5 && !started; attempt++) {
    port = await freePort();
    // Autovacuum stays on (a real server's default) but its first round is an hour away, so "never vacuumed" is
    // decided by the test, not by a race with the launcher.
    const opts = [
      `-p ${port}`, "-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${dir}`,
      '-c shared_preload_libraries=pg_stat_statements', '-c pg_stat_statements.track=top',
      '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off',
      '-c autovacuum_naptime=3600', '-c max_connections=40', '-c jit=off', ...tlsOpts,
    ].join(' ');
    try {
      await exec('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', opts, 'start']);
      started = true;
    } catch {
      // Another process took the port between probe and start: try another.
    }
  }
  if (!started) throw new Error(`PostgreSQL did not start; see ${join(dir, 'log')}`);

  const host = '127.0.0.1';
  const creds = (who: 'admin' | 'auditor') => (who === 'admin' ? admin : auditor);
  const cluster: PgCluster = {
    host, port, admin, auditor,
    url: (db, who = 'auditor') => `postgres://${creds(who).user}:${encodeURIComponent(creds(who).password)}@${host}:${port}/${db}`,
    client: async (db, who = 'admin') => {
      const c = new pg.Client({ host, port, user: creds(who).user, password: creds(who).password, database: db });
      // The cluster stops with "immediate": a client still open then must not crash the test process.
      c.on('error', () => {});
      await c.connect();
      return c;
    },
    stop: async () => {
      try {
        await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  const c = await cluster.client('postgres');
  try {
    await c.query(`CREATE ROLE ${auditor.user} LOGIN PASSWORD '${auditor.password}'`);
    await c.query(`GRANT pg_read_all_stats TO ${auditor.user}`);
  } finally {
    await c.end();
  }
  return cluster;
}

export interface ShopOptions {
  /** The clean twin: indexes on every looked-up and foreign-key column, vacuumed and analyzed. */
  clean: boolean;
  orders?: number;
}

/**
 * A small shop: customers, orders (the hot table), order_items, products. The broken twin lacks the index on
 * orders.customer_id (looked up on every request) and on order_items.order_id (a foreign key), carries a duplicate
 * and an unused index, and was never vacuumed or analyzed.
 */
/** A new database with pg_stat_statements, and an admin client on it (the caller ends it). */
export async function createStatsDatabase(cluster: PgCluster, db: string): Promise<pg.Client> {
  const root = await cluster.client('postgres');
  try {
    await root.query(`CREATE DATABASE ${db}`);
  } finally {
    await root.end();
  }
  const c = await cluster.client(db);
  await c.query('CREATE EXTENSION pg_stat_statements');
  return c;
}

export async function createShop(cluster: PgCluster, db: string, opts: ShopOptions): Promise<void> {
  const orders = opts.orders ?? 120_000;
  const c = await createStatsDatabase(cluster, db);
  try {
    await c.query(`
      CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE products (id bigint PRIMARY KEY, sku text NOT NULL UNIQUE, price_cents int NOT NULL);
      CREATE TABLE orders (
        id bigint PRIMARY KEY,
        customer_id bigint NOT NULL REFERENCES customers(id),
        status text NOT NULL,
        total_cents int NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE TABLE order_items (
        id bigint PRIMARY KEY,
        order_id bigint NOT NULL REFERENCES orders(id),
        product_id bigint NOT NULL REFERENCES products(id),
        qty int NOT NULL
      );
      INSERT INTO customers SELECT g, 'user' || g || '@example.test', now() - g * interval '1 minute' FROM generate_series(1, 5000) g;
      INSERT INTO products SELECT g, 'SKU-' || g, 100 + g % 900 FROM generate_series(1, 500) g;
      INSERT INTO orders SELECT g, 1 + g % 5000, (ARRAY['paid','shipped','refunded'])[1 + g % 3], 500 + g % 10000, now() - g * interval '1 second'
        FROM generate_series(1, ${orders}) g;
      INSERT INTO order_items SELECT g, 1 + g % ${orders}, 1 + g % 500, 1 + g % 4 FROM generate_series(1, ${orders}) g;
    `);
    if (opts.clean) {
      await c.query(`
        CREATE INDEX orders_customer_id_idx ON orders (customer_id, created_at);
        CREATE INDEX order_items_order_id_idx ON order_items (order_id);
        CREATE INDEX order_items_product_id_idx ON order_items (product_id);
      `);
    } else {
      await c.query(`
        CREATE INDEX order_items_product_id_idx ON order_items (product_id);
        CREATE INDEX order_items_product_qty_idx ON order_items (product_id, qty);
        CREATE INDEX orders_status_idx ON orders (status);
      `);
    }
    await c.query(`GRANT USAGE ON SCHEMA public TO ${cluster.auditor.user}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${cluster.auditor.user}`);
    if (opts.clean) await c.query('VACUUM ANALYZE');
  } finally {
    await c.end();
  }
}

/** What the shop's app runs on every request; the same workload for both twins. */
export async function runWorkload(cluster: PgCluster, db: string, rounds = 150): Promise<void> {
  const c = await cluster.client(db);
  try {
    // Only this database's statements: the twins share one cluster.
    await c.query('SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)');
    for (let i = 0; i < rounds; i++) {
      const customer = 1 + ((i * 37) % 5000);
      await c.query('SELECT id, status, total_cents FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20', [customer]);
      await c.query('SELECT email FROM customers WHERE id = $1', [customer]);
      if (i % 10 === 0) {
        await c.query('SELECT o.id, i.qty FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.id = $1', [1 + i]);
        await c.query('SELECT price_cents FROM products WHERE sku = $1', [`SKU-${1 + (i % 500)}`]);
      }
    }
    // Table statistics reach the shared stats when a backend goes idle or exits; force it before we disconnect.
    await c.query('SELECT pg_stat_force_next_flush()');
    await c.query('SELECT 1');
  } finally {
    await c.end();
  }
  await waitFor(cluster, db, async (check) => {
    const r = await check.query<{ n: string }>("SELECT coalesce(seq_scan + coalesce(idx_scan, 0), 0) AS n FROM pg_stat_user_tables WHERE relname = 'orders'");
    return Number(r.rows[0]?.n ?? 0) >= rounds;
  });
}

/** Polls (bounded) until a condition over a fresh admin connection holds. */
export async function waitFor(cluster: PgCluster, db: string, cond: (c: pg.Client) => Promise<boolean>, tries = 50): Promise<void> {
  const c = await cluster.client(db);
  try {
    for (let i = 0; i < tries; i++) {
      if (await cond(c)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`condition not met after ${tries} tries`);
  } finally {
    await c.end();
  }
}
