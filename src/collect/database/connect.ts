// Opens the collector's one read-only PostgreSQL session: parses the URL without ever echoing it, resolves the host
// through the run's resolver and rules, negotiates TLS like libpq's sslmode, and scrubs every driver error.
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import pg from 'pg';
import { onAbort } from '../abort.js';
import type { CollectContext } from '../context.js';
import { isDestinationError, resolveDestination } from '../http/destination.js';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface ParsedUrl {
  /** A host name or IP, or a Unix socket directory (starts with /). */
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslmode: SslMode;
  sslrootcert?: string;
}

/** A failure whose message is already safe to print: no URL, password or user name in it. */
export class DatabaseError extends Error {
  constructor(readonly stage: 'config' | 'resolve' | 'policy' | 'connect' | 'auth' | 'query', message: string) {
    super(message);
  }
}

const PARAMS = new Set(['sslmode', 'sslrootcert', 'host', 'port', 'dbname', 'user', 'password', 'application_name', 'connect_timeout']);

/** Parses postgres:// and postgresql:// URLs (libpq's URI form). Errors never quote the URL. */
export function parseDatabaseUrl(url: string): ParsedUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DatabaseError('config', 'database.url is not a URL (expected postgres://user:password@host:5432/dbname)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new DatabaseError('config', `database.url must start with postgres:// or postgresql:// (got ${u.protocol}//)`);
  }
  for (const key of u.searchParams.keys()) {
    if (!PARAMS.has(key)) throw new DatabaseError('config', `database.url: unsupported parameter "${key}" (supported: ${[...PARAMS].join(', ')})`);
  }
  const q = (k: string) => u.searchParams.get(k) ?? undefined;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new DatabaseError('config', 'database.url has a badly percent-encoded part');
    }
  };
  const host = q('host') ?? decode(u.hostname).replace(/^\[|\]$/g, '');
  if (!host) throw new DatabaseError('config', 'database.url names no host');
  if (host.includes(',')) throw new DatabaseError('config', 'database.url: several hosts are not supported; name the primary');
  const portText = q('port') ?? (u.port || '5432');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new DatabaseError('config', `database.url: port ${portText} is out of range`);
  const user = q('user') ?? decode(u.username);
  if (!user) throw new DatabaseError('config', 'database.url names no user (postgres://USER:password@host/dbname)');
  const database = q('dbname') ?? decode(u.pathname.replace(/^\//, '')) ?? user;
  const password = q('password') ?? (u.password ? decode(u.password) : undefined);
  const sslmode = (q('sslmode') ?? 'prefer') as SslMode;
  if (!SSL_MODES.includes(sslmode)) throw new DatabaseError('config', `database.url: sslmode must be one of ${SSL_MODES.join(', ')}`);
  const sslrootcert = q('sslrootcert');
  return { host, port, database: database || user, user, ...(password !== undefined ? { password } : {}), sslmode, ...(sslrootcert ? { sslrootcert } : {}) };
}

/** Removes anything that could identify or unlock the database from a driver message. */
export function scrubMessage(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  // Whole URLs first, whatever their credentials.
  out = out.replace(/postgres(?:ql)?:\/\/[^\s"']+/gi, '[database url]');
  for (const s of [...secrets].filter((x): x is string => Boolean(x && x.length >= 2)).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('[redacted]');
    const enc = encodeURIComponent(s);
    if (enc !== s) out = out.split(enc).join('[redacted]');
  }
  return out.slice(0, 500);
}

/** Turns a driver or socket error into a safe, useful sentence. */
export function explainError(err: unknown, parsed: Pick<ParsedUrl, 'user' | 'password' | 'database'>, where: string): DatabaseError {
  const e = err as { code?: string; message?: string };
  const raw = scrubMessage(e.message ?? String(err), [parsed.password, parsed.user]);
  switch (e.code) {
    case '28P01': return new DatabaseError('auth', `authentication failed at ${where}: wrong password for the configured user`);
    case '28000': return new DatabaseError('auth', `the server at ${where} refused the configured user (pg_hba.conf has no entry, or the role cannot log in): ${raw}`);
    case '3D000': return new DatabaseError('auth', `the database named in database.url does not exist at ${where}`);
    case '53300': return new DatabaseError('connect', `${where} has no free connection slot (too many clients already)`);
    case '57P03': return new DatabaseError('connect', `${where} is starting up or shutting down`);
    case 'ECONNREFUSED': return new DatabaseError('connect', `nothing accepts connections at ${where} (connection refused)`);
    case 'ECONNRESET': return new DatabaseError('connect', `${where} closed the connection`);
    case 'ETIMEDOUT': return new DatabaseError('connect', `${where} did not answer in time`);
    default: break;
  }
  if (/SASL|SCRAM|password must be a string|client password/i.test(raw)) {
    return new DatabaseError('auth', `${where} asks for a password and database.url has none (or it is not usable): ${raw}`);
  }
  if (/timeout|timed out/i.test(raw)) return new DatabaseError('connect', `${where} did not answer in time (${raw})`);
  return new DatabaseError(e.code && /^[0-9A-Z]{5}$/.test(e.code) ? 'query' : 'connect', `${where}: ${raw}`);
}

/** Marks our own statements, so the statistics we read never count the audit itself. */
export const MARK = '/* launch-ready */';

export interface OpenSession {
  client: pg.Client;
  /** Runs one statement under the session's read-only guard and statement timeout. */
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** True when the guards are applied per statement (a pooler refused the startup options). */
  guarded: boolean;
  /** host:port as reported: the name from the URL and its port (never the user or password). */
  where: string;
  server: { host: string; port: number; database: string };
  close(): Promise<void>;
}

function withDeadline<T>(p: Promise<T>, ms: number, what: string, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (why: string) => reject(new DatabaseError('connect', why));
    const timer = setTimeout(() => fail(`${what} took longer than ${ms} ms`), ms);
    const stopWaiting = onAbort(signal, () => fail(`${what} stopped: the run's deadline passed`));
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      stopWaiting();
    });
  });
}

