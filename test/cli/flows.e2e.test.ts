// `launch-ready audit --only flows` end to end against the sandbox auth API: the correct implementation passes,
// the broken one yields exactly its broken steps, ranked, with expected vs actual; no credential or token is printed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/types.js';
import { ACCOUNT, startAuthSandbox, type AuthSandbox } from '../helpers/auth-api-sandbox.js';
import { runInProcess } from '../helpers/cli.js';

let correct: AuthSandbox;
let broken: AuthSandbox;

beforeAll(async () => {
  [correct, broken] = await Promise.all([startAuthSandbox('correct'), startAuthSandbox('broken')]);
});
afterAll(async () => {
  await Promise.all([correct?.close(), broken?.close()]);
});

function config(api: string) {
  return {
    project: 'Shop',
    network: { resolver: '127.0.0.1:9' },
    flows: [
      {
        name: 'session', template: 'session',
        login: { url: `${api}/login`, json: { email: ACCOUNT.email, password: '${env:LR_TEST_PASSWORD}' } },
        read: { url: `${api}/me` },
        refresh: { url: `${api}/refresh` },
        logout: { url: `${api}/logout` },
      },
      { name: 'reset', template: 'password-reset', request: { url: `${api}/password-reset` }, existingEmail: ACCOUNT.email, unknownEmail: 'nobody@shop.test' },
      { name: 'callbacks', template: 'callbacks', urls: [`${api}/auth/callback/google?code=c1&state=s1`, `${api}/auth/callback/apple?code=c2`] },
      {
        name: 'profile', steps: [
          { name: 'login', method: 'POST', url: `${api}/login`, json: { email: ACCOUNT.email, password: '${env:LR_TEST_PASSWORD}' }, extract: { token: '/access_token', type: '/token_type' }, expect: { status: 200, json: { '/token_type': 'Bearer' } } },
          { name: 'me', url: `${api}/me`, headers: { authorization: '{{type}} {{token}}' }, expect: { status: [200], json: { '/email': ACCOUNT.email } } },
        ],
      },
    ],
  };
}

async function audit(api: AuthSandbox, extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'lr-flows-'));
  writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify(config(api.url)));
  const r = await runInProcess(['audit', '--only', 'flows', '--format', 'json', ...extra], { LR_TEST_PASSWORD: ACCOUNT.password }, dir);
  return { r, dir, report: JSON.parse(r.stdout) as Report };
}

