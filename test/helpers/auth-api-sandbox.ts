// A sandbox auth API on loopback in two variants: `correct` (rotating refresh tokens, revoking logout, a uniform
// password-reset answer, working callbacks) and `broken` (refresh tokens not rotated and reusable, logout that
// revokes nothing, an enumerating reset that returns the token, a callback that errors).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AuthVariant = 'correct' | 'broken';

export interface AuthSandbox {
  url: string;
  /** Requests served, by "METHOD /path". */
  hits: Map<string, number>;
  /** Reset tokens issued (the broken variant leaks them in the answer). */
  resetTokens: string[];
  close(): Promise<void>;
}

export const ACCOUNT = { email: 'ada@shop.test', password: ['lr', 'sandbox', 'pw', '42'].join('-') };

const token = (kind: string) => `${kind}_${randomBytes(18).toString('base64url')}`;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const c of req) body += String(c);
  try { return JSON.parse(body || '{}') as Record<string, unknown>; } catch { return {}; }
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export async function startAuthSandbox(variant: AuthVariant): Promise<AuthSandbox> {
  const access = new Set<string>();
  // refresh token → the access token issued with it; a used one is removed (correct) or kept (broken).
  const refresh = new Map<string, string>();
  const hits = new Map<string, number>();
  const resetTokens: string[] = [];
  const broken = variant === 'broken';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const key = `${req.method} ${url.pathname}`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    void (async () => {
      switch (key) {
        case 'POST /login': {
          const b = await readJson(req);
          if (b.email !== ACCOUNT.email || b.password !== ACCOUNT.password) return send(res, 401, { error: 'invalid credentials' });
          const a = token('at'); const r = token('rt');
          access.add(a); refresh.set(r, a);
          return send(res, 200, { access_token: a, refresh_token: r, token_type: 'Bearer' });
        }
        case 'GET /me':
          return bearer && access.has(bearer) ? send(res, 200, { email: ACCOUNT.email }) : send(res, 401, { error: 'unauthorized' });
        case 'POST /refresh': {
          const b = await readJson(req);
          const r = typeof b.refresh_token === 'string' ? b.refresh_token : '';
          if (!refresh.has(r)) return send(res, 401, { error: 'invalid refresh token' });
          const a = token('at');
          access.add(a);
          if (broken) { refresh.set(r, a); return send(res, 200, { access_token: a, refresh_token: r }); }
          refresh.delete(r);
          const next = token('rt');
          refresh.set(next, a);
          return send(res, 200, { access_token: a, refresh_token: next });
        }
        case 'POST /logout':
          if (!bearer || !access.has(bearer)) return send(res, 401, { error: 'unauthorized' });
          if (!broken) {
            access.delete(bearer);
            for (const [r, a] of refresh) if (a === bearer) refresh.delete(r);
          }
          return send(res, 204);
        case 'POST /password-reset': {
          const b = await readJson(req);
          if (!broken) return send(res, 202, { message: `If an account exists for ${String(b.email)}, we sent a reset link.` });
          if (b.email !== ACCOUNT.email) return send(res, 404, { error: 'no account with this email' });
          const t = token('reset');
          resetTokens.push(t);
          return send(res, 200, { message: 'reset link sent', reset_token: t });
        }
        case 'GET /auth/callback/google':
          return broken
            ? send(res, 302, undefined, { location: '/login?error=redirect_uri_mismatch' })
            : send(res, 302, undefined, { location: '/app' });
        case 'GET /hang':
          return; // never answers: the runner's deadline must end the step
        case 'GET /slow':
          await new Promise((r) => setTimeout(r, 150));
          return send(res, 200, { ok: true, item: 'item-7f3a9c' });
        case 'GET /auth/callback/apple':
          return send(res, 302, undefined, { location: '/app' });
        default:
          return send(res, 404, { error: 'not found' });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    resetTokens,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
