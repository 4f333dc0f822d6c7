// The secrets collector against throwaway git repositories: planted secrets in the tree, in history only, in a
// deleted file, in a binary, on a side branch and behind a tag, plus decoys; exact records, none for the decoys.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanRepository, sensitiveKind } from '../../src/collect/git/secrets.js';
import type { SecretsScan } from '../../src/facts/secrets.js';
import { secretId } from '../../src/secrets/engine.js';
import { planted, rand, tempRepo, type TempRepo } from '../secrets/planted.js';

const p = planted();
let repo: TempRepo;
let scan: SecretsScan;
const commits: Record<string, string> = {};

beforeAll(async () => {
  repo = tempRepo();
  repo.write('.gitignore', 'node_modules/\nsecrets.txt\n');
  repo.write('src/billing.ts', `import Stripe from 'stripe';\nexport const stripe = new Stripe("${p.stripeLive}");\n`);
  repo.write('.env', `DATABASE_URL=postgres://app:${p.dbPassword}@db-1.prod.pawpost.net:5432/app\nJWT_SECRET=${p.jwtSecret}\n`);
  repo.write('.env.example', 'DATABASE_URL=postgres://user:password@localhost:5432/app\nJWT_SECRET=changeme\nSTRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n');
  repo.write('README.md', 'Configure AWS:\n\n    aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
  repo.write('test/fixtures/env.txt', `JWT_SECRET=${rand(32)}\nAPI_KEY=<your-key>\n`);
  repo.write('old/credentials.json', JSON.stringify({ github: p.githubPat }, null, 2));
  commits.first = repo.commit('initial');

  // The key is moved to the environment and the credentials file deleted: both stay in history.
  repo.write('src/billing.ts', "import Stripe from 'stripe';\nexport const stripe = new Stripe(process.env.STRIPE_KEY!);\n");
  repo.git('rm', '-q', 'old/credentials.json');
  repo.write('assets/icon.bin', Buffer.concat([Buffer.from([0x89, 0, 1, 2, 0]), Buffer.from(`cfg:${p.sendgrid};`), Buffer.from([0, 0, 0xff])]));
  repo.write('src/slack.ts', `const hook = "${p.slackBot}"; // launch-ready-allow: revoked, kept for the docs\n`);
  repo.write('vendor/big.js', `// ${'x'.repeat(6000)}\nconst t = "${p.gitlabPat}";\n`);
  commits.second = repo.commit('move the key to env');

  // A side branch that was never merged, and a commit reachable only through a tag.
  repo.git('checkout', '-q', '-b', 'feature/ai');
  repo.write('src/ai.ts', `export const openai = "${p.openai}";\n`);
  commits.feature = repo.commit('ai experiment');
  repo.git('checkout', '-q', '-b', 'tmp');
  repo.write('deploy/key.pem', `${p.pemKey}\n`);
  commits.tagged = repo.commit('deploy key');
  repo.git('tag', 'v0-deploy');
  repo.git('checkout', '-q', 'main');
  repo.git('branch', '-q', '-D', 'tmp');

  // Working tree only: an untracked, unignored env file, and an ignored one that must not be read.
  repo.write('.env.local', `ANTHROPIC_API_KEY=${p.anthropic}\n`);
  repo.write('secrets.txt', `token ${p.githubPat}${rand(4)}\n`);

  scan = (await scanRepository(repo.dir, { maxFileBytes: 4096 })) as SecretsScan;
});

afterAll(() => repo?.remove());

const short = (sha: string) => sha.slice(0, 7);

describe('secrets collector on a planted repository', () => {
  it('finds exactly the planted secrets, each with where it is and the commit that introduced it', () => {
    const got = scan.matches.map((m) => ({
      rule: m.ruleId,
      id: m.secretId,
      tree: m.inTree ? `${m.inTree.file}${m.inTree.line ? `:${m.inTree.line}` : ''}` : null,
      introduced: m.introduced ? `${short(m.introduced.commit!)} ${m.introduced.file}${m.introduced.line ? `:${m.introduced.line}` : ''}` : null,
    }));
    const want = [
      { rule: 'database-url', id: secretId('database-url', p.dbPassword), tree: '.env:1', introduced: `${short(commits.first!)} .env:1` },
      { rule: 'generic-secret', id: secretId('generic-secret', p.jwtSecret), tree: '.env:2', introduced: `${short(commits.first!)} .env:2` },
      { rule: 'anthropic-api-key', id: secretId('anthropic-api-key', p.anthropic), tree: '.env.local:1', introduced: null },
      { rule: 'sendgrid-api-key', id: secretId('sendgrid-api-key', p.sendgrid), tree: 'assets/icon.bin', introduced: `${short(commits.second!)} assets/icon.bin` },
      { rule: 'private-key', id: secretId('private-key', p.pemKey.split('\n').slice(1, -1).join('\n')), tree: null, introduced: `${short(commits.tagged!)} deploy/key.pem:2` },
      { rule: 'github-token', id: secretId('github-token', p.githubPat), tree: null, introduced: `${short(commits.first!)} old/credentials.json:2` },
      { rule: 'openai-api-key', id: secretId('openai-api-key', p.openai), tree: null, introduced: `${short(commits.feature!)} src/ai.ts:1` },
      { rule: 'stripe-live-secret-key', id: secretId('stripe-live-secret-key', p.stripeLive), tree: null, introduced: `${short(commits.first!)} src/billing.ts:2` },
      { rule: 'gitlab-token', id: secretId('gitlab-token', p.gitlabPat), tree: null, introduced: `${short(commits.second!)} vendor/big.js:2` },
    ];
    const key = (x: { rule: string }) => x.rule;
    expect([...got].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...want].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('records dates, commit counts and binary placement', () => {
    const stripe = scan.matches.find((m) => m.ruleId === 'stripe-live-secret-key')!;
    expect(stripe.introduced!.date).toMatch(/^2026-01-01T10:00:00/);
    expect(stripe.commits).toBe(1);
    expect(stripe.severity).toBe('critical');
    expect(scan.matches.find((m) => m.ruleId === 'sendgrid-api-key')!.inBinary).toBe(true);
  });

  it('never holds a raw secret: every planted value is absent from the facts', () => {
    const facts = JSON.stringify(scan);
    for (const [name, value] of Object.entries(p)) {
      for (const piece of value.split('\n').filter((l) => l.length >= 16)) expect(facts, name).not.toContain(piece);
    }
  });

  it('counts the allow comment, skips the oversized file, and scans every ref', () => {
    expect(scan.allowedInline).toBe(2); // the same line in the tree and in the commit that added it
    expect(scan.tree.skipped).toEqual([{ path: 'vendor/big.js', reason: 'too-large', size: expect.any(Number) }]);
    expect(scan.history.commits).toBe(4);
    expect(scan.history.binaryBlobs).toBe(1);
    expect(scan.shallow).toBe(false);
  });

  it('lists committed, deleted and unignored sensitive files, not .env.example or ignored files', () => {
    expect(scan.sensitiveFiles.map((f) => ({ path: f.path, kind: f.kind, tracked: f.tracked, unignored: f.unignored, added: f.addedIn ? short(f.addedIn.commit) : null }))).toEqual([
      { path: '.env', kind: 'env', tracked: true, unignored: false, added: short(commits.first!) },
      { path: '.env.local', kind: 'env', tracked: false, unignored: true, added: null },
      { path: 'deploy/key.pem', kind: 'private-key', tracked: false, unignored: false, added: short(commits.tagged!) },
      { path: 'old/credentials.json', kind: 'credentials', tracked: false, unignored: false, added: short(commits.first!) },
    ]);
  });
});

describe('repository edge cases', () => {
  it('a shallow clone is detected and only its commits are scanned', async () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'lr-shallow-')), 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-local', `file://${repo.dir}`, dest], { stdio: 'ignore' });
    const s = (await scanRepository(dest)) as SecretsScan;
    expect(s.shallow).toBe(true);
    expect(s.history.commits).toBe(1);
    // The Stripe key lives only in the first commit, which the clone does not have.
    expect(s.matches.map((m) => m.ruleId)).not.toContain('stripe-live-secret-key');
  });

  it('an empty repository (no commit yet) scans the tree only', async () => {
    const r = tempRepo();
    try {
      r.write('app.ts', `const k = "${p.githubPat}";\n`);
      const s = (await scanRepository(r.dir)) as SecretsScan;
      expect(s.history.commits).toBe(0);
      expect(s.matches.map((m) => [m.ruleId, m.inTree?.file])).toEqual([['github-token', 'app.ts']]);
    } finally {
      r.remove();
    }
  });

  it('one value pasted in several files is one match listing every place, in a stable order', async () => {
    const r = tempRepo();
    try {
      r.write('z/last.ts', `const k = "${p.githubPat}";\n`);
      r.write('a/first.ts', `// token\nconst k = "${p.githubPat}";\n`);
      r.write('m/mid.ts', `export const t = "${p.githubPat}";\n`);
      r.commit('three copies');
      const s = (await scanRepository(r.dir)) as SecretsScan;
      expect(s.matches).toHaveLength(1);
      const m = s.matches[0]!;
      expect([m.inTree, ...(m.alsoInTree ?? [])].map((o) => `${o!.file}:${o!.line}`)).toEqual(['a/first.ts:2', 'm/mid.ts:1', 'z/last.ts:1']);
      expect(m.evidence).toMatch(/^const k = "/);
      expect(m.alsoInTree![0]!.evidence).toMatch(/^export const t = "/);
      expect(JSON.stringify(s)).not.toContain(p.githubPat);
    } finally {
      r.remove();
    }
  });

  it('a directory that is not a repository is an error, not an empty pass', async () => {
    await expect(scanRepository(mkdtempSync(join(tmpdir(), 'lr-norepo-')))).rejects.toThrow(/not a git repository/);
  });

  it('a folder that does not exist says so (not "git is not installed")', async () => {
    await expect(scanRepository(join(tmpdir(), `lr-missing-${rand(8)}`))).rejects.toThrow(/is not a folder/);
  });

  it('an aborted run stops the scan with an error', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(scanRepository(repo.dir, { signal: ac.signal })).rejects.toThrow();
  });

  it('classifies sensitive file names', () => {
    expect(['.env', 'api/.env.production', 'prod.env', '.envrc', 'config/credentials.json', 'firebase/app-firebase-adminsdk-x1.json', 'AuthKey_ABC123.p8', 'android/release.keystore', 'id_rsa']
      .map(sensitiveKind)).toEqual(['env', 'env', 'env', 'env', 'credentials', 'credentials', 'private-key', 'keystore', 'private-key']);
    expect(['.env.example', '.env.sample', '.env.template', 'example.env', 'debug.keystore', 'src/env.ts', 'public.key'].map(sensitiveKind)).toEqual(Array(7).fill(undefined));
  });
});

describe('git errors', () => {
  it('never carry a credential from a remote URL', async () => {
    const { scrubUrlCredentials } = await import('../../src/collect/git/spawn.js');
    const token = rand(36);
    expect(scrubUrlCredentials(`fatal: unable to access 'https://bot:${token}@git.example.invalid/x.git/'`)).toBe("fatal: unable to access 'https://bot:[redacted]@git.example.invalid/x.git/'");
  });
});

describe('history scanned once per distinct change', () => {
  it('a cherry-picked secret is matched from cache and counted in both commits', async () => {
    const r = tempRepo();
    try {
      r.write('a.txt', 'base\n');
      r.commit('base');
      r.git('checkout', '-q', '-b', 'hotfix');
      r.write('src/pay.ts', `export const k = "${p.stripeLive}";\n`);
      const picked = r.commit('key');
      r.git('checkout', '-q', 'main');
      r.write('b.txt', 'other\n');
      r.commit('other');
      r.git('-c', 'commit.gpgsign=false', 'cherry-pick', picked);
      const s = (await scanRepository(r.dir)) as SecretsScan;
      expect(s.history.reusedDiffs).toBe(1);
      expect(s.matches.map((m) => [m.ruleId, m.commits, m.inTree?.file])).toEqual([['stripe-live-secret-key', 2, 'src/pay.ts']]);
      expect(s.matches[0]!.introduced!.commit).toBe(picked);
    } finally {
      r.remove();
    }
  });
});

describe('--repo naming a subfolder', () => {
  it('scans the whole work tree, with paths from its top', async () => {
    const s = (await scanRepository(join(repo.dir, 'src'))) as SecretsScan;
    expect(s.repo).toBe(execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: repo.dir, encoding: 'utf8' }).trim());
    expect(s.matches.find((m) => m.ruleId === 'database-url')!.inTree).toEqual({ file: '.env', line: 1 });
  });
});

