// Cause beside symptom, end to end: `audit --only latency,database` against a sandbox API backed by a real
// PostgreSQL. Two endpoints are slow for two different unindexed queries (each about half the database's time): each
// finding names its own query and missing index, never the other's; an endpoint's Server-Timing names its dominant
// phase; an endpoint waiting for a sandbox dependency names it; database errors are classified as such.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { createCauseDb, startCauseApi, startDependency, type Sandbox } from '../helpers/cause-sandbox.js';
import { postgresUnavailable, startPostgres, waitFor, type PgCluster } from '../helpers/postgres.js';

const missing = postgresUnavailable();
if (missing && process.env.CI) {
  describe('cause beside symptom', () => {
    it('needs PostgreSQL under CI', () => { throw new Error(missing); });
  });
}

let cluster: PgCluster;
let api: Sandbox;
let dep: Sandbox;
let dir: string;

const hit = (url: string) => new Promise<void>((resolve, reject) => {
  get(url, (r) => { r.resume(); r.on('end', resolve); }).on('error', reject);
});

describe.skipIf(Boolean(missing))(`cause beside symptom${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    await createCauseDb(cluster, 'app');
    dep = await startDependency();
    api = await startCauseApi(cluster, 'app', `${dep.origin}/rates`);
    // Production traffic before the audit: both slow endpoints equally, so each query is about half the time.
    for (let i = 0; i < 15; i++) {
      await hit(`${api.origin}/events`);
      await hit(`${api.origin}/threads`);
    }
    await waitFor(cluster, 'app', async (c) => {
      const r = await c.query<{ n: string }>("SELECT coalesce(min(seq_scan), 0) AS n FROM pg_stat_user_tables WHERE relname IN ('events', 'messages')");
      return Number(r.rows[0]?.n ?? 0) >= 15;
    });
    dir = mkdtempSync(join(tmpdir(), 'lr-cause-'));
    writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
      project: 'Cause',
      database: { url: '${env:DATABASE_URL}', statementTimeoutMs: 10_000 },
      endpoints: [
        { name: 'events', url: `${api.origin}/events`, kind: 'read', budgetP95Ms: 2 },
        { name: 'threads', url: `${api.origin}/threads`, kind: 'read', budgetP95Ms: 2 },
        { name: 'timed', url: `${api.origin}/timed`, kind: 'read', budgetP95Ms: 40 },
        { name: 'quote', url: `${api.origin}/quote`, kind: 'read', budgetP95Ms: 50 },
        { name: 'report', url: `${api.origin}/report`, kind: 'read' },
      ],
      dependencies: [{ name: 'rates', url: `${dep.origin}/rates` }],
      latency: { samples: 12, warmup: 1 },
    }));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await dep?.close();
    await cluster?.stop();
  });

  it('names each slow endpoint\'s own cause', async () => {
    const r = await runCli(['audit', '--only', 'latency,database', '--config', join(dir, 'launch-ready.config.json'), '--resolver', '127.0.0.1:9', '--format', 'json'],
      { env: { DATABASE_URL: cluster.url('app') }, cwd: dir, timeoutMs: 90_000 });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    const slow = (name: string) => report.findings.filter((f) => f.checkId === 'slow-endpoint').flatMap((f) => f.occurrences).find((o) => o.message.startsWith(`${name} (`));
    const events = slow('events')!.message;
    const threads = slow('threads')!.message;
    // Each names its own query and the missing index behind it, and never the other's table.
    expect(events).toMatch(/Its database time: SELECT id, kind FROM events WHERE user_id = \$1 takes \d+% of its server time \(once per request, [\d.]+ ms each request\) and reads events whole: missing index on events \(user_id\); see database\.missing-index/);
    expect(threads).toMatch(/Its database time: SELECT id, body FROM messages WHERE thread_id = \$1 takes \d+% of its server time \(once per request, [\d.]+ ms each request\) and reads messages whole: missing index on messages \(thread_id\); see database\.missing-index/);
    expect(events).not.toMatch(/messages|thread_id/);
    expect(threads).not.toMatch(/\bevents\b|user_id/);
    // Server-Timing names the phase; the dependency is named where the time goes, and only there.
    expect(slow('timed')!.message).toMatch(/Server-Timing: render is \d+% of its server time at p95 \([\d.]+ ms at p50, [\d.]+ ms at p95\)\./);
    expect(slow('quote')!.message).toMatch(/It ran no database statement\. It waits for rates: its server time tracks that dependency \(correlation (0\.\d+|1)/);
    for (const other of [events, threads, slow('timed')!.message]) expect(other).not.toContain('waits for');
    expect(slow('quote')!.message).toMatch(/Its slowest requests spend \d+% of their time in server time \(time to first byte\)/);
    // Both tables are explained by their own statements: no "no top statement explains it".
    const missingIndex = report.findings.filter((f) => f.checkId === 'missing-index').flatMap((f) => f.occurrences.map((o) => o.message));
    expect(missingIndex.some((m) => m.includes('missing index on events (user_id)'))).toBe(true);
    expect(missingIndex.some((m) => m.includes('missing index on messages (thread_id)'))).toBe(true);
    expect(missingIndex.join(' ')).not.toContain('no top statement explains it');
    const errors = report.findings.find((f) => f.checkId === 'request-errors')!.occurrences.map((o) => o.message);
    expect(errors).toEqual([expect.stringMatching(/^report \(GET .*12× 500\)\. Failures come from the database\.$/)]);
    expect(r.stdout).not.toContain(cluster.auditor.password);
  }, 120_000);
});