describe('audit --only flows', () => {
  it('passes the correct auth implementation, one request per step', async () => {
    const { r, report } = await audit(correct);
    expect(r.stderr).toBe('');
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('go');
    const check = report.checks.find((c) => c.id === 'broken-flow-step')!;
    expect(check.status).toBe('pass');
    const flows = (check.details as { flows: { name: string; steps: { name: string; ran: boolean; status?: number }[] }[] }).flows;
    expect(flows.map((f) => [f.name, f.steps.map((s) => `${s.name}:${s.status ?? 'not run'}`)])).toEqual([
      ['session', ['login:200', 'authenticated read:200', 'token refresh:200', 'read with the refreshed token:200', 'reuse of the old refresh token:401', 'logout:204', 'read after logout:401', 'refresh after logout:401']],
      ['reset', ['reset for an existing account:202', 'reset for an unknown account:202']],
      ['callbacks', ['callback /auth/callback/google:302', 'callback /auth/callback/apple:302']],
      ['profile', ['login:200', 'me:200']],
    ]);
    expect(Object.fromEntries(correct.hits)).toEqual({
      'POST /login': 2, 'GET /me': 4, 'POST /refresh': 3, 'POST /logout': 1, 'POST /password-reset': 2,
      'GET /auth/callback/google': 1, 'GET /auth/callback/apple': 1,
    });
  });

  it('reports exactly the broken steps of the broken implementation, with expected vs actual and no secret', async () => {
    const facts = join(mkdtempSync(join(tmpdir(), 'lr-flows-facts-')), 'facts');
    const { r, report } = await audit(broken, ['--save-facts', facts]);
    expect(r.code).toBe(1);
    expect(report.verdict).toBe('no-go');
    // One finding per code for a flow; every broken step is one of its places.
    expect(report.findings.find((f) => f.code === 'session-survives-logout')!.count).toBe(2);
    expect(report.findings.flatMap((f) => f.occurrences.map((o) => `${f.severity} ${f.id} ${o.record}`))).toEqual([
      'critical flows.broken-flow-step.reset-token-leaked reset › reset for an existing account',
      'high flows.broken-flow-step.callback-error callbacks › callback /auth/callback/google',
      'high flows.broken-flow-step.refresh-token-reusable session › reuse of the old refresh token',
      'high flows.broken-flow-step.session-survives-logout session › read after logout',
      'high flows.broken-flow-step.session-survives-logout session › refresh after logout',
      'medium flows.broken-flow-step.refresh-token-not-rotated session › token refresh',
      'medium flows.broken-flow-step.account-enumeration reset › reset for an unknown account',
    ]);
    const byCode = (c: string) => report.findings.find((f) => f.code === c)!;
    expect(byCode('session-survives-logout').occurrences[0]!.message).toBe(
      'session › read after logout: expected status 4xx, got status 200 {"email":"ada@shop.test"}. The session still works after logout.');
    expect(byCode('account-enumeration').message).toMatch(
      /^reset › reset for an unknown account: expected the same answer as "reset for an existing account" \(status 200 \{"message":"reset link sent","reset_token":"rese…\[redacted, 30 chars\]"\}\), got status 404 \{"error":"no account with this email"\}\.$/);
    expect(byCode('reset-token-leaked').message).toMatch(/got \/reset_token = rese…\[redacted, 30 chars\]\.$/);
    expect(byCode('callback-error').message).toContain('got status 302, redirected with error=redirect_uri_mismatch. Users: Sign-in through this callback fails');
    expect(byCode('callback-error').location.url).toBe(`${broken.url}/auth/callback/google?code=***&state=***`);
    expect(byCode('refresh-token-reusable').whatBreaks).toMatch(/stolen refresh token keeps working/);
    const saved = readFileSync(join(facts, 'facts.json'), 'utf8');
    for (const text of [r.stdout, r.stderr, saved]) {
      expect(text).not.toContain(ACCOUNT.password);
      for (const t of broken.resetTokens) expect(text).not.toContain(t);
      expect(text).not.toMatch(/(?:at|rt)_[A-Za-z0-9_-]{24}/);
    }
  });

  it('turns an unreachable API into a finding and leaves dependent steps not run', async () => {
    const down = await startAuthSandbox('correct');
    await down.close();
    const { report } = await audit(down);
    const ids = report.findings.map((f) => `${f.code} ${f.location.record}`);
    expect(ids.sort()).toEqual([
      'unreachable callbacks › callback /auth/callback/google',
      'unreachable profile › login',
      'unreachable reset › reset for an existing account',
      'unreachable session › login',
    ]);
    const check = report.checks.find((c) => c.id === 'broken-flow-step')!;
    const session = (check.details as { flows: { steps: { ran: boolean; skippedBecause?: string }[] }[] }).flows[0]!;
    expect(session.steps.slice(1).every((s) => !s.ran && s.skippedBecause === '"login" got no answer')).toBe(true);
  });

  it('ends a silent step at the deadline and reports a step over its latency budget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lr-flows-slow-'));
    writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
      network: { resolver: '127.0.0.1:9', timeoutMs: 400 },
      flows: [{ name: 'pages', steps: [
        { name: 'slow page', url: `${correct.url}/slow`, budgetMs: 50, extract: { item: '/item' } },
        { name: 'item page', url: `${correct.url}/items/{{item}}?ref={{item}}` },
        { name: 'silent page', url: `${correct.url}/hang`, extract: { id: '/id' } },
        { name: 'detail', url: `${correct.url}/items/{{id}}` },
      ] }],
    }));
    const r = await runInProcess(['audit', '--only', 'flows', '--format', 'json'], {}, dir);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => `${f.severity} ${f.code} ${f.location.record}`)).toEqual([
      'high unexpected-status pages › item page',
      'high unreachable pages › silent page',
      'medium over-budget pages › slow page',
    ]);
    // Extracted values stay placeholders in what is shown: tokens can travel in paths and queries.
    expect(report.findings[0]!.location.url).toBe(`${correct.url}/items/{{item}}?ref=***`);
    expect(r.stdout).not.toContain('item-7f3a9c');
    expect(report.findings[1]!.message).toBe('pages › silent page: expected an HTTP answer, got no answer within 400 ms. Users: This step of the flow fails for users.');
    expect(report.findings[1]!.location.url).toBe(`${correct.url}/hang`);
    expect(report.findings[2]!.message).toMatch(/^pages › slow page took \d+ ms \(budget: within 50 ms\)\.$/);
    const check = report.checks.find((c) => c.id === 'broken-flow-step')!;
    expect((check.details as { flows: { steps: { name: string; ran: boolean; skippedBecause?: string }[] }[] }).flows[0]!.steps[3])
      .toEqual({ name: 'detail', ran: false, skippedBecause: '"silent page" got no answer', failures: [] });
  });
});