/**
 * Connects read-only: `default_transaction_read_only=on` and a `statement_timeout` are set at startup, so every
 * statement the session runs is refused a write and bounded in time by the server itself; the client also gives up
 * on any query after `timeoutMs`.
 */
export async function openSession(ctx: CollectContext, parsed: ParsedUrl, statementTimeoutMs: number, opts: { startupOptions?: boolean } = {}): Promise<OpenSession> {
  const server = { host: parsed.host, port: parsed.port, database: parsed.database };
  const where = parsed.host.startsWith('/') ? `socket ${parsed.host}/.s.PGSQL.${parsed.port}` : `${isIP(parsed.host) === 6 ? `[${parsed.host}]` : parsed.host}:${parsed.port}`;
  let address = parsed.host;
  let port = parsed.port;
  if (!parsed.host.startsWith('/')) {
    const name = parsed.host.toLowerCase();
    // "localhost" is loopback by definition (RFC 6761): no query needed, and none may go to the system resolver.
    const dest = name === 'localhost' && !ctx.policy.redirect(name, port)
      ? { address: '127.0.0.1', port }
      : await resolveDestination(ctx, name, port);
    if ('kind' in dest && isDestinationError(dest)) {
      throw new DatabaseError(dest.kind === 'forbidden' ? 'policy' : 'resolve', `${where}: ${dest.message}`);
    }
    ctx.policy.assertAllowed(dest.address);
    address = dest.address;
    port = dest.port;
  }

  const verify = parsed.sslmode === 'verify-ca' || parsed.sslmode === 'verify-full';
  // Trust, as libpq: an sslrootcert file alone (plus --ca); otherwise Node's store, plus --ca when given.
  let ca: string[] | undefined;
  if (verify && parsed.sslrootcert && parsed.sslrootcert !== 'system') {
    try {
      ca = [await readFile(parsed.sslrootcert, 'utf8'), ...(ctx.extraCa ?? [])];
    } catch (err) {
      throw new DatabaseError('config', `database.url: cannot read sslrootcert (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else if (verify && ctx.extraCa && ctx.extraCa.length > 0) {
    ca = [...rootCertificates, ...ctx.extraCa];
  }
  const sslFor = (mode: SslMode): pg.ClientConfig['ssl'] => {
    if (mode === 'disable' || mode === 'allow') return false;
    // require and prefer encrypt without checking who answers, as libpq does.
    if (!verify) return { rejectUnauthorized: false };
    return {
      rejectUnauthorized: true,
      ...(ca ? { ca } : {}),
      ...(isIP(parsed.host) ? {} : { servername: parsed.host }),
      // verify-ca trusts the chain but not the name (libpq's meaning).
      ...(parsed.sslmode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    };
  };

  const connect = async (ssl: pg.ClientConfig['ssl'], startupOptions: boolean): Promise<pg.Client> => {
    const client = new pg.Client({
      host: address,
      port,
      user: parsed.user,
      database: parsed.database,
      ...(parsed.password !== undefined ? { password: parsed.password } : {}),
      ssl,
      application_name: 'launch-ready',
      // Server-side guards: no write can happen in this session, and no statement runs past the timeout.
      ...(startupOptions ? { options: `-c default_transaction_read_only=on -c statement_timeout=${statementTimeoutMs} -c lock_timeout=${Math.min(statementTimeoutMs, 2000)} -c idle_in_transaction_session_timeout=${statementTimeoutMs * 4}` } : {}),
      connectionTimeoutMillis: ctx.timeoutMs,
      query_timeout: statementTimeoutMs + 1000,
    });
    // A late socket error after we gave up must not crash the process.
    client.on('error', () => {});
    try {
      await withDeadline(client.connect(), ctx.timeoutMs, `connecting to ${where}`, ctx.signal);
    } catch (err) {
      client.end().catch(() => {});
      throw err;
    }
    return client;
  };
  // Poolers (PgBouncer, Supavisor) refuse or drop the startup `options`: then every statement runs in its own
  // READ ONLY transaction with a local statement_timeout instead.
  let guarded = opts.startupOptions === false;
  const attempt = async (ssl: pg.ClientConfig['ssl']): Promise<pg.Client> => {
    if (guarded) return connect(ssl, false);
    try {
      return await connect(ssl, true);
    } catch (err) {
      if (!/unsupported startup parameter/i.test((err as Error).message ?? '')) throw err;
      guarded = true;
      return connect(ssl, false);
    }
  };

  let client: pg.Client;
  try {
    try {
      client = await attempt(sslFor(parsed.sslmode));
    } catch (err) {
      // sslmode=prefer falls back to plain when the server has no TLS; allow tries TLS when plain is refused.
      const noSsl = /does not support SSL/i.test((err as Error).message ?? '');
      if (parsed.sslmode === 'prefer' && noSsl) client = await attempt(false);
      else if (parsed.sslmode === 'allow' && (err as { code?: string }).code === '28000') client = await attempt({ rejectUnauthorized: false });
      else throw err;
    }
  } catch (err) {
    if (err instanceof DatabaseError) throw err;
    if (/does not support SSL/i.test((err as Error).message ?? '')) {
      throw new DatabaseError('connect', `${where} does not accept TLS, but database.url asks for sslmode=${parsed.sslmode}`);
    }
    if ((err as { code?: string }).code?.startsWith('ERR_TLS') || /certificate|self.signed|altname/i.test((err as Error).message ?? '')) {
      throw new DatabaseError('connect', `${where}: TLS verification failed (${scrubMessage((err as Error).message, [parsed.password, parsed.user])})`);
    }
    throw explainError(err, parsed, where);
  }

  const stopWaiting = onAbort(ctx.signal, () => { client.end().catch(() => {}); });
  const close = async () => {
    stopWaiting();
    await client.end().catch(() => {});
  };
  if (!guarded) {
    // A pooler may drop the startup options silently: trust them only when the server says they took effect.
    try {
      const r = await client.query(`${MARK} SHOW default_transaction_read_only`);
      if ((r.rows[0] as { default_transaction_read_only?: string } | undefined)?.default_transaction_read_only !== 'on') guarded = true;
    } catch (err) {
      await close();
      throw explainError(err, parsed, where);
    }
  }
  const query = async (sql: string, params: unknown[] = []): Promise<pg.QueryResult> => {
    if (!guarded) return client.query(sql, params);
    await client.query(`${MARK} BEGIN TRANSACTION READ ONLY`);
    try {
      await client.query(`${MARK} SET LOCAL statement_timeout = ${statementTimeoutMs}`);
      const r = await client.query(sql, params);
      await client.query(`${MARK} COMMIT`);
      return r;
    } catch (err) {
      await client.query(`${MARK} ROLLBACK`).catch(() => {});
      throw err;
    }
  };
  return { client, query, guarded, where, server, close };
}
