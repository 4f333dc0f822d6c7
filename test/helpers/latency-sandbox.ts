// A loopback HTTP server whose routes have known, deterministic latency distributions (the nth request to a route,
// or how many are in flight, decides its delay), plus failing, resetting and cache-aware routes: for the latency
// collector and checks, and for load ramps against a server that degrades past a known concurrency.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RouteSpec {
  /** Delay before answering the nth request (0-based, counting every request to the route); inflight includes it. */
  delayMs?: (n: number, inflight: number) => number;
  /** Status of the nth request; inflight includes it. */
  status?: (n: number, inflight: number) => number;
  /** Destroys the socket instead of answering the nth request. */
  reset?: (n: number) => boolean;
  headers?: Record<string, string>;
  body?: string;
  /** Answers If-None-Match matching this ETag with 304. */
  etag?: string;
}

export interface LatencySandbox {
  port: number;
  origin: string;
  /** Requests seen per route path, with their headers. */
  seen: Map<string, IncomingMessage['headers'][]>;
  close(): Promise<void>;
}

export async function startLatencySandbox(routes: Record<string, RouteSpec>): Promise<LatencySandbox> {
  const counts = new Map<string, number>();
  const inflight = new Map<string, number>();
  const seen = new Map<string, IncomingMessage['headers'][]>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes[path];
    req.resume();
    if (!route) { res.writeHead(404).end('not found'); return; }
    const n = counts.get(path) ?? 0;
    counts.set(path, n + 1);
    const log = seen.get(path) ?? [];
    log.push(req.headers);
    seen.set(path, log);
    const now = (inflight.get(path) ?? 0) + 1;
    inflight.set(path, now);
    res.on('close', () => inflight.set(path, (inflight.get(path) ?? 1) - 1));
    const answer = () => {
      if (route.reset?.(n)) { req.socket.destroy(); return; }
      if (route.etag && req.headers['if-none-match'] === route.etag) { res.writeHead(304, { etag: route.etag }).end(); return; }
      res.writeHead(route.status?.(n, now) ?? 200, { 'content-type': 'application/json', ...(route.etag ? { etag: route.etag } : {}), ...route.headers });
      res.end(route.body ?? '{"ok":true}');
    };
    const delay = route.delayMs?.(n, now) ?? 0;
    if (delay <= 0) { answer(); return; }
    const t = setTimeout(() => { timers.delete(t); answer(); }, delay);
    timers.add(t);
  });
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
