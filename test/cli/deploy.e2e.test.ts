// Deploy readiness end to end: a fixture repository on disk, read by the collector, judged by the deploy checks.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { walk } from '../../src/collect/deploy/index.js';
import type { Report } from '../../src/types.js';
import { runInProcess } from '../helpers/cli.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lr-deploy-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const audit = async (dir: string, config?: object) => {
  if (config) writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify(config));
  const r = await runInProcess(['audit', '--only', 'deploy', '--repo', dir, '--format', 'json'], {}, dir);
  return { code: r.code, report: JSON.parse(r.stdout || '{}') as Report, stderr: r.stderr };
};

describe('deploy readiness of a repository', () => {
  it('flags each unsafe migration with file and line, a deploy that skips tests, no rollback path and low coverage', async () => {
    const dir = repo({
      'prisma/migrations/20260101_init/migration.sql': 'CREATE TABLE "User" (id serial PRIMARY KEY, email text NOT NULL);\nCREATE INDEX "User_email_idx" ON "User" (email);\n',
      'prisma/migrations/20260301_phone/migration.sql': '-- phone numbers for OTP\nALTER TABLE "User" ADD COLUMN "phone" text NOT NULL;\nCREATE INDEX "User_phone_idx" ON "User" ("phone");\n',
      'db/migrate/20260302_rename.rb': 'class Rename < ActiveRecord::Migration[7.1]\n  def change\n    rename_column :orders, :total, :amount\n  end\nend\n',
      '.github/workflows/deploy.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: flyctl deploy\n',
      'README.md': '# Shop\n\nnpm start\n',
      'coverage/lcov.info': 'SF:src/auth/login.ts\nLF:200\nLH:120\nend_of_record\n',
      'node_modules/pkg/migrations/001.sql': 'DROP TABLE users;',
    });
    const { code, report } = await audit(dir, { coverage: { critical: ['src/auth/**'], min: 80 } });
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.id, f.location.file, f.location.line])).toEqual([
      ['deploy.unsafe-migration.index-without-concurrently', 'prisma/migrations/20260301_phone/migration.sql', 3],
      ['deploy.unsafe-migration.not-null-without-default', 'prisma/migrations/20260301_phone/migration.sql', 2],
      ['deploy.unsafe-migration.rename', 'db/migrate/20260302_rename.rb', 3],
      ['deploy.untested-deploy.deploy-without-tests', '.github/workflows/deploy.yml', 7],
      ['deploy.low-coverage.below-minimum', 'src/auth/login.ts', undefined],
      ['deploy.missing-rollback-path.none', 'RUNBOOK.md', undefined],
    ]);
    const notNull = report.findings.find((f) => f.code === 'not-null-without-default')!;
    expect(notNull.evidence).toBe('ALTER TABLE "User" ADD COLUMN "phone" text NOT NULL');
    expect(notNull.remediation).toMatch(/NOT VALID/);
  });

  it('a well-run repository passes: safe migrations, tested deploys, a rollback runbook, coverage above the bar', async () => {
    const dir = repo({
      'supabase/migrations/001_init.sql': 'CREATE TABLE profiles (id uuid PRIMARY KEY, plan text NOT NULL DEFAULT \'free\');\n',
      'supabase/migrations/002_idx.sql': 'CREATE INDEX CONCURRENTLY profiles_plan_idx ON profiles (plan);\n',
      '.gitlab-ci.yml': 'stages: [test, deploy]\ntest:\n  stage: test\n  script: [pnpm test]\ndeploy:\n  stage: deploy\n  script: [railway up]\n',
      'RUNBOOK.md': '# Runbook\n\n## Roll back\n\n`railway rollback` restores the previous deployment.\n',
      'coverage/coverage-summary.json': JSON.stringify({ total: {}, 'src/auth/login.ts': { lines: { total: 100, covered: 91 } } }),
    });
    const { code, report } = await audit(dir, { coverage: { critical: ['src/auth/**'], min: 80 } });
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
    expect(report.checks.find((c) => c.id === 'low-coverage')!.details).toMatchObject({ critical: { 'src/auth/**': 91 } });
  });

  it('without a repository (nor anything else) there is nothing to audit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-norepo-'));
    const r = await runInProcess(['audit', '--only', 'deploy', '--format', 'json'], {}, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to audit/);
  });

  it('the walker skips dependency folders and bounds its depth', async () => {
    const dir = repo({ 'a/b.sql': '', 'node_modules/x/y.sql': '', '.git/config': '' });
    expect((await walk(dir)).files).toEqual(['a/b.sql']);
  });
});
