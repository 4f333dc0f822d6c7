// Retried writes end to end: `audit --only latency.duplicate-write-on-retry` against a loopback API whose write
// endpoints deduplicate by key (orders), create twice although their preflight lists the key (carts), know nothing
// of keys and reflect whatever a preflight asks (comments), and require a key (payments: 400 without one); plus a
// probed endpoint on a non-loopback host that the gate refuses unless load.confirm names it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import type { Report } from '../../src/types.js';
import { runInProcess } from '../helpers/cli.js';
import { startEdgeSafetyServer, type EdgeReply, type EdgeRequest, type EdgeSafetyServer } from '../helpers/edge-safety-server.js';

// Assembled at run time: the repo never holds a live-looking token.
const TOKEN = ['lr', 'idem', 'bearer', 'z'.repeat(12)].join('-');
const BODY = '{"sku":"paw-1","quantity":2}';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let dns: DnsSandbox;
let web: EdgeSafetyServer;
let nextId = 0;
const stored = new Map<string, EdgeReply>();

const json = (status: number, body: unknown, headers: Record<string, string> = {}): EdgeReply => ({ status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const create = (kind: string): EdgeReply => {
  const n = ++nextId;
  return json(201, { id: `${kind}_${n}`, createdAt: 1_700_000_000 + n }, { location: `/v1/${kind}/${n}` });
};

function api(req: EdgeRequest): EdgeReply {
  const path = req.path.split('?')[0]!;
  const key = req.headers['idempotency-key'] as string | undefined;
  if (req.method === 'OPTIONS') {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST' };
    if (path === '/v1/orders' || path === '/v1/carts') return { status: 204, headers: { ...cors, 'access-control-allow-headers': 'Content-Type, Authorization, Idempotency-Key' } };
    if (path === '/v1/comments') return { status: 204, headers: { ...cors, 'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '') } };
    return { status: 204, headers: { ...cors, 'access-control-allow-headers': 'Content-Type, Authorization' } };
  }
  if (req.method !== 'POST') return json(404, { error: 'not found' });
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { error: 'unauthorized' });
  const remembered = key ? stored.get(`${path} ${key}`) : undefined;
  switch (path) {
    case '/v1/orders': {
      if (remembered) return remembered;
      const r = create('orders');
      if (key) stored.set(`${path} ${key}`, r);
      return r;
    }
    // Lists the key in its preflight, then ignores it.
    case '/v1/carts': return create('carts');
    case '/v1/comments': return create('comments');
    case '/v1/payments': {
      if (!key) {
        return json(400, { type: 'https://developer.example.com/idempotency', title: 'Idempotency-Key is missing', detail: 'This operation is idempotent and it requires correct usage of Idempotency Key.' }, { 'content-type': 'application/problem+json' });
      }
      if (remembered) return { ...remembered, headers: { ...remembered.headers, 'idempotent-replayed': 'true' } };
      const r = create('payments');
      stored.set(`${path} ${key}`, r);
      return r;
    }
    default: return json(404, { error: 'not found' });
  }
}

beforeAll(async () => {
  dns = await startDnsSandbox({ zones: [parseZone('$ORIGIN idem.test.\n$TTL 60\n@ SOA ns.idem.test. h.idem.test. ( 1 60 60 60 60 )\napi A 127.0.0.1\nfar A 203.0.113.10\n')] });
  web = await startEdgeSafetyServer({ 'api.idem.test': api });
});
afterAll(async () => { await Promise.all([dns.close(), web.close()]); });

const write = (name: string, url: string, over: Record<string, unknown> = {}) => ({
  name, url, method: 'POST', kind: 'write', critical: true, body: BODY,
  headers: { authorization: 'Bearer ${env:LR_IDEM_TOKEN}', 'content-type': 'application/json' }, ...over,
});

async function audit(endpoints: unknown[], extra: Record<string, unknown> = {}): Promise<{ report: Report; facts: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lr-idempotency-'));
  writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
    endpoints,
    latency: { samples: 3, warmup: 0 },
    network: { resolver: `${dns.address}:${dns.port}`, connectTo: web.connectTo, timeoutMs: 3000 },
    ...extra,
  }));
  const r = await runInProcess(['audit', '--only', 'latency.duplicate-write-on-retry', '--format', 'json', '--save-facts', join(dir, 'facts')], { LR_IDEM_TOKEN: TOKEN }, dir);
  expect(r.stdout + r.stderr).not.toContain(TOKEN);
  return { report: JSON.parse(r.stdout) as Report, facts: readFileSync(join(dir, 'facts', 'facts.json'), 'utf8') };
}

