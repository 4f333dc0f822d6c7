// `launch-ready audit --only secrets,hygiene` end to end on a throwaway repository: every planted secret found with
// its commit and location, redacted in every format, no decoy flagged, baselines and repo.path in the config.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { planted, rand, tempRepo, type TempRepo } from '../secrets/planted.js';

const p = planted();
let repo: TempRepo;
let work: string;
const sha: Record<string, string> = {};

beforeAll(() => {
  repo = tempRepo('lr-e2e-secrets-');
  work = mkdtempSync(join(tmpdir(), 'lr-e2e-work-'));
  repo.write('.gitignore', '.env.local\n');
  repo.write('src/pay.ts', `export const stripe = "${p.stripeLive}";\nexport const test = "${p.stripeTest}";\n`);
  repo.write('src/db.ts', `export const url = "postgres://app:${p.dbPassword}@db-1.prod.pawpost.net:5432/app";\n`);
  repo.write('config/firebase-adminsdk.txt', `${p.pemKey}\n`);
  // Decoys: documented example keys, placeholders, test fixtures, a template.
  repo.write('README.md', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\nSTRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n');
  repo.write('.env.example', 'STRIPE_KEY=<your-key>\nJWT_SECRET=changeme\n');
  repo.write('test/fixtures/keys.ts', `export const jwtSecret = "${rand(32)}";\n`);
  repo.write('src/env.ts', 'export const secret = process.env.JWT_SECRET;\nexport const api = process.env.API_URL ?? "http://localhost:4000";\n');
  sha.first = repo.commit('first');
  repo.write('src/pay.ts', 'export const stripe = process.env.STRIPE_KEY;\n');
  repo.write('src/bin/logo.bin', Buffer.concat([Buffer.from([0, 1, 0, 2]), Buffer.from(p.githubPat), Buffer.from([0])]));
  sha.second = repo.commit('second');
  repo.git('rm', '-q', 'src/bin/logo.bin');
  sha.third = repo.commit('drop the logo');
  repo.write('.env.local', `OPENAI_API_KEY=${p.openai}\n`);
});

afterAll(() => repo?.remove());

async function audit(extra: string[] = [], cwd = work) {
  return runCli(['audit', '--only', 'secrets,hygiene', '--repo', repo.dir, ...extra], { cwd, timeoutMs: 30_000 });
}

function assertRedacted(text: string): void {
  for (const [name, value] of Object.entries(p)) {
    for (const piece of value.split('\n').filter((l) => l.length >= 12)) expect(text.includes(piece), `${name} leaked`).toBe(false);
  }
}

describe('audit --only secrets,hygiene', () => {
  let report: Report;
  let table: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    const json = await audit(['--format', 'json']);
    expect(json.stderr).toBe('');
    report = JSON.parse(json.stdout) as Report;
    expect(json.code).toBe(1);
    table = await audit();
  });

  it('finds every planted secret with its commit and location, and no decoy', () => {
    const secrets = report.findings.filter((f) => f.checkId === 'exposed-secret').map((f) => `${f.code} ${f.args.rule} ${f.location.file}:${f.location.line ?? '-'} ${f.location.commit?.slice(0, 7) ?? '-'}`);
    expect(secrets.sort()).toEqual([
      `in-history stripe-live-secret-key src/pay.ts:1 ${sha.first!.slice(0, 7)}`,
      `in-history github-token src/bin/logo.bin:- ${sha.second!.slice(0, 7)}`,
      `in-tree database-url src/db.ts:1 ${sha.first!.slice(0, 7)}`,
      `in-tree private-key config/firebase-adminsdk.txt:2 ${sha.first!.slice(0, 7)}`,
      `low-risk stripe-test-secret-key src/pay.ts:2 ${sha.first!.slice(0, 7)}`,
    ].sort());
    // The ignored .env.local is not scanned; nothing under test/ or in README is flagged.
    expect(JSON.stringify(report.findings.filter((f) => f.area === 'secrets'))).not.toMatch(/README|test\/fixtures|\.env\.local|AKIAIOSFODNN7EXAMPLE/);
  });

  it('says when and where a history-only secret appeared', () => {
    const stripe = report.findings.find((f) => f.args.rule === 'stripe-live-secret-key')!;
    expect(stripe.severity).toBe('critical');
    expect(stripe.message).toMatch(new RegExp(`no longer in the files .*first committed in ${sha.first!.slice(0, 7)} on 2026-01-01 \\(src/pay\\.ts:1\\)`));
    expect(stripe.message).toMatch(/Rotate it: Stripe Dashboard/);
  });

  it('puts hygiene findings in the same ranked list', () => {
    const ids = report.findings.map((f) => f.id);
    expect(ids).toContain('hygiene.dev-url.in-code');
    expect(ids).toContain('hygiene.undocumented-env-var.undocumented');
    const ranks = report.findings.map((f) => f.rank);
    expect(ranks).toEqual(ranks.map((_, i) => i + 1));
    expect(report.findings[0]!.severity).toBe('critical');
  });

  it('never prints a whole secret: JSON, table, stderr', () => {
    assertRedacted(JSON.stringify(report));
    assertRedacted(table.stdout + table.stderr);
    expect(table.stdout).toMatch(/sk_l…\[redacted,/);
  });

  it('every other report format is redacted too', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lr-e2e-out-'));
    const r = await audit(['--format', 'json,sarif,junit,markdown,table', '--output-dir', out, '--quiet']);
    expect(r.code).toBe(1);
    const written = ['json', 'sarif', 'junit.xml', 'md', 'txt'].map((ext) => readFileSync(join(out, `launch-ready.${ext}`), 'utf8'));
    for (const text of written) {
      assertRedacted(text);
      expect(text).toMatch(/sk_l…\[redacted,/);
    }
  });

  it('a baseline of this report makes CI fail only on new secrets', async () => {
    const baseline = join(work, 'baseline.json');
    writeFileSync(baseline, JSON.stringify(report));
    const same = await audit(['--format', 'json', '--baseline', baseline]);
    expect((JSON.parse(same.stdout) as Report).verdict).toBe('go');
    expect(same.code).toBe(0);

    repo.write('src/mail.ts', `export const sg = "${p.sendgrid}";\n`);
    const newSha = repo.commit('mail');
    try {
      const next = await audit(['--format', 'json', '--baseline', baseline]);
      const r = JSON.parse(next.stdout) as Report;
      expect(next.code).toBe(1);
      expect(r.findings.filter((f) => !f.accepted && f.severity !== 'info').map((f) => `${f.id} ${f.location.commit?.slice(0, 7)}`))
        .toEqual([`secrets.exposed-secret.in-tree ${newSha.slice(0, 7)}`]);
      assertRedacted(next.stdout);
    } finally {
      repo.git('reset', '-q', '--hard', 'HEAD~1');
    }
  });

  it('repo.path in the config is resolved from the config file', async () => {
    const cfgDir = mkdtempSync(join(tmpdir(), 'lr-e2e-cfg-'));
    writeFileSync(join(cfgDir, 'launch-ready.config.json'), JSON.stringify({ repo: { path: join('..', repo.dir.split('/').pop()!) } }));
    const r = await runCli(['audit', '--only', 'secrets', '--format', 'json'], { cwd: cfgDir, timeoutMs: 30_000 });
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.findings.some((f) => f.args.rule === 'stripe-live-secret-key')).toBe(true);
    expect(readFileSync(join(cfgDir, 'launch-ready.config.json'), 'utf8')).toContain('repo');
  });

  it('a mobile app whose release config points at a dev server is critical, judged against repo.apiUrl', async () => {
    const app = tempRepo('lr-e2e-mobile-');
    try {
      app.write('app.json', JSON.stringify({ expo: { name: 'PawPost', extra: { apiUrl: 'http://192.168.1.20:3000' } } }, null, 2));
      app.write('.env.production', 'EXPO_PUBLIC_API_URL=https://api.pawpost-old.io\n');
      app.write('.env.development', 'EXPO_PUBLIC_API_URL=http://localhost:3000\n');
      app.commit('app');
      const cfg = join(work, 'mobile.config.json');
      writeFileSync(cfg, JSON.stringify({ repo: { path: app.dir, apiUrl: 'https://api.pawpost.com' } }));
      const r = await runCli(['audit', '--only', 'hygiene', '--config', cfg, '--format', 'json'], { cwd: work, timeoutMs: 30_000 });
      const rep = JSON.parse(r.stdout) as Report;
      expect(rep.findings.filter((f) => f.checkId === 'mobile-api-url').map((f) => `${f.code} ${f.severity} ${f.location.file}:${f.location.line}`)).toEqual([
        'dev-host critical app.json:5',
        'wrong-host high .env.production:1',
      ]);
      expect(r.code).toBe(1);
    } finally {
      app.remove();
    }
  });

  // The case: staging under the audited domain used to pass. No repo.apiUrl: the expected host comes from the
  // configured endpoints (never requested here: --only hygiene).
  it.each([
    ['staging', 'https://staging-api.pawpost.com/v1', ['staging-label critical app.json:5']],
    ['a LAN address', 'http://192.168.0.23:8080', ['dev-host critical app.json:5']],
    ['production', 'https://api.pawpost.com/v1', []],
  ])('an Expo app whose release config calls %s', async (_name, apiUrl, want) => {
    const app = tempRepo('lr-e2e-expo-');
    try {
      app.write('app.json', JSON.stringify({ expo: { name: 'PawPost', extra: { apiUrl } } }, null, 2));
      app.commit('app');
      const cfg = join(work, 'expo.config.json');
      writeFileSync(cfg, JSON.stringify({ domains: [{ name: 'pawpost.com' }], repo: { path: app.dir }, endpoints: [{ name: 'feed', url: 'https://api.pawpost.com/v1/feed' }] }));
      const r = await runCli(['audit', '--only', 'hygiene', '--config', cfg, '--format', 'json'], { cwd: work, timeoutMs: 30_000 });
      const rep = JSON.parse(r.stdout) as Report;
      const found = rep.findings.filter((f) => f.checkId === 'mobile-api-url');
      expect(found.map((f) => `${f.code} ${f.severity} ${f.location.file}:${f.location.line}`)).toEqual(want);
      for (const f of found) expect(f.message).toMatch(/The production API is api\.pawpost\.com\.$/);
      expect(rep.checks.find((c) => c.id === 'mobile-api-url')?.status).toBe(want.length ? 'fail' : 'pass');
    } finally {
      app.remove();
    }
  });

  it('without a repository the checks are not applicable, with the reason', async () => {
    // A domain, so the run has a target (with nothing at all to audit the CLI stops with a usage error).
    const r = await runCli(['audit', 'pawpost.test', '--only', 'secrets,hygiene', '--format', 'json'], { cwd: work, timeoutMs: 30_000 });
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.checks.map((c) => c.status)).toEqual(Array(rep.checks.length).fill('not-applicable'));
    expect(rep.checks[0]!.reason).toMatch(/--repo/);
    // Nothing was looked at: INCOMPLETE, never GO.
    expect(rep.verdict).toBe('incomplete');
    expect(r.code).toBe(3);
  });
});
