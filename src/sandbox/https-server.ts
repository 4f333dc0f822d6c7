// Loopback web servers for tests, the demo and the benchmark: one HTTPS listener serving per-SNI certificates,
// one that still accepts TLS 1.0/1.1 for hosts that should, one plain-HTTP listener, and per-host routes
// (pages, redirect chains, loops, slow answers). `connectTo` gives the --connect-to rules that reach them.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { ServedCert } from './certs.js';

export interface SandboxRequest {
  scheme: 'http' | 'https';
  host: string;
  /** Path and query as requested. */
  path: string;
  method: string;
}

export interface RouteResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (a slow backend). */
  delayMs?: number;
}

export type Handler = (req: SandboxRequest) => RouteResponse;

export interface SandboxHost {
  /** What the HTTPS listener presents for this name; without it the host has no HTTPS (port 443 closed). */
  cert?: ServedCert;
  /** Served by the listener that also accepts TLS 1.0 and 1.1. */
  legacyTls?: boolean;
  https?: Handler;
  /** Plain-HTTP routes; 'closed' leaves port 80 closed. Default: 301 to the same URL on https://. */
  http?: Handler | 'closed';
}

export interface WebSandboxOptions {
  hosts: Record<string, SandboxHost>;
  host?: string;
}

export interface WebSandbox {
  address: string;
  httpsPort: number;
  legacyPort: number;
  httpPort: number;
  /** A port where nothing listens (closed 443 / 80). */
  closedPort: number;
  requests: SandboxRequest[];
  /** TCP connections the HTTPS listeners (modern and legacy) accepted so far: each is one handshake attempt. */
  tlsConnections(): number;
  /** --connect-to rules (HOST:443:ip:port and HOST:80:ip:port) for every host. */
  connectTo: string[];
  close(): Promise<void>;
}

// ------------------------------------------------------------------------------------------------------------
// Route helpers

export function redirect(location: string, status = 301, headers: Record<string, string> = {}): RouteResponse {
  return { status, headers: { location, ...headers }, body: '' };
}

export function page(html: string, headers: Record<string, string> = {}): RouteResponse {
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: html };
}

/** The same path and query on another origin. */
export const to = (origin: string, status = 301, headers: Record<string, string> = {}): Handler => (req) => redirect(`${origin}${req.path}`, status, headers);

export const HSTS_YEAR = { 'strict-transport-security': 'max-age=31536000; includeSubDomains' };

// The sandbox's certificates may be weak on purpose (1024-bit, SHA-1): the server must still load them.
const PERMISSIVE = 'DEFAULT@SECLEVEL=0';

function leafOnly(chainPem: string): string {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(chainPem)?.[0] ?? chainPem;
}

async function listen(server: net.Server, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => { server.off('error', reject); resolve(); });
  });
  return (server.address() as net.AddressInfo).port;
}

async function freePort(host: string): Promise<number> {
  const s = net.createServer();
  const port = await listen(s, host);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startWebSandbox(opts: WebSandboxOptions): Promise<WebSandbox> {
  const address = opts.host ?? '127.0.0.1';
  const hosts = new Map(Object.entries(opts.hosts).map(([k, v]) => [k.toLowerCase(), v]));
  const requests: SandboxRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const contexts = new Map<string, tls.SecureContext>();
  for (const [name, h] of hosts) {
    if (h.cert) contexts.set(name, tls.createSecureContext({ key: h.cert.keyPem, cert: h.cert.chainPem, ciphers: PERMISSIVE }));
  }
  const fallback = [...hosts.values()].find((h) => h.cert)?.cert;

  const handle = (scheme: 'http' | 'https') => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const entry: SandboxRequest = { scheme, host, path: req.url ?? '/', method: req.method ?? 'GET' };
    requests.push(entry);
    const h = hosts.get(host);
    const handler = scheme === 'https' ? h?.https : h?.http === 'closed' ? undefined : h?.http ?? to(`https://${host}`);
    const out: RouteResponse = handler ? handler(entry) : { status: 404, headers: { 'content-type': 'text/plain' }, body: `no site for ${host}\n` };
    const send = () => {
      res.writeHead(out.status, { 'content-length': Buffer.byteLength(out.body ?? ''), ...out.headers });
      res.end(out.body ?? '');
    };
    req.resume();
    if (out.delayMs) {
      const t = setTimeout(() => { timers.delete(t); if (!res.destroyed) send(); }, out.delayMs);
      timers.add(t);
    } else {
      send();
    }
  };

  const tlsOptions = (legacy: boolean): https.ServerOptions => ({
    // The default context carries the leaf alone: OpenSSL completes an SNI context's chain from the default
    // context's extra certificates, which would quietly repair a planted missing intermediate.
    ...(fallback ? { key: fallback.keyPem, cert: leafOnly(fallback.chainPem) } : {}),
    ciphers: PERMISSIVE,
    ...(legacy ? { minVersion: 'TLSv1' as const } : {}),
    SNICallback: (servername, cb) => cb(null, contexts.get(servername.toLowerCase())),
  });
  const servers: (http.Server | https.Server)[] = [];
  try {
    const modern = https.createServer(tlsOptions(false), handle('https'));
    servers.push(modern);
    const legacy = https.createServer(tlsOptions(true), handle('https'));
    servers.push(legacy);
    let tlsConnections = 0;
    for (const s of [modern, legacy]) s.on('connection', () => { tlsConnections++; });
    const plain = http.createServer(handle('http'));
    servers.push(plain);
    const [httpsPort, legacyPort, httpPort, closedPort] = [
      await listen(modern, address), await listen(legacy, address), await listen(plain, address), await freePort(address),
    ] as [number, number, number, number];
    const connectTo = [...hosts].flatMap(([name, h]) => [
      `${name}:443:${address}:${!h.cert ? closedPort : h.legacyTls ? legacyPort : httpsPort}`,
      `${name}:80:${address}:${h.http === 'closed' ? closedPort : httpPort}`,
    ]);
    return {
      address, httpsPort, legacyPort, httpPort, closedPort, requests, connectTo, tlsConnections: () => tlsConnections,
      close: async () => {
        for (const t of timers) clearTimeout(t);
        await Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
      },
    };
  } catch (err) {
    for (const s of servers) s.close();
    throw err;
  }
}
