// The one HTTP fetch against loopback servers this test starts: body cap, per-step deadline and the run's signal,
// redirect policies, masked Set-Cookie, timing phases, error kinds, the one User-Agent, names resolved only through
// the DNS sandbox (never the system resolver), --connect-to, and the loopback guard refusing before any packet.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectContext } from '../../src/collect/context.js';
import {
  createHttpClient, httpFetch, isFetchFailure, USER_AGENT, type FetchFailure, type FetchResponse, type FetchResult,
} from '../../src/collect/http/fetch.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import { CertFactory } from '../../src/sandbox/certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { closeServer, watchConnects, watchSystemLookups } from '../helpers/net-watch.js';

const Z = 'fetch.test';
// Assembled at run time: the repository never holds a live-looking session value.
const SESSION = ['sess', 'live', 'a9f3'.repeat(6)].join('_');

interface Seen { path: string; method: string; host: string; headers: http.IncomingHttpHeaders }

let dnsServer: DnsSandbox;
let plain: http.Server;
let secure: https.Server;
let resetter: net.Server;
let plainPort: number;
let securePort: number;
let resetPort: number;
let caFile: string;
const seen: Seen[] = [];
const hanging = new Set<http.ServerResponse>();

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = req.url ?? '/';
  seen.push({ path, method: req.method ?? 'GET', host: req.headers.host ?? '', headers: req.headers });
  req.resume();
  const other = `http://other.${Z}:${plainPort}`;
  if (path === '/big') return void res.end('a'.repeat(200_000));
  if (path === '/exact') return void res.end('b'.repeat(1000));
  if (path === '/hang') { hanging.add(res); return; }
  if (path === '/stall-body') { res.writeHead(200, { 'content-length': '100' }); res.write('x'); hanging.add(res); return; }
  if (path === '/cookies') {
    res.writeHead(200, { 'set-cookie': [`session=${SESSION}; Path=/; HttpOnly; Secure`, 'theme=dark; Path=/'], 'content-type': 'text/plain' });
    return void res.end('ok');
  }
  if (path === '/r1') { res.writeHead(302, { location: '/r2' }); return void res.end('moved'); }
  if (path === '/r2') { res.writeHead(301, { location: `http://${req.headers.host}/final` }); return void res.end(); }
  if (path === '/loop') { res.writeHead(302, { location: '/loop' }); return void res.end(); }
  if (path === '/elsewhere') { res.writeHead(307, { location: `${other}/final` }); return void res.end(); }
  if (path === '/see-other') { res.writeHead(303, { location: '/final' }); return void res.end(); }
  if (path === '/bad-location') { res.writeHead(301, { location: 'mailto:x@example.com' }); return void res.end(); }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`final ${req.method}`);
}

beforeAll(async () => {
  dnsServer = await startDnsSandbox({
    zones: [parseZone([
      `$ORIGIN ${Z}.`, '$TTL 60', `@ SOA ns1.${Z}. h.${Z}. ( 1 60 60 60 60 )`,
      'only A 127.0.0.1', 'other A 127.0.0.1', 'tls A 127.0.0.1',
      'far A 192.0.2.10', // TEST-NET-1: must never be connected to
      'mute A 127.0.0.1', // its queries go unanswered (below): a lookup still in flight
    ].join('\n'))],
  });
  dnsServer.setFault(`mute.${Z}`, { drop: true });
  const certs = new CertFactory();
  const leaf = certs.leaf(`tls.${Z}`);
  caFile = join(mkdtempSync(join(tmpdir(), 'lr-fetch-')), 'root.pem');
  writeFileSync(caFile, certs.caPem);
  plain = http.createServer(route);
  secure = https.createServer({ key: leaf.keyPem, cert: leaf.chainPem }, route);
  resetter = net.createServer((s) => s.destroy());
  const listen = (s: net.Server) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
  [plainPort, securePort, resetPort] = await Promise.all([listen(plain), listen(secure), listen(resetter)]);
});

afterAll(async () => {
  for (const r of hanging) r.destroy();
  await Promise.all([closeServer(plain), closeServer(secure), closeServer(resetter)]);
  await dnsServer?.close();
});

async function context(opts: { timeoutMs?: number; connectTo?: string[]; resolver?: string; ca?: string } = {}): Promise<{ ctx: CollectContext; abort: () => void }> {
  const net = await prepareNetwork({
    resolver: opts.resolver ?? `${dnsServer.address}:${dnsServer.port}`,
    connectTo: opts.connectTo ?? [],
    timeoutMs: opts.timeoutMs ?? 3000,
    concurrency: 8,
    loopbackOnly: true,
    ...(opts.ca ? { ca: opts.ca } : {}),
  });
  const controller = new AbortController();
  return { ctx: net.context(controller.signal), abort: () => controller.abort() };
}