describe('bounded memory on a huge one-line file', () => {
  it('keeps the head of a 5 MB minified line (a secret there is found) and still parses what follows', async () => {
    const r = tempRepo();
    try {
      r.write('dist/app.min.js', `var k="${p.githubPat}";${'a=1;'.repeat(1_300_000)}\n`);
      r.write('src/after.ts', `export const s = "${p.sendgrid}";\n`);
      r.commit('bundle');
      const s = (await scanRepository(r.dir, { maxFileBytes: 1024 })) as SecretsScan;
      expect(s.matches.map((m) => [m.ruleId, m.introduced?.file, m.introduced?.line]).sort()).toEqual([
        ['github-token', 'dist/app.min.js', 1],
        ['sendgrid-api-key', 'src/after.ts', 1],
      ]);
      expect(s.tree.skipped.map((f) => f.path)).toEqual(['dist/app.min.js']);
    } finally {
      r.remove();
    }
  });
});

describe('user git config cannot change what the scan sees', () => {
  it('finds a secret in the root commit with diff.noprefix and log.showRoot=false set', async () => {
    const r = tempRepo();
    try {
      r.write('src/key.ts', `export const k = "${p.githubPat}";\n`);
      const root = r.commit('root');
      r.git('config', 'diff.noprefix', 'true');
      r.git('config', 'log.showRoot', 'false');
      r.git('config', 'log.showSignature', 'true');
      r.git('rm', '-q', 'src/key.ts');
      r.commit('remove');
      const s = (await scanRepository(r.dir)) as SecretsScan;
      expect(s.matches.map((m) => [m.ruleId, m.introduced?.file, m.introduced?.commit, Boolean(m.inTree)])).toEqual([['github-token', 'src/key.ts', root, false]]);
    } finally {
      r.remove();
    }
  });
});

describe('a damaged history', () => {
  it('still reports the tree, and says the history could not be read', async () => {
    const r = tempRepo();
    try {
      r.write('old.txt', `gone ${rand(20)}\n`);
      r.commit('old');
      const blob = r.git('rev-parse', 'HEAD:old.txt').trim();
      r.git('rm', '-q', 'old.txt');
      r.write('app.ts', `const k = "${p.githubPat}";\n`);
      r.commit('new');
      rmSync(join(r.dir, '.git/objects', blob.slice(0, 2), blob.slice(2)));
      const s = (await scanRepository(r.dir)) as SecretsScan;
      expect(s.history.error).toMatch(/git log failed/);
      expect(s.matches.map((m) => [m.ruleId, m.inTree?.file])).toEqual([['github-token', 'app.ts']]);
    } finally {
      r.remove();
    }
  });
});
