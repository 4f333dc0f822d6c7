// Table tests for the deploy checks over a known-good repository baseline, plus the migration rules and CI reading.
import { describe, expect } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import lowCoverage from '../../src/checks/deploy/low-coverage.js';
import missingDeployPipeline from '../../src/checks/deploy/missing-deploy-pipeline.js';
import missingRollbackPath from '../../src/checks/deploy/missing-rollback-path.js';
import unsafeMigration from '../../src/checks/deploy/unsafe-migration.js';
import untestedDeploy from '../../src/checks/deploy/untested-deploy.js';
import type { DeployFacts, MigrationFile } from '../../src/facts/deploy.js';
import type { FactMap } from '../../src/facts/index.js';
import { parse } from 'yaml';
import { checkTable } from '../helpers/check-tester.js';
import { NOW } from '../helpers/dns-facts.js';

const c = (x: unknown) => x as AnyCheck;
type Facts = Pick<FactMap, 'target' | 'deploy.repo'>;

const CI = `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
  deploy:
    needs: test
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    steps:
      - run: npx vercel deploy --prod
`;

/** A CI file as the collector delivers it: YAML providers parsed, parse errors recorded. */
function ciFile(path: string, text: string, provider: DeployFacts['ci'][number]['provider']): DeployFacts['ci'][number] {
  if (provider !== 'github-actions' && provider !== 'gitlab-ci') return { path, text, provider };
  try {
    return { path, text, provider, doc: parse(text) as unknown };
  } catch (err) {
    return { path, text, provider, parseError: (err as Error).message.split('\n')[0]! };
  }
}

const SAFE_MIGRATION = `-- create the table and index it at once: it is empty
CREATE TABLE "Order" (id serial PRIMARY KEY, "userId" int NOT NULL);
CREATE INDEX "Order_userId_idx" ON "Order" ("userId");
ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"(id);
ALTER TABLE "User" ADD COLUMN "plan" text NOT NULL DEFAULT 'free';
CREATE INDEX CONCURRENTLY "User_email_idx" ON "User" (email);
ALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK (age > 0) NOT VALID;
`;

const LCOV = ['SF:src/auth/login.ts', 'LF:100', 'LH:90', 'end_of_record', 'SF:src/billing/charge.ts', 'LF:50', 'LH:45', 'end_of_record', 'SF:src/ui/page.ts', 'LF:10', 'LH:1', 'end_of_record'].join('\n');

/** An lcov report of [file, lines, covered] records. */
const lcovOf = (files: [string, number, number][]) => files.map(([f, lf, lh]) => `SF:${f}\nLF:${lf}\nLH:${lh}\nend_of_record`).join('\n');

function baseline(): Facts {
  const repo: DeployFacts = {
    root: '/srv/app',
    migrations: [{ path: 'prisma/migrations/20260101_init/migration.sql', text: SAFE_MIGRATION, dialect: 'sql', layout: 'prisma' }],
    ci: [ciFile('.github/workflows/ci.yml', CI, 'github-actions')],
    platforms: [],
    docs: [{ path: 'README.md', text: '# App\n\n## Rollback\n\nRun `vercel rollback` to restore the previous deploy.\n' }],
    coverage: [{ path: 'coverage/lcov.info', text: LCOV, format: 'lcov' }],
    coverageConfig: { critical: ['src/auth/**', 'src/billing/**'], min: 80 },
    skipped: [],
  };
  return { target: { domains: [], now: NOW, accept: [], repo: '/srv/app' }, 'deploy.repo': repo };
}

const addMigration = (text: string, dialect: MigrationFile['dialect'] = 'sql', path = 'prisma/migrations/20260201_next/migration.sql') =>
  (f: Facts) => { f['deploy.repo'].migrations.push({ path, text, dialect, layout: dialect === 'rails' ? 'rails' : 'prisma' }); };