async function fetchWith(url: string, req: Omit<Parameters<typeof httpFetch>[1], 'url'> = {}, opts: Parameters<typeof context>[0] = {}): Promise<FetchResult> {
  const { ctx, abort } = await context(opts);
  try {
    return await httpFetch(ctx, { url, ...req });
  } finally {
    abort();
  }
}

function ok(r: FetchResult): FetchResponse {
  if (isFetchFailure(r)) throw new Error(`expected an answer, got ${r.error.kind}: ${r.error.message}`);
  return r;
}

function failed(r: FetchResult): FetchFailure {
  if (!isFetchFailure(r)) throw new Error(`expected a failure, got HTTP ${r.status}`);
  return r;
}

const at = (path: string, host = `only.${Z}`) => `http://${host}:${plainPort}${path}`;

describe('httpFetch: body cap', () => {
  it('keeps the body up to the cap, marks it truncated and stops the transfer', async () => {
    const r = ok(await fetchWith(at('/big'), { read: { maxBytes: 10_000 } }));
    expect(r).toMatchObject({ status: 200, bodyBytes: 10_000, truncated: true });
    expect(r.body.length).toBe(10_000);
  });

  it('a body of exactly the cap is whole, not truncated', async () => {
    const r = ok(await fetchWith(at('/exact'), { read: { maxBytes: 1000 } }));
    expect(r).toMatchObject({ bodyBytes: 1000, truncated: false });
  });

  it('counts without keeping when asked, and decides from status and headers when given a function', async () => {
    const counted = ok(await fetchWith(at('/big'), { read: { maxBytes: 50_000, keep: false } }));
    expect(counted).toMatchObject({ bodyBytes: 50_000, truncated: true });
    expect(counted.body.length).toBe(0);
    const heads: number[] = [];
    const decided = ok(await fetchWith(at('/cookies'), { read: (head) => { heads.push(head.status); return { maxBytes: /text/.test(head.headers['content-type'] ?? '') ? 10 : 0 }; } }));
    expect(heads).toEqual([200]);
    expect(decided.body.toString()).toBe('ok');
  });

  it('reads 64 KiB by default', async () => {
    const r = ok(await fetchWith(at('/big')));
    expect(r).toMatchObject({ bodyBytes: 64 * 1024, truncated: true });
  });
});

describe('httpFetch: deadlines', () => {
  it('a server that never answers is a timeout value after the per-step deadline', async () => {
    const r = failed(await fetchWith(at('/hang'), {}, { timeoutMs: 200 }));
    expect(r.error).toMatchObject({ kind: 'timeout', message: 'no answer within 200 ms' });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(190);
  });

  it('a body that stalls after the headers times out too', async () => {
    const r = failed(await fetchWith(at('/stall-body'), {}, { timeoutMs: 200 }));
    expect(r.error.kind).toBe('timeout');
  });

  it('a request can set its own deadline below the run\'s', async () => {
    const r = failed(await fetchWith(at('/hang'), { timeoutMs: 150 }, { timeoutMs: 10_000 }));
    expect(r.error).toMatchObject({ kind: 'timeout', message: 'no answer within 150 ms' });
  });

  it('the run\'s signal ends a request in flight', async () => {
    const { ctx, abort } = await context({ timeoutMs: 10_000 });
    const pending = httpFetch(ctx, { url: at('/hang') });
    setTimeout(abort, 100);
    expect(failed(await pending).error).toEqual({ kind: 'aborted', message: 'the run\'s deadline passed' });
  });

  it('the run\'s signal during the host\'s lookup is the run\'s end, not a DNS failure', async () => {
    const { ctx, abort } = await context({ timeoutMs: 10_000 });
    const pending = httpFetch(ctx, { url: `http://mute.${Z}:${plainPort}/` });
    setTimeout(abort, 100);
    expect(failed(await pending).error).toEqual({ kind: 'aborted', message: 'the run\'s deadline passed' });
  });
});

