// Test secrets, assembled at run time from parts and random bodies, so the repository never holds a live-looking
// key. Also throwaway git repositories in temp dirs, committed with a fixed identity and no signing.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isPlaceholder } from '../../src/secrets/engine.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random characters from an alphabet, with at least one of each class that alphabet has (entropy floors pass). */
export function rand(n: number, alphabet = ALNUM): string {
  for (;;) {
    const bytes = randomBytes(n);
    const s = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((r) => r.test(alphabet));
    // A random draw that happens to spell "fake" or "todo" would read as a placeholder: draw again (no flaky test).
    if (classes.every((r) => r.test(s)) && !/(.)\1\1/.test(s) && !isPlaceholder(s)) return s;
  }
}
const HEX = '0123456789abcdef';
const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = `${ALNUM}+/`;
const j = (...parts: string[]) => parts.join('');

function jwt(payload: object): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}.${rand(43, `${ALNUM}-_`)}`;
}

function pem(kind: string): string {
  const body = Array.from({ length: 6 }, () => rand(64, B64)).join('\n');
  return j('-----BEGIN ', kind, 'PRIVATE', ' KEY-----\n', body, '\n-----END ', kind, 'PRIVATE', ' KEY-----');
}

/** One fresh value per rule id. */
export function planted() {
  return {
    awsKeyId: j('AK', 'IA', rand(16, UPPER32)),
    awsSecret: rand(40, B64),
    gcpKey: j('AI', 'za', rand(35, `${ALNUM}_-`)),
    stripeLive: j('sk', '_li', 've_', rand(24)),
    stripeTest: j('sk', '_te', 'st_', rand(24)),
    githubPat: j('gh', 'p_', rand(36)),
    gitlabPat: j('gl', 'pat-', rand(20)),
    slackBot: j('xo', 'xb-', rand(11, '0123456789'), '-', rand(12, '0123456789'), '-', rand(24)),
    slackWebhook: j('https://hooks.sl', 'ack.com/services/T', rand(8, UPPER32), '/B', rand(8, UPPER32), '/', rand(24)),
    twilioSid: j('S', 'K', rand(32, HEX)),
    sendgrid: j('S', 'G.', rand(22, `${ALNUM}_-`), '.', rand(43, `${ALNUM}_-`)),
    mailgun: j('ke', 'y-', rand(32, HEX)),
    openai: j('sk', '-pr', 'oj-', rand(64, `${ALNUM}_-`)),
    anthropic: j('sk', '-ant-', 'api03-', rand(93, `${ALNUM}_-`), 'AA'),
    supabaseService: jwt({ iss: 'supabase', ref: rand(20).toLowerCase(), role: j('service', '_role'), iat: 1700000000, exp: 2000000000 }),
    supabaseAnon: jwt({ iss: 'supabase', ref: rand(20).toLowerCase(), role: 'anon', iat: 1700000000, exp: 2000000000 }),
    pemKey: pem('RSA '),
    dbPassword: rand(20),
    jwtSecret: rand(32, `${ALNUM}!#%&*+-`),
  };
}

export type Planted = ReturnType<typeof planted>;

export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  write(path: string, content: string | Buffer): void;
  commit(message: string, date?: string): string;
  remove(): void;
}

const ENV = {
  GIT_AUTHOR_NAME: 'Test Author', GIT_AUTHOR_EMAIL: 'author@example.invalid',
  GIT_COMMITTER_NAME: 'Test Committer', GIT_COMMITTER_EMAIL: 'committer@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
};

export function tempRepo(prefix = 'lr-git-'): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let tick = 0;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd: dir, env: { ...process.env, ...ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  git('init', '-q');
  return {
    dir,
    git,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    commit(message, date) {
      // Distinct, increasing dates: history order and "first committed" are then unambiguous.
      const when = date ?? `2026-01-${String(1 + (tick++ % 28)).padStart(2, '0')}T10:00:00Z`;
      execFileSync('git', ['-c', 'commit.gpgsign=false', 'add', '-A'], { cwd: dir, env: { ...process.env, ...ENV } });
      execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', message], {
        cwd: dir, env: { ...process.env, ...ENV, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
      });
      return git('rev-parse', 'HEAD').trim();
    },
    remove() { rmSync(dir, { recursive: true, force: true }); },
  };
}