describe('retried writes', () => {
  it('tells a deduplicated retry from a duplicate, and says what the audit\'s own requests showed', async () => {
    const api = 'https://api.idem.test';
    const { report, facts } = await audit([
      write('orders', `${api}/v1/orders`, { idempotencyProbe: true }),
      write('carts', `${api}/v1/carts`, { idempotencyProbe: true }),
      write('comments', `${api}/v1/comments`),
      write('payments', `${api}/v1/payments`),
      write('far', 'https://far.idem.test/v1/orders', { idempotencyProbe: true }),
    ]);
    const found = Object.fromEntries(report.findings.map((f) => [f.args.name as string, f]));
    // A deduplicated retry and a documented key are not problems: they are said in the check's details, not ranked.
    expect(Object.keys(found).sort()).toEqual(['carts', 'comments']);
    // The preflight listed the key; the probe still saw a second cart.
    expect(found.carts).toMatchObject({ id: 'latency.duplicate-write-on-retry.duplicated-core', severity: 'medium' });
    expect(found.carts!.message).toMatch(/wrote twice when the same request was sent again with the same Idempotency-Key: the second answer named another resource \(a different id\)/);
    // A preflight that reflects whatever is asked documents nothing.
    expect(found.comments).toMatchObject({ id: 'latency.duplicate-write-on-retry.no-idempotency-key-core', severity: 'low' });
    expect(found.comments!.message).toContain('(it answered 201)');

    // The far host was never probed: the gate refused it, and the check says so instead of passing.
    const check = report.checks.find((c) => c.id === 'duplicate-write-on-retry')!;
    expect(check.status).toBe('error');
    expect(check.error).toContain('retry probe of "far" not run: far.idem.test is not loopback and not listed in load.confirm');
    const rows = (check.details as { writes: { name: string; signals: string[]; outcome?: string; probe?: { statuses?: number[]; outcome?: string } }[] }).writes;
    expect(Object.fromEntries(rows.map((r) => [r.name, r.signals]))).toMatchObject({ orders: ['preflight-allows'], carts: ['preflight-allows'], comments: [], payments: ['key-required'] });
    expect(rows.find((r) => r.name === 'orders')!.probe).toMatchObject({ statuses: [201, 201], outcome: 'deduplicated' });
    expect(rows.find((r) => r.name === 'orders')!.outcome).toBe('deduplicated: both answers named the same resource (id)');
    // The draft's 400 for a missing key is the signal.
    expect(rows.find((r) => r.name === 'payments')!.outcome).toBe('knows the Idempotency-Key header (400 without a key); deduplication not probed');

    // Each probed endpoint got exactly two keyed writes: one key, a fresh UUID, with the configured auth and body.
    for (const path of ['/v1/orders', '/v1/carts']) {
      const keyed = web.requests.filter((q) => q.path === path && q.method === 'POST' && q.headers['idempotency-key'] !== undefined);
      expect(keyed).toHaveLength(2);
      expect(keyed[0]!.headers['idempotency-key']).toMatch(UUID);
      expect(keyed[1]!.headers['idempotency-key']).toBe(keyed[0]!.headers['idempotency-key']);
      expect(keyed.every((q) => q.headers.authorization === `Bearer ${TOKEN}` && q.body === BODY)).toBe(true);
    }
    expect(web.requests.filter((q) => q.path === '/v1/orders' && q.method === 'POST' && q.headers['idempotency-key'] === undefined)).toHaveLength(4);
    // Without idempotencyProbe a write is never sent with a key.
    for (const path of ['/v1/comments', '/v1/payments']) expect(web.requests.filter((q) => q.path === path && q.headers['idempotency-key'] !== undefined)).toEqual([]);

    // Facts keep statuses and hashes, never the bodies or the ids they named, nor the token.
    const retries = JSON.stringify((JSON.parse(facts) as { facts: Record<string, { endpoints: { name: string; idempotency?: unknown }[] }> }).facts['latency.endpoints']!.endpoints.map((e) => e.idempotency));
    expect(retries).toContain('"idField":"id"');
    for (const leaked of ['orders_', 'carts_', 'createdAt', TOKEN, 'paw-1']) expect(facts).not.toContain(leaked);
  }, 60_000);

  it('a confirmed far host passes the gate and meets the loopback guard instead: no byte leaves loopback', async () => {
    const before = web.requests.length;
    const { report } = await audit([write('far', 'https://far.idem.test/v1/orders', { idempotencyProbe: true })], { load: { confirm: ['far.idem.test'] } });
    const check = report.checks.find((c) => c.id === 'duplicate-write-on-retry')!;
    expect(check.status).toBe('error');
    expect(check.error).not.toContain('not listed in load.confirm');
    expect(check.error).toMatch(/retry probe of "far" could not tell: the probe failed after 0 request\(s\): .*loopback-only/);
    expect(web.requests.length).toBe(before);
  }, 60_000);

  it('an idempotencyProbe that could never run is a config error', () => {
    const parse = (e: Record<string, unknown>) => ConfigSchema.safeParse({ endpoints: [{ name: 'x', url: 'https://api.idem.test/x', ...e }] });
    expect(parse({ method: 'POST', kind: 'write', idempotencyProbe: true }).success).toBe(true);
    expect(parse({ method: 'PATCH', kind: 'write', idempotencyProbe: true }).success).toBe(true);
    const bad = parse({ method: 'POST', idempotencyProbe: true });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['endpoints', 0, 'idempotencyProbe'], message: expect.stringContaining('needs "kind": "write" and method POST, PUT or PATCH (this endpoint is POST, kind read)') });
    expect(parse({ method: 'DELETE', kind: 'write', idempotencyProbe: true }).success).toBe(false);
    expect(parse({ method: 'POST', idempotencyProbe: false }).success).toBe(true);
  });
});
