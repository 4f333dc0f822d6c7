// The flow ramp's HTTP/1.1 client: each virtual user keeps one connection per origin alive across its flows, as a
// browser would, and writes each request as one buffer. Sockets are opened only by the run's connector (our
// resolver, --connect-to, the loopback guard, TLS as the audit's pool does it); responses are read by
// ./response-parser.ts with its caps. Why not the undici pool the rest of the run uses: under load its per-request
// machinery (request objects, stream bodies, listeners) costs the client more than a small answer costs the server,
// so a flow ramp measured the client instead of the product.
import type { Socket } from 'node:net';
import type { buildConnector } from 'undici';
import { HTTP_TOKEN, ResponseParser, type ParsedResponse } from './response-parser.js';

export interface WireRequest {
  method: string;
  url: URL;
  headers: Readonly<Record<string, string>>;
  body?: string;
}

export interface WireAnswer {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/** Why a request got no answer: `timeout` when a connect or the answer took longer than the run's timeout. */
export class WireFailure extends Error {
  constructor(readonly timeout: boolean, message: string, readonly stale = false) {
    super(message);
    this.name = 'WireFailure';
  }
}

/** How long an idle connection is trusted without the server's Keep-Alive hint (undici's default). */
const DEFAULT_KEEP_ALIVE_MS = 4000;
/** Given up this long before the server's announced timeout, so a request never races the server's close. */
const KEEP_ALIVE_MARGIN_MS = 1000;
/** A reused connection closed before any answer byte is retried once on a new one, for these methods only. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const WITH_PAYLOAD = new Set(['POST', 'PUT', 'PATCH']);
const BAD_VALUE = /[\r\n\0]/;
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

interface Waiter {
  resolve: (answer: WireAnswer) => void;
  reject: (err: WireFailure) => void;
  method: string;
  url: URL;
  payload: string | Buffer;
  /** Sent again once already, on a new connection. */
  retried: boolean;
}

interface Connection {
  socket: Socket;
  parser: ResponseParser;
  /** After this (performance.now()), the connection is not reused. */
  expiresAt: number;
  used: boolean;
  dead: boolean;
  received: boolean;
  waiter?: Waiter;
}

/** The request's bytes: one string when the body is ASCII (the usual JSON), else one buffer. */
export function encodeRequest(req: WireRequest): string | Buffer {
  const method = req.method.toUpperCase();
  if (!HTTP_TOKEN.test(method)) throw new WireFailure(false, `"${method.slice(0, 20)}" is not an HTTP method`);
  let head = `${method} ${req.url.pathname}${req.url.search} HTTP/1.1\r\n`;
  let host = false;
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HTTP_TOKEN.test(name)) throw new WireFailure(false, `"${name.slice(0, 40)}" is not a header name`);
    // A value carried from an earlier answer must not split the request (CR, LF) or end it (NUL).
    if (BAD_VALUE.test(value)) throw new WireFailure(false, `the ${name} header's value holds a line break or NUL`);
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'transfer-encoding') continue;
    if (lower === 'host') host = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!host) head = `${head}host: ${req.url.host}\r\n`;
  const body = req.body;
  if (body === undefined) return `${head}${WITH_PAYLOAD.has(method) ? 'content-length: 0\r\n' : ''}\r\n`;
  const bytes = Buffer.byteLength(body, 'utf8');
  head += `content-length: ${bytes}\r\n\r\n`;
  // Equal lengths mean every character is ASCII, so latin1 writes the same bytes as UTF-8.
  return bytes === body.length ? head + body : Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'utf8')]);
}

/** One virtual user's connections, one per origin. One request at a time; `cancel` fails the one in flight. */
export class KeepAliveUser {
  readonly #connect: buildConnector.connector;
  readonly #timeoutMs: number;
  readonly #bodyCap: number;
  readonly #connections = new Map<string, Connection>();
  #opening: ((err: WireFailure) => void) | undefined;

  constructor(connect: buildConnector.connector, timeoutMs: number, bodyCap: number) {
    this.#connect = connect;
    this.#timeoutMs = timeoutMs;
    this.#bodyCap = bodyCap;
  }

  /** Open connections (for tests and the ramp's bookkeeping). */
  get connections(): number {
    return this.#connections.size;
  }

  /** Sends `req` (its bytes already encoded when given) and resolves with the answer; fails with a WireFailure. */
  request(req: WireRequest, payload?: string | Buffer): Promise<WireAnswer> {
    return new Promise((resolve, reject) => {
      let bytes: string | Buffer;
      try {
        bytes = payload ?? encodeRequest(req);
      } catch (err) {
        reject(err);
        return;
      }
      this.#dispatch({ resolve, reject, method: req.method.toUpperCase(), url: req.url, payload: bytes, retried: false });
    });
  }

