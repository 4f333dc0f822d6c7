// A small API on node:http backed by the real throwaway PostgreSQL, for the cause readings: two endpoints each slow
// for its own unindexed query (each scans its own large table), one that sends Server-Timing, one that waits for a
// sandbox dependency, one whose errors come from the database. Plus that dependency, whose latency changes only
// when launch-ready probes it, so the API's calls and the probes see the same slowness, request by request.
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pg from 'pg';
import { createStatsDatabase, type PgCluster } from './postgres.js';

/** Creates the database with two large unindexed tables (their lookups are full scans) and a small one. */
export async function createCauseDb(cluster: PgCluster, db: string, rows = 120_000): Promise<void> {
  const c = await createStatsDatabase(cluster, db);
  try {
    await c.query(`
      CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint NOT NULL, kind text NOT NULL);
      CREATE TABLE messages (id bigint PRIMARY KEY, thread_id bigint NOT NULL, body text NOT NULL);
      CREATE TABLE settings (id bigint PRIMARY KEY, value text NOT NULL);
      INSERT INTO events SELECT g, g % 4000, (ARRAY['view','click','buy'])[1 + g % 3] FROM generate_series(1, ${rows}) g;
      INSERT INTO messages SELECT g, g % 3000, 'message ' || g FROM generate_series(1, ${rows}) g;
      INSERT INTO settings SELECT g, 'v' || g FROM generate_series(1, 50) g;
    `);
    await c.query('VACUUM ANALYZE');
    await c.query(`GRANT USAGE ON SCHEMA public TO ${cluster.auditor.user}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${cluster.auditor.user}`);
  } finally {
    await c.end();
  }
}

export interface Sandbox {
  port: number;
  origin: string;
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; sockets: Set<Socket>; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, sockets, port: (server.address() as AddressInfo).port };
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
}

/** Its delay (ms) steps through this pattern, one step per launch-ready probe. */
export const DEPENDENCY_DELAYS = [30, 160, 60, 220, 40, 120, 90, 200];

export async function startDependency(): Promise<Sandbox> {
  let step = 0;
  const { server, sockets, port } = await listen((req, res) => {
    req.resume();
    if (/launch-ready/.test(req.headers['user-agent'] ?? '')) step++;
    const delay = DEPENDENCY_DELAYS[step % DEPENDENCY_DELAYS.length]!;
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"rate":1.1}'), delay);
  });
  return { port, origin: `http://127.0.0.1:${port}`, close: closer(server, sockets) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startCauseApi(cluster: PgCluster, db: string, dependencyUrl: string): Promise<Sandbox> {
  const pool = new pg.Pool({ host: cluster.host, port: cluster.port, user: cluster.admin.user, password: cluster.admin.password, database: db, max: 4, idleTimeoutMillis: 200 });
  // Table counters reach the shared statistics when a backend exits (or idles a while): short-lived connections make
  // the pre-audit traffic visible to the audit at once.
  pool.on('error', () => {});
  // Server-Timing's db phase is the query alone: its connection stays open (no SCRAM handshake inside the phase).
  const kept = new pg.Pool({ host: cluster.host, port: cluster.port, user: cluster.admin.user, password: cluster.admin.password, database: db, max: 1 });
  kept.on('error', () => {});
  const counts = new Map<string, number>();
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  const { server, sockets, port } = await listen((req, res) => {
    req.resume();
    const path = (req.url ?? '/').split('?')[0]!;
    const n = counts.get(path) ?? 0;
    counts.set(path, n + 1);
    const handle = async () => {
      switch (path) {
        case '/events': {
          const r = await pool.query('SELECT id, kind FROM events WHERE user_id = $1', [n % 4000]);
          return json(res, 200, { events: r.rowCount });
        }
        case '/threads': {
          const r = await pool.query('SELECT id, body FROM messages WHERE thread_id = $1', [n % 3000]);
          return json(res, 200, { messages: r.rowCount });
        }
        case '/timed': {
          const t0 = performance.now();
          await kept.query('SELECT value FROM settings WHERE id = $1', [1 + (n % 50)]);
          const dbMs = performance.now() - t0;
          await sleep(150);
          const renderMs = performance.now() - t0 - dbMs;
          return json(res, 200, { ok: true }, { 'server-timing': `db;dur=${dbMs.toFixed(1)}, render;dur=${renderMs.toFixed(1)};desc="templates", total;dur=${(dbMs + renderMs).toFixed(1)}` });
        }
        case '/quote': {
          await new Promise<void>((resolve, reject) => {
            get(dependencyUrl, (r) => { r.resume(); r.on('end', resolve); r.on('error', reject); }).on('error', reject);
          });
          return json(res, 200, { quote: 42 });
        }
        case '/report':
          return json(res, 500, { error: 'QueryFailedError: canceling statement due to statement timeout' });
        default:
          return json(res, 404, { error: 'not found' });
      }
    };
    handle().catch((err: Error) => json(res, 500, { error: err.message }));
  });
  const close = closer(server, sockets);
  return { port, origin: `http://127.0.0.1:${port}`, close: async () => { await close(); await Promise.all([pool.end(), kept.end()]); } };
}
