// A loopback shop API with a known capacity, for flow load ramps: a fast login that issues tokens, a fast dashboard
// that wants one, and a checkout served by a queue of N workers × M ms (its p95 doubles once more than N users wait);
// a login that is rate limited after its first answer; and a sign-up → verify → first read that refuses a reused
// address. A request whose client went away leaves the queue (or frees its worker), so the next ramp step never
// inherits the previous one's backlog.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FlowLoadSandbox {
  port: number;
  /** Addresses signed up, in order (a reused one is answered 409 and not added). */
  signups: string[];
  /** Answers of the rate-limited login, by status. */
  limited: Map<number, number>;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const c of req) body += String(c);
  try { return JSON.parse(body || '{}') as Record<string, unknown>; } catch { return {}; }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFlowLoadSandbox(opts: { workers: number; workMs: number }): Promise<FlowLoadSandbox> {
  const tokens = new Set<string>();
  const accounts = new Map<string, string>();
  const signups: string[] = [];
  const limited = new Map<number, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let busy = 0;
  const queue: { res: ServerResponse }[] = [];

  const startNext = () => {
    while (busy < opts.workers && queue.length) {
      const job = queue.shift()!;
      if (job.res.destroyed || job.res.writableEnded) continue;
      busy++;
      let done = false;
      const free = () => { if (done) return; done = true; busy--; timers.delete(t); clearTimeout(t); startNext(); };
      const t = setTimeout(() => { send(job.res, 200, { order: randomBytes(6).toString('hex') }); free(); }, opts.workMs);
      timers.add(t);
      job.res.once('close', free);
    }
  };
  const authorized = (req: IncomingMessage) => tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  const issue = () => { const t = `tok_${randomBytes(12).toString('hex')}`; tokens.add(t); return t; };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    void (async () => {
      const body = req.method === 'POST' ? await readJson(req) : (req.resume(), {});
      switch (`${req.method} ${path}`) {
        case 'GET /health': return send(res, 200, { ok: true });
        case 'POST /login': return send(res, 200, { access_token: issue() });
        case 'POST /limited/login': {
          const status = [...limited.values()].reduce((a, b) => a + b, 0) === 0 ? 200 : 429;
          limited.set(status, (limited.get(status) ?? 0) + 1);
          return status === 200 ? send(res, 200, { access_token: issue() }) : send(res, 429, { error: 'too many login attempts' });
        }
        case 'GET /dashboard': return authorized(req) ? send(res, 200, { items: [1, 2, 3] }) : send(res, 401, { error: 'unauthorized' });
        case 'POST /checkout': {
          if (!authorized(req)) return send(res, 401, { error: 'unauthorized' });
          queue.push({ res });
          return startNext();
        }
        case 'POST /signup': {
          const email = String(body.email ?? '');
          if (!email.includes('@') || !body.password) return send(res, 400, { error: 'email and password required' });
          if (accounts.has(email)) return send(res, 409, { error: 'address already registered' });
          const code = randomBytes(4).toString('hex');
          accounts.set(email, code);
          signups.push(email);
          return send(res, 201, { verification_code: code });
        }
        case 'POST /verify': {
          const email = String(body.email ?? '');
          if (!accounts.has(email) || accounts.get(email) !== body.code) return send(res, 400, { error: 'bad code' });
          return send(res, 200, { access_token: issue() });
        }
        default: return send(res, 404, { error: 'not found' });
      }
    })();
  });
  server.keepAliveTimeout = 10_000;
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    signups,
    limited,
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