describe('unsafe-migration', () => {
  checkTable(c(unsafeMigration), baseline, [
    { name: 'safe patterns pass', status: 'pass' },
    { name: 'no repository: not applicable', mutate: (f) => { delete f.target.repo; }, status: 'not-applicable' },
    { name: 'no migrations: not applicable', mutate: (f) => { f['deploy.repo'].migrations = []; }, status: 'not-applicable' },
    {
      name: 'NOT NULL column without default, with file and line',
      mutate: addMigration('-- add phone\n\nALTER TABLE "User"\n  ADD COLUMN "phone" text NOT NULL;\n'),
      status: 'fail',
      findings: [{ code: 'not-null-without-default', message: /^prisma\/migrations\/20260201_next\/migration\.sql:3 adds NOT NULL column user\.phone without a default\.$/ }],
    },
    { name: 'index without CONCURRENTLY', mutate: addMigration('CREATE UNIQUE INDEX idx ON users (email);'), status: 'fail', findings: [{ code: 'index-without-concurrently', severity: 'high' }] },
    { name: 'FK validated at once', mutate: addMigration('ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users(id);'), status: 'fail', findings: [{ code: 'constraint-without-not-valid', severity: 'medium' }] },
    { name: 'SET NOT NULL', mutate: addMigration('ALTER TABLE users ALTER COLUMN email SET NOT NULL;'), status: 'fail', findings: ['set-not-null'] },
    { name: 'type change', mutate: addMigration('ALTER TABLE users ALTER COLUMN age TYPE bigint;'), status: 'fail', findings: ['column-type-change'] },
    { name: 'rename column and table', mutate: addMigration('ALTER TABLE users RENAME COLUMN name TO full_name;\nALTER TABLE orders RENAME TO purchases;'), status: 'fail', findings: ['rename', 'rename'] },
    { name: 'drop column and table', mutate: addMigration('ALTER TABLE users DROP COLUMN legacy;\nDROP TABLE IF EXISTS old_sessions;'), status: 'fail', findings: ['drop', 'drop'] },
    { name: 'dropping a default or constraint is fine', mutate: addMigration('ALTER TABLE users ALTER COLUMN plan DROP DEFAULT;\nALTER TABLE users DROP CONSTRAINT users_age_check;'), status: 'pass' },
    { name: 'backfill in the migration', mutate: addMigration("UPDATE users SET plan = 'free' WHERE plan IS NULL;"), status: 'fail', findings: [{ code: 'backfill-in-migration', severity: 'medium' }] },
    {
      name: 'Rails DSL',
      mutate: addMigration([
        'class AddPhone < ActiveRecord::Migration[7.1]', '  def change',
        '    add_column :users, :phone, :string, null: false', '    add_index :users, :phone',
        '    add_index :users, :email, algorithm: :concurrently', '    rename_column :users, :name, :full_name',
        '    remove_column :users, :legacy', '    add_foreign_key :orders, :users', '  end', 'end',
      ].join('\n'), 'rails', 'db/migrate/20260201_add_phone.rb'),
      status: 'fail',
      findings: [
        { code: 'not-null-without-default', message: /db\/migrate\/20260201_add_phone\.rb:3/ }, 'index-without-concurrently', 'rename', 'drop', 'constraint-without-not-valid',
      ],
    },
  ]);

});

describe('untested-deploy', () => {
  const ci = (text: string, provider: DeployFacts['ci'][number]['provider'] = 'github-actions', path = '.github/workflows/ci.yml') =>
    (f: Facts) => { f['deploy.repo'].ci = [ciFile(path, text, provider)]; };
  checkTable(c(untestedDeploy), baseline, [
    { name: 'deploy needs test: pass', status: 'pass' },
    { name: 'no CI at all', mutate: (f) => { f['deploy.repo'].ci = []; }, status: 'fail', findings: [{ code: 'no-ci', severity: 'medium' }] },
    { name: 'deploy job without needs', mutate: ci(CI.replace('    needs: test\n', '')), status: 'fail', findings: [{ code: 'deploy-without-tests', message: /Job "deploy" in \.github\/workflows\/ci\.yml:9/ }] },
    { name: 'CI without tests', mutate: ci('jobs:\n  build:\n    runs-on: x\n    steps:\n      - run: npm run build\n'), status: 'fail', findings: ['no-tests-in-ci'] },
    { name: 'transitive needs count', mutate: ci(CI.replace('needs: test', 'needs: [build]').replace('jobs:\n', 'jobs:\n  build:\n    needs: test\n    runs-on: x\n    steps:\n      - run: npm run build\n')), status: 'pass' },
    { name: 'GitLab stages: deploy after test', mutate: ci('stages: [test, deploy]\ntest:\n  stage: test\n  script: [npm test]\ndeploy:\n  stage: deploy\n  script: [flyctl deploy]\n', 'gitlab-ci', '.gitlab-ci.yml'), status: 'pass' },
    { name: 'GitLab needs: [] skips the tests', mutate: ci('stages: [test, deploy]\ntest:\n  stage: test\n  script: [npm test]\ndeploy:\n  stage: deploy\n  needs: []\n  script: [flyctl deploy]\n', 'gitlab-ci', '.gitlab-ci.yml'), status: 'fail', findings: ['deploy-without-tests'] },
    { name: 'unparsable YAML is an unknown', mutate: ci('jobs: [unclosed'), status: 'error', error: /could not be parsed/ },
  ]);

});