describe('httpFetch: redirect policies', () => {
  it('manual (the default): a 3xx is the answer, with its Location resolved; nothing is followed', async () => {
    const before = seen.length;
    const r = ok(await fetchWith(at('/r1')));
    expect(r).toMatchObject({ status: 302, location: '/r2', locationUrl: at('/r2'), redirects: [] });
    expect(seen.slice(before).map((s) => s.path)).toEqual(['/r1']);
  });

  it('a Location that is not http(s) is kept without a locationUrl', async () => {
    const r = ok(await fetchWith(at('/bad-location')));
    expect(r.location).toBe('mailto:x@example.com');
    expect(r.locationUrl).toBeUndefined();
  });

  it('follow-with-limit walks the chain and says where it went', async () => {
    const r = ok(await fetchWith(at('/r1'), { redirect: { follow: 5 } }));
    expect(r).toMatchObject({ status: 200, url: at('/final'), redirects: [at('/r1'), at('/r2')] });
    expect(r.body.toString()).toBe('final GET');
  });

  it('past the limit the chain is a too-many-redirects value, after exactly limit + 1 requests', async () => {
    const before = seen.length;
    const r = failed(await fetchWith(at('/loop'), { redirect: { follow: 3 } }));
    expect(r.error.kind).toBe('too-many-redirects');
    expect(r.redirects).toHaveLength(3);
    expect(seen.slice(before).filter((s) => s.path === '/loop')).toHaveLength(4);
  });

  it('a POST becomes a GET on 303, and credentials never follow to another origin', async () => {
    const seeOther = ok(await fetchWith(at('/see-other'), { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' }, redirect: { follow: 2 } }));
    expect(seeOther.body.toString()).toBe('final GET');
    const before = seen.length;
    const moved = ok(await fetchWith(at('/elsewhere'), { headers: { authorization: 'Bearer t0', 'x-tenant': 't1' }, redirect: { follow: 2 } }));
    expect(moved.url).toBe(at('/final', `other.${Z}`));
    const [first, second] = seen.slice(before);
    expect(first!.headers).toMatchObject({ authorization: 'Bearer t0', 'x-tenant': 't1' });
    expect(second!.host).toBe(`other.${Z}:${plainPort}`);
    expect(second!.headers.authorization).toBeUndefined();
    expect(second!.headers['x-tenant']).toBe('t1');
  });
});

describe('httpFetch: what is recorded', () => {
  it('masks every Set-Cookie value, keeping names and attributes', async () => {
    const r = ok(await fetchWith(at('/cookies')));
    expect(r.cookies).toHaveLength(2);
    expect(r.cookies[0]).toMatch(/^session=.+; Path=\/; HttpOnly; Secure$/);
    expect(r.cookies[1]).toMatch(/^theme=.*; Path=\/$/);
    const { body: _body, ...recorded } = r;
    expect(JSON.stringify(recorded)).not.toContain(SESSION);
    expect(r.headers['set-cookie']).toContain('session=');
  });

  it('unmaskedHeaders keeps the values a flow carries forward, as the server sent them', async () => {
    const r = ok(await fetchWith(at('/cookies'), { unmaskedHeaders: true }));
    expect(r.headers['set-cookie']).toContain(`session=${SESSION}`);
  });

  it('splits timing: a new connection resolves and connects, a kept-alive one does neither', async () => {
    const { ctx, abort } = await context();
    try {
      const cold = ok(await httpFetch(ctx, { url: at('/final') })).timing;
      // undici may open a second socket for the very next request (the first one is released a tick late): the
      // kept-alive request is the first that reports reuse, within a few.
      let warm = ok(await httpFetch(ctx, { url: at('/final') })).timing;
      for (let i = 0; i < 3 && !warm.reused; i++) warm = ok(await httpFetch(ctx, { url: at('/final') })).timing;
      expect(cold.reused).toBe(false);
      expect(cold.dns).toBeGreaterThan(0);
      expect(cold.connect).toBeGreaterThan(0);
      expect(cold.tls).toBe(0);
      expect(warm).toMatchObject({ reused: true, dns: 0, connect: 0, tls: 0 });
      for (const t of [cold, warm]) {
        expect(t.ttfb).toBeGreaterThan(0);
        expect(t.download).toBeGreaterThanOrEqual(0);
        expect(t.total).toBeGreaterThanOrEqual(t.dns + t.connect + t.tls + t.ttfb);
      }
    } finally {
      abort();
    }
  });

  it('an HTTPS request has a TLS phase; a judging client records the certificate verdict against --ca', async () => {
    const url = `https://tls.${Z}:${securePort}/final`;
    const audit = ok(await fetchWith(url));
    expect(audit.timing.tls).toBeGreaterThan(0);
    expect(audit.certificate).toBeUndefined();
    for (const [ca, valid] of [[caFile, true], [undefined, false]] as const) {
      const { ctx, abort } = await context(ca ? { ca } : {});
      const client = createHttpClient(ctx, { certificates: 'judge' });
      try {
        const r = ok(await httpFetch(ctx, { url, client }));
        expect(r.status).toBe(200);
        expect(r.certificate?.valid).toBe(valid);
        if (!valid) expect(r.certificate?.error).toMatch(/[A-Z_]{8,}/);
      } finally {
        await client.destroy();
        abort();
      }
    }
  });

  it('sends the one User-Agent, unless the request configures its own', async () => {
    const before = seen.length;
    ok(await fetchWith(at('/final')));
    ok(await fetchWith(at('/final'), { headers: { 'User-Agent': 'custom/1' } }));
    const [ours, theirs] = seen.slice(before);
    expect(ours!.headers['user-agent']).toBe(USER_AGENT);
    expect(theirs!.headers['user-agent']).toBe('custom/1');
  });

  it('failures are values with a kind: reset, tls, invalid URL', async () => {
    expect(failed(await fetchWith(`http://127.0.0.1:${resetPort}/`)).error.kind).toBe('reset');
    expect(failed(await fetchWith(`https://only.${Z}:${plainPort}/`)).error.kind).toBe('tls');
    expect(failed(await fetchWith('ftp://only.fetch.test/')).error).toEqual({ kind: 'invalid-url', message: 'not a valid http(s) URL' });
  });
});

describe('httpFetch: every name through the run\'s resolver, every destination through the guard', () => {
  it('resolves a name only the DNS sandbox knows, and never calls the system resolver', async () => {
    const { names, restore } = watchSystemLookups();
    const before = dnsServer.queries.length;
    let r: FetchResult;
    try {
      r = await fetchWith(at('/final'));
    } finally {
      restore();
    }
    expect(ok(r).status).toBe(200);
    expect(names).toEqual([]);
    expect(dnsServer.queries.slice(before).map((q) => `${q.name} ${q.type}`)).toEqual(expect.arrayContaining([`only.${Z} A`, `only.${Z} AAAA`]));
  });

  it('the same name through another resolver does not resolve: the answer came from ours alone', async () => {
    const empty = await startDnsSandbox({ zones: [parseZone('$ORIGIN elsewhere.test.\n$TTL 60\n@ SOA ns1.elsewhere.test. h.elsewhere.test. ( 1 60 60 60 60 )\n')] });
    try {
      const before = seen.length;
      const r = failed(await fetchWith(at('/final'), {}, { resolver: `${empty.address}:${empty.port}`, timeoutMs: 500 }));
      expect(['no-address', 'dns-failure']).toContain(r.error.kind);
      expect(seen.length).toBe(before);
    } finally {
      await empty.close();
    }
  });

  it('--connect-to sends the bytes elsewhere and keeps the name (Host); its target name is resolved by us too', async () => {
    const before = dnsServer.queries.length;
    const seenBefore = seen.length;
    const r = ok(await fetchWith('http://shop.example/final', {}, { connectTo: [`shop.example:80:other.${Z}:${plainPort}`] }));
    expect(r.status).toBe(200);
    expect(seen.slice(seenBefore)[0]!.host).toBe('shop.example');
    expect(dnsServer.queries.slice(before).map((q) => `${q.name} ${q.type}`)).toContain(`other.${Z} A`);
  });

  it('the loopback guard refuses a non-loopback address before any socket is opened', async () => {
    const { targets: connects, restore } = watchConnects();
    let results: FetchResult[];
    try {
      results = [
        await fetchWith(`http://far.${Z}/`),
        await fetchWith('http://192.0.2.10/'),
        await fetchWith(`http://only.${Z}/`, {}, { connectTo: [`only.${Z}:80:192.0.2.10:80`] }),
      ];
    } finally {
      restore();
    }
    for (const r of results) expect(failed(r).error).toMatchObject({ kind: 'forbidden', message: /refusing to connect to 192\.0\.2\.10: loopback-only mode is on/ });
    expect(connects).toEqual([]);
  });
});

describe('one fetch for the product', () => {
  it('undici is imported only by the fetch, its pool setup and the load generator', () => {
    const root = join(import.meta.dirname, '../../src');
    const importers = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from\s+['"]undici['"]|import\(\s*['"]undici['"]\s*\)|require\(\s*['"]undici['"]\s*\)/.test(readFileSync(join(root, f), 'utf8')))
      .map((f) => relative(root, join(root, f)).split('\\').join('/'))
      .filter((f) => !f.startsWith('collect/load/'));
    expect(importers.sort()).toEqual(['collect/http/agent.ts', 'collect/http/fetch.ts']);
  });
});
