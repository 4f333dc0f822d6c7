// The weak-network facts end to end on loopback: a large JSON feed served raw and gzipped, a server that closes
// every connection, and an h2 host beside an HTTP/1.1-only one, each fed to the check that judges it.
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import connectionReuse from '../../src/checks/latency/connection-reuse.js';
import http1Only from '../../src/checks/latency/http1-only.js';
import largePayload from '../../src/checks/latency/large-payload.js';
import uncompressedResponse from '../../src/checks/latency/uncompressed-response.js';
import { collectLatency } from '../../src/collect/latency/index.js';
import { prepareNetwork } from '../../src/collect/setup.js';
import { probeEndpoint } from '../../src/collect/tls/index.js';
import { EndpointSchema } from '../../src/config/schema.js';
import { targetEndpoint } from '../../src/config/target.js';
import type { TargetFacts } from '../../src/facts/index.js';
import type { LatencyFacts } from '../../src/facts/latency.js';
import { runCheck } from '../../src/run/audit.js';
import { issue, rsaKey } from '../../src/sandbox/certs.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { closeServer } from '../helpers/net-watch.js';

// 2,000 feed items: about 300 kB of JSON that gzips to a few tens of kB.
const FEED = Buffer.from(JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ id: i, title: `Post number ${i}`, body: 'A dog walked in the park today and met another dog.', likes: i % 17 })) }));
const FEED_GZ = gzipSync(FEED);

let dns: DnsSandbox;
let web: http.Server;
let h1: https.Server;
let h2: http2.Http2SecureServer;
const port = (s: { address(): AddressInfo | string | null }) => (s.address() as AddressInfo).port;

beforeAll(async () => {
  dns = await startDnsSandbox({ zones: [parseZone('$ORIGIN mob.test.\n$TTL 60\n@ SOA ns.mob.test. h.mob.test. ( 1 60 60 60 60 )\napi A 127.0.0.1\napp A 127.0.0.1\n')] });
  web = http.createServer((req, res) => {
    const json = { 'content-type': 'application/json; charset=utf-8' };
    if (req.url === '/feed-gzip' && /\bgzip\b/.test(String(req.headers['accept-encoding']))) {
      res.writeHead(200, { ...json, 'content-encoding': 'gzip', 'content-length': FEED_GZ.length }).end(FEED_GZ);
    } else if (req.url === '/close') {
      res.writeHead(200, { ...json, connection: 'close' }).end('{"ok":true}');
    } else {
      res.writeHead(200, { ...json, 'content-length': FEED.length }).end(FEED);
    }
  });
  const key = rsaKey();
  const now = Date.now();
  const cert = issue({ commonName: 'api.mob.test', altNames: ['api.mob.test', 'app.mob.test'], notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 30 * 86_400_000), key });
  const tlsOpts = { key: key.privatePem, cert: cert.certPem };
  h1 = https.createServer(tlsOpts, (_req, res) => res.end('ok'));
  h2 = http2.createSecureServer({ ...tlsOpts, allowHTTP1: true }, (_req, res) => res.end('ok'));
  await Promise.all([web, h1, h2].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))));
});

afterAll(async () => {
  await Promise.all([web, h1, h2].map(closeServer));
  await dns.close();
});

async function latency(paths: string[]): Promise<LatencyFacts> {
  const net = await prepareNetwork({ resolver: `${dns.address}:${dns.port}`, timeoutMs: 3000, concurrency: 4 });
  const controller = new AbortController();
  const target: TargetFacts = {
    domains: [], now: new Date().toISOString(), accept: [],
    endpoints: paths.map((p) => targetEndpoint(EndpointSchema.parse({ name: p.slice(1), url: `http://api.mob.test:${port(web)}${p}`, critical: true }))),
    latency: { samples: 4, warmup: 1 },
  };
  try {
    return await collectLatency(net.context(controller.signal), target);
  } finally {
    controller.abort();
  }
}

const judge = (check: unknown, facts: Record<string, unknown>) =>
  runCheck(check as AnyCheck, { target: { domains: [], now: new Date().toISOString(), accept: [] }, ...facts }, [], '2026-01-01');

describe('weak-network facts on loopback', () => {
  it('a raw JSON feed: measured and locally gzipped sizes, flagged; the gzipped one is silent', async () => {
    const facts = await latency(['/feed-raw', '/feed-gzip']);
    const [raw, gz] = facts.endpoints;
    expect(raw!.transfer).toEqual({ contentType: 'application/json', wireBytes: FEED.length, gzipBytes: expect.any(Number), truncated: false });
    expect(raw!.transfer!.gzipBytes).toBeLessThan(FEED.length / 4);
    // The request asked for gzip: the server that can compresses, and the wire size is the compressed one.
    expect(gz!.transfer).toEqual({ contentType: 'application/json', contentEncoding: 'gzip', wireBytes: FEED_GZ.length, truncated: false });
    expect(gz!.responseBytes).toBe(FEED_GZ.length);
    const r = judge(uncompressedResponse, { 'latency.endpoints': facts });
    expect(r.findings.map((f) => `${f.code} ${f.location.url}`)).toEqual([`uncompressed-core ${raw!.url}`]);
    expect(r.findings[0]!.message).toMatch(/without Content-Encoding.*gzipped it is \d+ kB: 1\.\d s less to transfer on 3G/);
    // 300 kB raw, a few tens of kB gzipped: under the payload budget either way.
    expect(judge(largePayload, { 'latency.endpoints': facts }).findings).toEqual([]);
    // Both kept their connection alive.
    // undici may open a second socket while the first is being released: reuse is any request on an open one.
    expect(raw!.connections).toMatchObject({ requests: 6, closeHeader: false });
    expect(raw!.connections!.newConnections).toBeLessThan(6);
    expect(judge(connectionReuse, { 'latency.endpoints': facts }).findings).toEqual([]);
  });

  it('a server that closes after each response: every request opens a connection, flagged', async () => {
    const facts = await latency(['/close']);
    expect(facts.endpoints[0]!.connections).toMatchObject({ requests: 6, newConnections: 6, closeHeader: true });
    const r = judge(connectionReuse, { 'latency.endpoints': facts });
    expect(r.findings.map((f) => f.code)).toEqual(['no-keep-alive']);
    expect(r.findings[0]!.message).toMatch(/6 of 6 sequential requests \(the server sends Connection: close\)/);
  });

  it('ALPN: the h2 host is silent, the HTTP/1.1-only one is noted', async () => {
    const probe = async (server: { address(): AddressInfo | string | null }, label: string) => {
      const net = await prepareNetwork({ resolver: `${dns.address}:${dns.port}`, timeoutMs: 3000, concurrency: 4, connectTo: [`${label}.mob.test:443:127.0.0.1:${port(server)}`] });
      const controller = new AbortController();
      try {
        return await probeEndpoint(net.context(controller.signal), { name: `${label}.mob.test`, domain: 'mob.test', label, declared: true });
      } finally {
        controller.abort();
      }
    };
    const [api, app] = [await probe(h1, 'api'), await probe(h2, 'app')];
    expect([api.status, app.status]).toEqual(['ok', 'ok']);
    expect(app.alpn).toBe('h2');
    expect(api.alpn).not.toBe('h2');
    const r = judge(http1Only, { 'tls.endpoints': [api, app] });
    expect(r.findings.map((f) => `${f.code} ${f.location.host}`)).toEqual(['no-h2 api.mob.test']);
  });
});