describe('missing-deploy-pipeline', () => {
  checkTable(c(missingDeployPipeline), baseline, [
    { name: 'a CI deploy job passes', status: 'pass' },
    { name: 'a platform config passes', mutate: (f) => { f['deploy.repo'].ci = []; f['deploy.repo'].platforms = [{ path: 'fly.toml', platform: 'fly', rollback: true }]; }, status: 'pass' },
    { name: 'neither', mutate: (f) => { f['deploy.repo'].ci = []; f['deploy.repo'].platforms = [{ path: 'Dockerfile', platform: 'docker', rollback: false }]; }, status: 'fail', findings: ['none'] },
  ]);
});

describe('missing-rollback-path', () => {
  checkTable(c(missingRollbackPath), baseline, [
    { name: 'a documented rollback passes', status: 'pass' },
    { name: 'a platform with releases passes', mutate: (f) => { f['deploy.repo'].docs = []; f['deploy.repo'].platforms = [{ path: 'render.yaml', platform: 'render', rollback: true }]; }, status: 'pass' },
    { name: 'nothing', mutate: (f) => { f['deploy.repo'].docs = [{ path: 'README.md', text: '# App\nnpm start\n' }]; }, status: 'fail', findings: [{ code: 'none', message: /README\.md/ }] },
    { name: 'a README that only mentions rollback in prose does not count', mutate: (f) => { f['deploy.repo'].docs = [{ path: 'README.md', text: '# App\nWe should add a rollback some day.\n' }]; }, status: 'fail', findings: ['none'] },
    { name: 'a runbook line counts', mutate: (f) => { f['deploy.repo'].docs = [{ path: 'docs/runbooks/deploy.md', text: 'To roll back, run `fly deploy --image <previous>`.\n' }]; }, status: 'pass' },
  ]);
});

