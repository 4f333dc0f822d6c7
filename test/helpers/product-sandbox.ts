// A whole fictional product on loopback, every area at once: the demo's DNS, TLS, redirects, edge and email
// (PawPost), plus a repository with a secret committed in two places and a dev URL, endpoints with one slow read,
// a broken auth API for flows, a support bot that leaks its canary, and PostgreSQL when it is installed.
// The product e2e test audits it live; with RECORD_FACTS=1 it records the facts the golden reports replay.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoSandbox, type DemoSandbox } from '../../src/sandbox/demo.js';
import { ACCOUNT, startAuthSandbox, type AuthSandbox } from './auth-api-sandbox.js';
import { startBotSandbox, type BotSandbox } from './bot-sandbox.js';
import { startLatencySandbox, type LatencySandbox } from './latency-sandbox.js';
import { createShop, postgresUnavailable, runWorkload, startPostgres, type PgCluster } from './postgres.js';
import { planted, tempRepo, type TempRepo } from '../secrets/planted.js';

export interface ProductSandbox {
  /** Folder with launch-ready.config.json. */
  dir: string;
  /** Environment the config's ${env:...} references need. */
  env: NodeJS.ProcessEnv;
  /** Network flags for the demo's DNS and web servers. */
  args: string[];
  /** Values that must never appear in any output. */
  secrets: string[];
  /** Whether the database area is part of this run (PostgreSQL installed). */
  database: boolean;
  close(): Promise<void>;
}

export async function startProductSandbox(): Promise<ProductSandbox> {
  const closers: (() => Promise<void> | void)[] = [];
  try {
    const demo: DemoSandbox = await startDemoSandbox();
    closers.push(() => demo.close());
    const [bot, auth, api]: [BotSandbox, AuthSandbox, LatencySandbox] = await Promise.all([
      startBotSandbox('leaky'),
      startAuthSandbox('broken'),
      startLatencySandbox({
        '/health': { delayMs: () => 1, body: '{"ok":true}', headers: { 'content-type': 'application/json' } },
        // Every read takes 450 ms: over the 300 ms read budget on every sample, so the finding is stable.
        '/v1/bookings': { delayMs: () => 450, body: '{"bookings":[]}', headers: { 'content-type': 'application/json' } },
      }),
    ]);
    closers.push(() => bot.close(), () => auth.close(), () => api.close());

    const p = planted();
    const repo: TempRepo = tempRepo('lr-product-repo-');
    closers.push(() => repo.remove());
    // One live key in two files: one problem, two places.
    repo.write('src/pay.ts', `export const stripe = "${p.stripeLive}";\n`);
    repo.write('scripts/seed.ts', `const key = "${p.stripeLive}";\nexport default key;\n`);
    repo.write('src/api.ts', 'export const API = "http://localhost:4000/v1";\n');
    repo.write('package.json', '{"name":"pawpost","scripts":{"test":"vitest"}}\n');
    repo.commit('first', '2026-01-02T10:00:00Z');

    let cluster: PgCluster | undefined;
    const missing = postgresUnavailable();
    if (missing && process.env.CI) throw new Error(`the product sandbox needs PostgreSQL under CI: ${missing}`);
    if (!missing) {
      cluster = await startPostgres();
      closers.push(() => cluster!.stop());
      await createShop(cluster, 'shop', { clean: false, orders: 30_000 });
      await runWorkload(cluster, 'shop', 60);
    }

    const dir = mkdtempSync(join(tmpdir(), 'lr-product-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const botKey = ['bot', 'key', 'part', '7'].join('-');
    writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
      project: 'PawPost',
      launchDate: demo.launchDate,
      domains: [{ name: demo.domain, hosts: ['www', 'api', 'admin', 'app'], expect: { api: { A: ['127.0.0.2'] } } }],
      repo: { path: repo.dir },
      endpoints: [
        { name: 'health', url: `${api.origin}/health`, kind: 'read' },
        { name: 'bookings', url: `${api.origin}/v1/bookings`, kind: 'read', critical: true },
      ],
      latency: { samples: 12, warmup: 1 },
      flows: [{ name: 'reset', template: 'password-reset', request: { url: `${auth.url}/password-reset` }, existingEmail: ACCOUNT.email, unknownEmail: 'nobody@shop.test' }],
      ai: [{
        name: 'support bot', url: bot.url, headers: { authorization: 'Bearer ${env:LR_BOT_KEY}' },
        body: { input: { text: '{{prompt}}' }, stream: false }, reply: '/data/answer',
        canaries: ['${env:LR_BOT_CANARY}'],
      }],
      ...(cluster ? { database: { url: '${env:DATABASE_URL}', statementTimeoutMs: 5000 } } : {}),
      network: { resolver: demo.resolver, connectTo: demo.connectTo, ca: demo.ca, timeoutMs: 4000 },
    }));
    return {
      dir,
      env: { LR_BOT_KEY: botKey, LR_BOT_CANARY: bot.canary, ...(cluster ? { DATABASE_URL: cluster.url('shop') } : {}) },
      args: ['--deadline', '90s'],
      secrets: [botKey, bot.canary, bot.apiKey, p.stripeLive, ...(cluster ? [cluster.auditor.password] : [])],
      database: Boolean(cluster),
      close: async () => { for (const c of closers.reverse()) await c(); },
    };
  } catch (err) {
    for (const c of closers.reverse()) await c();
    throw err;
  }
}
