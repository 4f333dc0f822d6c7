// The flow ramp's keep-alive client against servers this test starts on loopback: one connection per user and origin
// reused across requests (HTTP and TLS), the request's bytes as written, names through the DNS sandbox only, the
// guard before any socket, --connect-to, a kept-alive connection the server closed (a read retried, a write not),
// the server's Keep-Alive hint, Connection: close, timeouts, cancel, and header values that would split a request.
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector } from '../../src/collect/http/agent.js';
import { KeepAliveUser, WireFailure, encodeRequest } from '../../src/collect/load/wire.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import { CertFactory } from '../../src/sandbox/certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { closeServer, watchConnects, watchSystemLookups } from '../helpers/net-watch.js';

const Z = 'wire.test';
const CAP = 1024;

interface Seen { method: string; path: string; host: string; headers: http.IncomingHttpHeaders; body: string; connection: number }

let dnsServer: DnsSandbox;
let plain: http.Server;
let secure: https.Server;
let raw: net.Server;
let plainPort = 0;
let securePort = 0;
let rawPort = 0;
const seen: Seen[] = [];
const hanging = new Set<http.ServerResponse>();
let connections = 0;
const sockets = new WeakMap<net.Socket, number>();

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '/';
    seen.push({ method: req.method ?? '', path, host: req.headers.host ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), connection: sockets.get(req.socket) ?? -1 });
    if (path === '/hang') { hanging.add(res); return; }
    if (path === '/close') { res.writeHead(200, { connection: 'close', 'content-type': 'text/plain' }); res.end('bye'); return; }
    if (path === '/hint') { res.writeHead(200, { 'keep-alive': 'timeout=1', 'content-length': '4' }); res.end('hint'); return; }
    if (path === '/big') { res.end('z'.repeat(CAP * 4)); return; }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, path }));
  });
}

function countConnections(server: net.Server): void {
  server.on('connection', (s: net.Socket) => { sockets.set(s, ++connections); });
  // TLS servers hand the request a TLSSocket over the TCP one: number it too.
  server.on('secureConnection', (s: net.Socket) => { sockets.set(s, connections); });
}

/**
 * A server written by hand: per connection, the first request is answered with a kept-alive 200; on the second the
 * connection is closed without a byte (the race every keep-alive client meets); an answer without length on /eof.
 */
const rawSeen: string[] = [];
function rawServer(): net.Server {
  return net.createServer((s) => {
    let n = 0;
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      let end: number;
      while ((end = buf.indexOf('\r\n\r\n')) !== -1) {
        const head = buf.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        buf = buf.slice(end + 4 + length);
        rawSeen.push(head.split('\r\n')[0]!);
        n++;
        if (head.startsWith('GET /eof')) { s.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil the end'); return; }
        if (n === 1) s.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfirst');
        else { s.destroy(); return; }
      }
    });
  });
}

const listen = (s: net.Server) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

beforeAll(async () => {
  dnsServer = await startDnsSandbox({
    zones: [parseZone([
      `$ORIGIN ${Z}.`, '$TTL 60', `@ SOA ns1.${Z}. h.${Z}. ( 1 60 60 60 60 )`,
      'api A 127.0.0.1', 'tls A 127.0.0.1', 'raw A 127.0.0.1', 'other A 127.0.0.1',
      'far A 192.0.2.10', // TEST-NET-1: must never be connected to
    ].join('\n'))],
  });
  const certs = new CertFactory();
  const leaf = certs.leaf(`tls.${Z}`);
  plain = http.createServer(route);
  plain.keepAliveTimeout = 30_000;
  secure = https.createServer({ key: leaf.keyPem, cert: leaf.chainPem }, route);
  secure.keepAliveTimeout = 30_000;
  raw = rawServer();
  countConnections(plain);
  countConnections(secure);
  [plainPort, securePort, rawPort] = await Promise.all([listen(plain), listen(secure), listen(raw)]);
});

afterAll(async () => {
  for (const r of hanging) r.destroy();
  await Promise.all([closeServer(plain), closeServer(secure), closeServer(raw)]);
  await dnsServer?.close();
});

async function user(opts: { timeoutMs?: number; connectTo?: string[] } = {}): Promise<{ u: KeepAliveUser; done: () => void }> {
  const network = await prepareNetwork({
    resolver: `${dnsServer.address}:${dnsServer.port}`, connectTo: opts.connectTo ?? [], timeoutMs: opts.timeoutMs ?? 3000, concurrency: 4, loopbackOnly: true,
  });
  const controller = new AbortController();
  const ctx = network.context(controller.signal);
  const u = new KeepAliveUser(createConnector(ctx), ctx.timeoutMs, CAP);
  return { u, done: () => { u.close(); controller.abort(); } };
}