describe('low-coverage', () => {
  checkTable(c(lowCoverage), baseline, [
    { name: 'critical paths above the minimum pass', status: 'pass' },
    { name: 'below the minimum', mutate: (f) => { f['deploy.repo'].coverageConfig!.min = 95; }, status: 'fail', findings: [{ code: 'below-minimum', message: /src\/auth\/\*\*: 90% of 100 lines covered, below the 95% minimum/ }, 'below-minimum'] },
    { name: 'a glob that matches nothing', mutate: (f) => { f['deploy.repo'].coverageConfig!.critical = ['src/payments/**']; }, status: 'fail', findings: ['no-match'] },
    { name: 'no report is info', mutate: (f) => { f['deploy.repo'].coverage = []; }, status: 'warn', findings: [{ code: 'no-report', severity: 'info' }] },
    { name: 'no critical paths configured: overall only', mutate: (f) => { delete f['deploy.repo'].coverageConfig; }, status: 'pass' },
    {
      name: 'passing: per-glob and overall figures in details',
      status: 'pass',
      // 136 of 160 lines over the whole report; each critical glob at 90%.
      details: { reports: ['coverage/lcov.info'], overallPercent: 85, critical: { 'src/auth/**': 90, 'src/billing/**': 90 }, min: 80 },
    },
    { name: 'exactly at the minimum passes', mutate: (f) => { f['deploy.repo'].coverageConfig!.min = 90; }, status: 'pass' },
    { name: 'just below the minimum fails', mutate: (f) => { f['deploy.repo'].coverageConfig!.min = 90.1; }, status: 'fail', findings: ['below-minimum', 'below-minimum'] },
    {
      name: 'an empty critical list is the overall figure only, said so',
      mutate: (f) => { f['deploy.repo'].coverageConfig!.critical = []; },
      status: 'pass',
      details: { overallPercent: 85, note: expect.stringContaining('no critical paths configured') },
    },
    { name: 'no repository is not applicable', mutate: (f) => { delete f.target.repo; }, status: 'not-applicable' },
    {
      name: 'the least covered file is named, files without lines left out',
      mutate: (f) => {
        const r = f['deploy.repo'];
        r.coverage[0]!.text = lcovOf([['src/auth/empty.ts', 0, 0], ['src/auth/login.ts', 100, 90], ['src/auth/session.ts', 20, 12], ['src/auth/mfa.ts', 40, 30]]);
        r.coverageConfig = { critical: ['src/auth/**'], min: 95 };
      },
      status: 'fail',
      findings: [{
        code: 'below-minimum',
        message: /^src\/auth\/\*\*: 82\.5% of 160 lines covered, below the 95% minimum \(4 files; least covered: src\/auth\/session\.ts 60%\)\.$/,
        location: { file: 'src/auth/session.ts' },
        args: { glob: 'src/auth/**', percent: 82.5, lines: 160, min: 95, files: 4, worst: 'src/auth/session.ts 60%' },
      }],
      details: { critical: { 'src/auth/**': 82.5 }, min: 95 },
    },
    {
      name: 'a glob matching only files without lines is not measured',
      mutate: (f) => {
        f['deploy.repo'].coverage[0]!.text = `${LCOV}\n${lcovOf([['src/auth/types.ts', 0, 0]])}`;
        f['deploy.repo'].coverageConfig!.critical = ['src/auth/types.ts'];
      },
      status: 'fail',
      findings: [{ code: 'no-match', location: { file: 'coverage/lcov.info' }, args: { glob: 'src/auth/types.ts', report: ['coverage/lcov.info'] } }],
      details: { critical: { 'src/auth/types.ts': null } },
    },
    {
      name: 'a glob matching nothing names the glob and the report',
      mutate: (f) => { f['deploy.repo'].coverageConfig!.critical = ['src/auth/**', 'src/payments/**']; },
      status: 'fail',
      findings: [{ code: 'no-match', message: /^src\/payments\/\*\* matches no file in the coverage report coverage\/lcov\.info:/, location: { file: 'coverage/lcov.info' }, args: { glob: 'src/payments/**', report: ['coverage/lcov.info'] } }],
      details: { critical: { 'src/auth/**': 90, 'src/payments/**': null } },
    },
    {
      name: 'no report: located at the configured report path',
      mutate: (f) => { f['deploy.repo'].coverage = []; f['deploy.repo'].coverageConfig!.report = 'build/lcov.info'; },
      status: 'warn',
      findings: [{ code: 'no-report', location: { file: 'build/lcov.info' } }],
    },
    {
      name: 'no report and no coverage config: located at coverage/',
      mutate: (f) => { f['deploy.repo'].coverage = []; delete f['deploy.repo'].coverageConfig; },
      status: 'warn',
      findings: [{ code: 'no-report', location: { file: 'coverage/' } }],
    },
    {
      name: 'an unreadable report is low, the readable one still counts',
      mutate: (f) => { f['deploy.repo'].coverage.push({ path: 'coverage/coverage-summary.json', text: '{"total": {"lines": ', format: 'istanbul-summary' }); },
      status: 'warn',
      findings: [{
        code: 'unparsable', severity: 'low', message: /^The coverage report coverage\/coverage-summary\.json could not be read: .*JSON/,
        location: { file: 'coverage/coverage-summary.json' },
        args: { report: 'coverage/coverage-summary.json', error: expect.stringMatching(/JSON/) },
      }],
      details: { reports: ['coverage/lcov.info', 'coverage/coverage-summary.json'], overallPercent: 85, critical: { 'src/auth/**': 90, 'src/billing/**': 90 } },
    },
  ]);

});