  /** On the origin's kept-alive connection when there is a fresh one, else on a new one. */
  #dispatch(waiter: Waiter): void {
    const origin = waiter.url.origin;
    const conn = this.#connections.get(origin);
    if (conn && !conn.dead && performance.now() < conn.expiresAt) return this.#send(conn, waiter);
    if (conn) this.#drop(origin, conn);
    // A request that came on a fresh connection has no stale close to be retried for.
    waiter.retried = true;
    this.#open(origin, waiter.url).then((c) => this.#send(c, waiter), waiter.reject);
  }

  /** Fails the request in flight (its connection is closed: its answer would arrive for nobody). */
  cancel(reason: string): void {
    const failure = new WireFailure(false, reason);
    this.#opening?.(failure);
    for (const [origin, conn] of this.#connections) {
      if (conn.waiter) this.#fail(origin, conn, failure);
    }
  }

  /** Closes every connection. */
  close(): void {
    this.cancel('the client was closed');
    for (const [origin, conn] of this.#connections) this.#drop(origin, conn);
  }

  #open(origin: string, url: URL): Promise<Connection> {
    return new Promise((resolve, reject) => {
      let done = false;
      this.#opening = (err) => { done = true; this.#opening = undefined; reject(err); };
      this.#connect({ hostname: url.hostname, host: url.host, protocol: url.protocol, port: url.port }, (err, socket) => {
        if (done) { socket?.destroy(); return; }
        done = true;
        this.#opening = undefined;
        if (err || !socket) {
          const code = (err as { code?: string } | null)?.code ?? '';
          reject(new WireFailure(TIMEOUT_CODES.has(code), err?.message ?? 'no connection'));
          return;
        }
        resolve(this.#adopt(origin, socket as Socket));
      });
    });
  }

  #adopt(origin: string, socket: Socket): Connection {
    const conn: Connection = {
      socket, parser: new ResponseParser(this.#bodyCap), expiresAt: Infinity, used: false, dead: false, received: false,
    };
    socket.setNoDelay(true);
    // Idle in both directions for the run's timeout: an answer that stalls fails its request; an idle one is closed.
    socket.setTimeout(this.#timeoutMs);
    socket.on('data', (chunk: Buffer) => this.#data(origin, conn, chunk));
    socket.on('timeout', () => this.#fail(origin, conn, new WireFailure(true, `no answer within ${this.#timeoutMs} ms`)));
    socket.on('error', (err) => this.#lost(origin, conn, err.message));
    socket.on('close', () => this.#closed(origin, conn));
    this.#connections.set(origin, conn);
    return conn;
  }

  #send(conn: Connection, waiter: Waiter): void {
    conn.parser.expect(waiter.method);
    conn.received = false;
    conn.waiter = waiter;
    if (typeof waiter.payload === 'string') conn.socket.write(waiter.payload, 'latin1');
    else conn.socket.write(waiter.payload);
  }

  #data(origin: string, conn: Connection, chunk: Buffer): void {
    conn.received = true;
    let res: ParsedResponse | undefined;
    try {
      res = conn.parser.push(chunk);
    } catch (err) {
      this.#fail(origin, conn, new WireFailure(false, (err as Error).message));
      return;
    }
    if (res) this.#answer(origin, conn, res);
  }

  #answer(origin: string, conn: Connection, res: ParsedResponse): void {
    const waiter = conn.waiter;
    conn.waiter = undefined;
    conn.used = true;
    if (!res.keepAlive || res.truncated) this.#drop(origin, conn);
    else conn.expiresAt = performance.now() + (res.keepAliveMs !== undefined ? Math.max(0, res.keepAliveMs - KEEP_ALIVE_MARGIN_MS) : DEFAULT_KEEP_ALIVE_MS);
    waiter?.resolve({ status: res.status, headers: res.headers, body: res.body.toString('utf8') });
  }

  #closed(origin: string, conn: Connection): void {
    if (conn.waiter && conn.parser.busy && conn.received) {
      // A body that runs until the close ends here.
      let res: ParsedResponse | undefined;
      try {
        res = conn.parser.end();
      } catch (err) {
        this.#fail(origin, conn, new WireFailure(false, (err as Error).message));
        return;
      }
      this.#answer(origin, conn, res);
    }
    this.#lost(origin, conn, 'the server closed the connection');
  }

  /**
   * The connection broke. On a reused connection with no answer byte yet, the server closed it as we wrote: a request
   * that may be repeated goes again, once, on a new connection; any other fails.
   */
  #lost(origin: string, conn: Connection, why: string): void {
    const stale = conn.used && !conn.received;
    const waiter = conn.waiter;
    if (stale && waiter && !waiter.retried && IDEMPOTENT.has(waiter.method)) {
      conn.waiter = undefined;
      this.#drop(origin, conn);
      this.#dispatch(waiter);
      return;
    }
    this.#fail(origin, conn, new WireFailure(false, stale ? `${why} (a kept-alive connection, closed before any answer)` : why, stale));
  }

  #fail(origin: string, conn: Connection, err: WireFailure): void {
    const waiter = conn.waiter;
    conn.waiter = undefined;
    this.#drop(origin, conn);
    waiter?.reject(err);
  }

  #drop(origin: string, conn: Connection): void {
    conn.dead = true;
    if (this.#connections.get(origin) === conn) this.#connections.delete(origin);
    if (!conn.socket.destroyed) conn.socket.destroy();
  }
}
