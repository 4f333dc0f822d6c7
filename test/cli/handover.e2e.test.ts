// `launch-ready handover` end to end: one audit of a sandbox product and its repository, turned into the document a
// new contractor can operate from — every section present, with the facts of this product in it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokenSandbox, type BrokenSandbox } from '../helpers/broken-sandbox.js';
import { runInProcess } from '../helpers/cli.js';

let sandbox: BrokenSandbox;
let repo: string;

beforeAll(async () => {
  sandbox = await startBrokenSandbox();
  repo = mkdtempSync(join(tmpdir(), 'lr-handover-'));
  const files: Record<string, string> = {
    'prisma/migrations/1_init/migration.sql': 'ALTER TABLE "User" ADD COLUMN "phone" text NOT NULL;\n',
    '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n  deploy:\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n      - run: flyctl deploy\n',
    'fly.toml': 'app = "broken"\n',
    'RUNBOOK.md': '# Runbook\n\nTo roll back: `fly releases` then `fly deploy --image <previous>`.\n',
    'src/server.js': 'const db = process.env.DATABASE_URL;\nconst key = process.env.STRIPE_KEY;\n',
    '.env.example': 'DATABASE_URL=\n',
  };
  for (const [p, t] of Object.entries(files)) { mkdirSync(dirname(join(repo, p)), { recursive: true }); writeFileSync(join(repo, p), t); }
  const git = (...a: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', ...a], { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'init');
  writeFileSync(join(repo, 'launch-ready.config.json'), JSON.stringify({
    ...sandbox.config,
    project: 'Broken Co',
    endpoints: [{ name: 'health', url: 'https://api.broken.test/health' }],
    environments: [{ name: 'production', hosts: ['broken.test', 'www.broken.test'], owner: 'ops@broken.test' }],
    monitor: { failuresBeforeAlert: 2, command: 'echo alert' },
    accept: [{ id: 'dns.missing-caa', reason: 'CAA after launch (owner: ops)', expires: '2099-12-31' }],
  }));
});

afterAll(async () => { await sandbox.close(); });

describe('handover', () => {
  it('writes every section with this product\'s facts', async () => {
    const r = await runInProcess(['handover', '--output', 'HANDOVER.md', '--skip', 'tls,redirects,email,headers'], {}, repo);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(repo, 'HANDOVER.md'), 'utf8');
    for (const h of ['# Handover: Broken Co', '## 1. Deployment map', '## 2. Accounts and vendors', '## 3. Environment variables', '## 4. Secrets to rotate', '## 5. Monitoring', '## 6. Accepted risks', '## 7. Open risks, ranked', '## 8. Deploy and rollback', '## 9. Next fixes']) {
      expect(md).toContain(h);
    }
    expect(md).toMatch(/Verdict today: \*\*NO-GO\*\*/);
    expect(md).toMatch(/\| www\.broken\.test \| 127\.0\.0\.5 \|.*\| production \| ops@broken\.test \|/);
    expect(md).toMatch(/\| admin\.broken\.test \| dangling \(→ ghost-app\.herokuapp\.com\)/);
    expect(md).toMatch(/- \*\*CI:\*\* github-actions \(\.github\/workflows\/ci\.yml\)/);
    expect(md).toMatch(/- \*\*Deploy platforms:\*\* fly \(fly\.toml\)/);
    expect(md).toMatch(/\| `dns\.missing-caa` \| everywhere \| CAA after launch \(owner: ops\) \| 2099-12-31 \|/);
    expect(md).toMatch(/alerts after 2 failures in a row via the configured command/);
    expect(md).toMatch(/RUNBOOK\.md:3: To roll back/);
    expect(md).toMatch(/\| 1 \| high \|/);
    expect(md).toMatch(/- \[ \] \*\*high\*\*/);
  });
});
