// `launch-ready audit --only database` end to end, as a user runs it, against a throwaway PostgreSQL on loopback:
// the report names the query, the table and the missing index, and the URL, user and password appear nowhere.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { createShop, postgresUnavailable, runWorkload, startPostgres, type PgCluster } from '../helpers/postgres.js';

const missing = postgresUnavailable();
if (missing && process.env.CI) {
  describe('audit --only database', () => {
    it('needs PostgreSQL under CI', () => { throw new Error(missing); });
  });
}

let cluster: PgCluster;
let dir: string;

function leaks(text: string): string[] {
  const url = cluster.url('shop');
  return [cluster.auditor.password, encodeURIComponent(cluster.auditor.password), cluster.auditor.user, url, url.split('@')[0]!]
    .filter((s) => text.includes(s));
}

describe.skipIf(Boolean(missing))(`audit --only database${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    await createShop(cluster, 'shop', { clean: false, orders: 60_000 });
    await runWorkload(cluster, 'shop', 100);
    dir = mkdtempSync(join(tmpdir(), 'lr-db-cli-'));
    writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
      project: 'Shop',
      database: { url: '${env:DATABASE_URL}', statementTimeoutMs: 5000 },
    }));
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('names the query, the table and the missing index, without writing or printing the URL', async () => {
    const env = { DATABASE_URL: cluster.url('shop') };
    const args = ['audit', '--only', 'database', '--config', join(dir, 'launch-ready.config.json'), '--resolver', '127.0.0.1:9'];
    const table = await runCli([...args, '--no-color'], { env, cwd: dir, timeoutMs: 30_000 });
    expect(table.stderr).toBe('');
    // Medium findings only: GO under the default --fail-on high, with the risks listed.
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('table public.orders');
    expect(leaks(table.stdout + table.stderr)).toEqual([]);

    const facts = join(dir, 'facts');
    const json = await runCli([...args, '--format', 'json', '--save-facts', facts], { env, cwd: dir, timeoutMs: 30_000 });
    const report = JSON.parse(json.stdout) as Report;
    expect(report.verdict).toBe('go');
    expect(report.checks.every((c) => c.area === 'database' && c.status !== 'error')).toBe(true);
    const ids = report.findings.flatMap((f) => f.occurrences.map((o) => `${f.id} ${o.record ?? ''}`));
    expect(ids).toContain('database.missing-index.confirmed table public.orders');
    expect(ids).toContain('database.dominant-query.dominant-slow ' + report.findings.find((f) => f.checkId === 'dominant-query')!.location.record);
    expect(ids).toContain('database.unindexed-foreign-key.unindexed-large constraint public.orders.orders_customer_id_fkey');
    const confirmed = report.findings.find((f) => f.id === 'database.missing-index.confirmed')!.occurrences.find((o) => o.record === 'table public.orders')!;
    expect(confirmed.message).toContain('Its top query SELECT id, status, total_cents FROM orders WHERE customer_id = $1');
    expect(confirmed.message).toContain('missing index on orders (customer_id, created_at)');
    expect(confirmed.message).toContain('Fix: CREATE INDEX CONCURRENTLY ON orders (customer_id, created_at);');
    const saved = readFileSync(join(facts, 'facts.json'), 'utf8');
    expect(leaks(json.stdout + json.stderr + saved)).toEqual([]);
    expect(JSON.parse(saved).facts['database.postgres'].connected).toBe(true);

    // The recorded facts replay offline to the same findings.
    const replay = await runCli(['audit', '--only', 'database', '--from-facts', facts, '--format', 'json'], { cwd: mkdtempSync(join(tmpdir(), 'lr-db-replay-')), timeoutMs: 30_000 });
    expect(replay.stderr).toBe('');
    expect((JSON.parse(replay.stdout) as Report).findings.map((f) => f.fingerprint)).toEqual(report.findings.map((f) => f.fingerprint));
  });

  it('is INCOMPLETE, with a safe message, when the database cannot be read', async () => {
    const env = { DATABASE_URL: cluster.url('shop').replace(encodeURIComponent(cluster.auditor.password), 'wrong-pw-part') };
    const r = await runCli(['audit', '--only', 'database', '--config', join(dir, 'launch-ready.config.json'), '--resolver', '127.0.0.1:9', '--format', 'json'], { env, cwd: dir, timeoutMs: 30_000 });
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.verdict).toBe('incomplete');
    expect(report.checks.find((c) => c.id === 'connection-limit')!.error).toMatch(/authentication failed/);
    expect(r.stdout + r.stderr).not.toContain('wrong-pw-part');
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });

  it('with nothing to audit at all, says what to give it (exit 2)', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'lr-db-none-'));
    writeFileSync(join(bare, 'launch-ready.config.json'), '{}');
    const r = await runCli(['audit', '--only', 'database', '--config', join(bare, 'launch-ready.config.json'), '--resolver', '127.0.0.1:9', '--format', 'json'], { cwd: bare, timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to audit: .*a database \(database\.url\)/);
  });

  it('skips the database checks as not applicable when no database is configured but there is something else to audit', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'lr-db-none2-'));
    writeFileSync(join(bare, 'launch-ready.config.json'), '{}');
    const r = await runCli(['audit', '--only', 'database,deploy', '--config', join(bare, 'launch-ready.config.json'), '--repo', bare, '--resolver', '127.0.0.1:9', '--format', 'json'], { cwd: bare, timeoutMs: 30_000 });
    const report = JSON.parse(r.stdout) as Report;
    const db = report.checks.filter((c) => c.area === 'database');
    expect(db.length).toBeGreaterThan(5);
    expect(db.every((c) => c.status === 'not-applicable')).toBe(true);
  });
});