const get = (u: KeepAliveUser, url: string, headers: Record<string, string> = {}) => u.request({ method: 'GET', url: new URL(url), headers });

async function failure(p: Promise<unknown>): Promise<WireFailure> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WireFailure);
  return err as WireFailure;
}

describe('one kept-alive connection per user and origin', () => {
  it.each([
    ['HTTP', () => `http://api.${Z}:${plainPort}`],
    ['TLS', () => `https://tls.${Z}:${securePort}`],
  ])('%s: ten requests, one connection; a second user opens its own', async (_name, origin) => {
    const a = await user();
    const b = await user();
    try {
      const before = seen.length;
      for (let i = 0; i < 10; i++) {
        const res = await get(a.u, `${origin()}/item/${i}?q=${i}`);
        expect(res.status).toBe(200);
        expect(JSON.parse(res.body)).toEqual({ method: 'GET', path: `/item/${i}?q=${i}` });
      }
      expect((await get(b.u, `${origin()}/other`)).status).toBe(200);
      const mine = seen.slice(before);
      expect(mine).toHaveLength(11);
      expect(new Set(mine.slice(0, 10).map((s) => s.connection)).size).toBe(1);
      expect(mine[10]!.connection).not.toBe(mine[0]!.connection);
      expect(a.u.connections).toBe(1);
    } finally {
      a.done();
      b.done();
    }
  });

  it('writes the request as given: method, path and query, Host with its port, headers, a UTF-8 body and its length', async () => {
    const { u, done } = await user();
    try {
      const before = seen.length;
      const body = JSON.stringify({ name: 'Zoë', note: '✓ 東京' });
      const res = await u.request({ method: 'POST', url: new URL(`http://api.${Z}:${plainPort}/login?next=%2Fhome`), headers: { authorization: 'Bearer t0k', 'content-type': 'application/json' }, body });
      expect(res.status).toBe(200);
      const s = seen[before]!;
      expect(s).toMatchObject({ method: 'POST', path: '/login?next=%2Fhome', host: `api.${Z}:${plainPort}`, body });
      expect(s.headers).toMatchObject({ authorization: 'Bearer t0k', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      // A POST without a body says so; a GET sends no length at all.
      await u.request({ method: 'POST', url: new URL(`http://api.${Z}:${plainPort}/empty`), headers: {} });
      expect(seen[before + 1]!.headers['content-length']).toBe('0');
      await get(u, `http://api.${Z}:${plainPort}/plain`);
      expect(seen[before + 2]!.headers['content-length']).toBeUndefined();
    } finally {
      done();
    }
  });

  it('a body over the cap is cut to it, and the next request still gets its answer', async () => {
    const { u, done } = await user();
    try {
      expect((await get(u, `http://api.${Z}:${plainPort}/big`)).body).toBe('z'.repeat(CAP));
      expect(JSON.parse((await get(u, `http://api.${Z}:${plainPort}/after`)).body).path).toBe('/after');
    } finally {
      done();
    }
  });
});

describe('names and destinations', () => {
  it('resolves names through the DNS sandbox only, never the system resolver', async () => {
    const { names, restore } = watchSystemLookups();
    const { u, done } = await user();
    const before = dnsServer.queries.length;
    try {
      expect((await get(u, `http://api.${Z}:${plainPort}/dns`)).status).toBe(200);
      expect((await get(u, `https://tls.${Z}:${securePort}/dns`)).status).toBe(200);
    } finally {
      restore();
      done();
    }
    expect(names).toEqual([]);
    expect(dnsServer.queries.slice(before).map((q) => `${q.name} ${q.type}`)).toEqual(expect.arrayContaining([`api.${Z} A`, `tls.${Z} A`]));
  });

  it('the loopback guard refuses a non-loopback address before any socket is opened', async () => {
    const { targets: connects, restore } = watchConnects();
    const { u, done } = await user();
    try {
      const err = await failure(get(u, `http://far.${Z}:${plainPort}/`));
      expect(err.message).toMatch(/192\.0\.2\.10/);
      expect(err.timeout).toBe(false);
    } finally {
      restore();
      done();
    }
    expect(connects).toEqual([]);
  });

  it('--connect-to sends the bytes elsewhere and keeps the name in Host', async () => {
    const { u, done } = await user({ connectTo: [`shop.example:80:other.${Z}:${plainPort}`] });
    try {
      const before = seen.length;
      expect((await get(u, 'http://shop.example/cart')).status).toBe(200);
      expect(seen[before]).toMatchObject({ host: 'shop.example', path: '/cart' });
    } finally {
      done();
    }
  });
});

describe('connections the server ends', () => {
  it('a kept-alive connection closed without an answer: a GET is retried once on a new one, a POST is not', async () => {
    const origin = `http://raw.${Z}:${rawPort}`;
    const { u, done } = await user();
    try {
      rawSeen.length = 0;
      expect((await get(u, `${origin}/a`)).body).toBe('first');
      // The server drops the kept-alive connection on this second request; the GET goes again on a new connection.
      expect((await get(u, `${origin}/b`)).body).toBe('first');
      expect(rawSeen).toEqual(['GET /a HTTP/1.1', 'GET /b HTTP/1.1', 'GET /b HTTP/1.1']);
      // A write could have been carried out before the close: it fails rather than being sent twice.
      const err = await failure(u.request({ method: 'POST', url: new URL(`${origin}/pay`), headers: {}, body: '{}' }));
      expect(err.message).toMatch(/kept-alive connection, closed before any answer/);
      expect(rawSeen.filter((l) => l.startsWith('POST'))).toEqual(['POST /pay HTTP/1.1']);
    } finally {
      done();
    }
  });

  it('an answer without length ends with the connection', async () => {
    const { u, done } = await user();
    try {
      const res = await get(u, `http://raw.${Z}:${rawPort}/eof`);
      expect(res.body).toBe('until the end');
      expect(u.connections).toBe(0);
    } finally {
      done();
    }
  });

  it('Connection: close and a Keep-Alive timeout of 1 s each make the next request open a new connection', async () => {
    const { u, done } = await user();
    try {
      for (const path of ['/close', '/hint']) {
        const before = seen.length;
        await get(u, `http://api.${Z}:${plainPort}${path}`);
        await get(u, `http://api.${Z}:${plainPort}/next`);
        expect(seen[before + 1]!.connection, path).not.toBe(seen[before]!.connection);
      }
    } finally {
      done();
    }
  });
});

describe('time, cancel and refusals', () => {
  it('an answer that does not come within the timeout fails as a timeout', async () => {
    const { u, done } = await user({ timeoutMs: 300 });
    try {
      const err = await failure(get(u, `http://api.${Z}:${plainPort}/hang`));
      expect(err.timeout).toBe(true);
      expect((await get(u, `http://api.${Z}:${plainPort}/then`)).status).toBe(200);
    } finally {
      done();
    }
  });

  it('cancel fails the request in flight (not as a timeout), and the user can go on', async () => {
    const { u, done } = await user();
    try {
      const pending = get(u, `http://api.${Z}:${plainPort}/hang`);
      await new Promise((r) => setTimeout(r, 100));
      u.cancel('the load step ended');
      const err = await failure(pending);
      expect(err).toMatchObject({ timeout: false, message: 'the load step ended' });
      expect((await get(u, `http://api.${Z}:${plainPort}/again`)).status).toBe(200);
    } finally {
      done();
    }
  });

  it.each([
    ['a CR LF in a value carried from an answer', { authorization: 'Bearer x\r\nX-Injected: 1' }, /line break or NUL/],
    ['a NUL', { 'x-id': 'a\0b' }, /line break or NUL/],
    ['a header name with a space', { 'bad name': 'v' }, /not a header name/],
  ])('refuses %s, and sends nothing', async (_name, headers, message) => {
    const { u, done } = await user();
    try {
      const before = seen.length;
      const err = await failure(get(u, `http://api.${Z}:${plainPort}/x`, headers));
      expect(err.message).toMatch(message);
      expect(seen.length).toBe(before);
    } finally {
      done();
    }
  });

  it('encodes an ASCII request as one string and anything else as UTF-8 bytes, Content-Length in bytes', () => {
    const url = new URL('http://h.example:8080/p?q=1');
    expect(encodeRequest({ method: 'post', url, headers: { 'x-a': '1' }, body: '{"a":1}' }))
      .toBe('POST /p?q=1 HTTP/1.1\r\nx-a: 1\r\nhost: h.example:8080\r\ncontent-length: 7\r\n\r\n{"a":1}');
    const utf8 = encodeRequest({ method: 'PUT', url, headers: { Host: 'other.example', 'Content-Length': '999' }, body: 'é' });
    expect(Buffer.isBuffer(utf8)).toBe(true);
    expect(utf8.toString()).toBe('PUT /p?q=1 HTTP/1.1\r\nHost: other.example\r\ncontent-length: 2\r\n\r\né');
  });
});
