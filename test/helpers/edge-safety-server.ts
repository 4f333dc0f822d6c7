// A loopback web server for the edge-safety tests: HTTPS (per-SNI certificates) and plain HTTP, per-host handlers
// that see the request's headers and body (CORS needs the Origin, the rate limiter counts logins), and responses
// that may repeat Set-Cookie. `connectTo` gives the --connect-to rules that reach it.
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import tls from 'node:tls';
import { CertFactory } from '../../src/sandbox/certs.js';

export interface EdgeRequest {
  scheme: 'http' | 'https';
  host: string;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface EdgeReply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

export type EdgeHandler = (req: EdgeRequest) => EdgeReply;

export interface EdgeSafetyServer {
  requests: EdgeRequest[];
  connectTo: string[];
  close(): Promise<void>;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

/** Plain HTTP always redirects to HTTPS (the redirect checks are not under test here). */
export async function startEdgeSafetyServer(hosts: Record<string, EdgeHandler>): Promise<EdgeSafetyServer> {
  const certs = new CertFactory();
  const contexts = new Map<string, tls.SecureContext>();
  let fallback: { keyPem: string; chainPem: string } | undefined;
  for (const name of Object.keys(hosts)) {
    const c = certs.leaf(name);
    fallback ??= c;
    contexts.set(name, tls.createSecureContext({ key: c.keyPem, cert: c.chainPem }));
  }
  const requests: EdgeRequest[] = [];
  const handle = (scheme: 'http' | 'https') => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size <= 64 * 1024) chunks.push(c); });
    req.on('end', () => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      const entry: EdgeRequest = { scheme, host, method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(entry);
      const handler = hosts[host];
      const out: EdgeReply = scheme === 'http'
        ? { status: 301, headers: { location: `https://${host}${entry.path}` } }
        : handler ? handler(entry) : { status: 404, body: 'no such site' };
      const body = out.body ?? '';
      res.writeHead(out.status, { 'content-length': Buffer.byteLength(body), ...out.headers });
      res.end(body);
    });
  };
  const secure = https.createServer({ key: fallback!.keyPem, cert: fallback!.chainPem, SNICallback: (name, cb) => cb(null, contexts.get(name.toLowerCase())) }, handle('https'));
  const plain = http.createServer(handle('http'));
  const [httpsPort, httpPort] = [await listen(secure), await listen(plain)];
  return {
    requests,
    connectTo: Object.keys(hosts).flatMap((h) => [`${h}:443:127.0.0.1:${httpsPort}`, `${h}:80:127.0.0.1:${httpPort}`]),
    close: async () => {
      await Promise.all([secure, plain].map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
    },
  };
}
