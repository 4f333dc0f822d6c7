// The pure parts of the flow runner: template expansion, placeholders, JSON pointers, and step judging
// (statuses, bodies, enumeration, token leaks, callbacks, budgets), plus the config schema of flows[] and ai[].
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { validateConfig } from '../../src/config/load.js';
import { extractVars, judgeStep, maskedExcerpt, tokenLeaks, type StepResponse } from '../../src/flows/judge.js';
import { fill, jsonPointer, missingVars, planFlow, unknownEmailFor, type PlannedStep } from '../../src/flows/plan.js';
import { FlowSchema } from '../../src/flows/schema.js';

const res = (status: number, body: unknown, headers: Record<string, string> = {}): StepResponse => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers, body: text, ...(typeof body === 'string' ? {} : { json: body }) };
};
const step = (over: Partial<PlannedStep> = {}): PlannedStep => ({
  name: 's', method: 'GET', url: 'https://api.shop.test/x', headers: {}, extract: {}, expect: { status: ['2xx'] }, userImpact: 'u', ...over,
});
const judge = (s: PlannedStep, r: StepResponse, durationMs = 10, vars = new Map<string, string>()) =>
  judgeStep({ step: s, response: r, durationMs, vars, earlier: new Map() }).map((f) => `${f.kind}: expected ${f.expected}, got ${f.actual}`);

describe('plan', () => {
  it('reads JSON pointers with escapes and array indexes', () => {
    const doc = { 'a/b': { '~k': [10, { t: 'x' }] } };
    expect(jsonPointer(doc, '/a~1b/~0k/1/t')).toBe('x');
    expect(jsonPointer(doc, '/a~1b/~0k/0')).toBe(10);
    expect(jsonPointer(doc, '/a~1b/~0k/01')).toBeUndefined();
    expect(jsonPointer(doc, '/missing')).toBeUndefined();
    expect(jsonPointer(doc, '')).toBe(doc);
  });

  it('fills placeholders (URL-encoded in URLs) and names the ones still missing', () => {
    const vars = new Map([['t', 'a b/c']]);
    expect(fill('https://x.test/{{t}}?q={{t}}', vars, true)).toBe('https://x.test/a%20b%2Fc?q=a%20b%2Fc');
    expect(fill('Bearer {{t}} {{u}}', vars)).toBe('Bearer a b/c {{u}}');
    expect(missingVars(step({ headers: { authorization: 'Bearer {{u}}' }, json: { r: '{{t}}', n: '{{v}}' } }), vars)).toEqual(['u', 'v']);
  });

  it('expands the session template by what is declared', () => {
    const base = { name: 's', template: 'session', login: { url: 'https://a.test/login', json: { p: 'x' } }, read: { url: 'https://a.test/me' } };
    const names = (cfg: unknown) => planFlow(FlowSchema.parse(cfg)).steps.map((s) => s.name);
    expect(names(base)).toEqual(['login', 'authenticated read']);
    expect(names({ ...base, logout: { url: 'https://a.test/logout' } })).toEqual(['login', 'authenticated read', 'logout', 'read after logout']);
    expect(names({ ...base, refresh: { url: 'https://a.test/r' }, rotation: false }))
      .toEqual(['login', 'authenticated read', 'token refresh', 'read with the refreshed token']);
    const full = planFlow(FlowSchema.parse({ ...base, refresh: { url: 'https://a.test/r', json: { token: '{{refreshToken}}', grant: 'refresh' } }, logout: { url: 'https://a.test/logout' } }));
    expect(full.steps.map((s) => s.name)).toEqual(['login', 'authenticated read', 'token refresh', 'read with the refreshed token', 'reuse of the old refresh token', 'logout', 'read after logout', 'refresh after logout']);
    const by = (n: string) => full.steps.find((s) => s.name === n)!;
    expect(by('authenticated read').headers).toEqual({ authorization: 'Bearer {{accessToken}}' });
    expect(by('read after logout').headers).toEqual({ authorization: 'Bearer {{newAccessToken}}' });
    expect(by('reuse of the old refresh token').json).toEqual({ token: '{{refreshToken}}', grant: 'refresh' });
    expect(by('refresh after logout').json).toEqual({ token: '{{newRefreshToken}}', grant: 'refresh' });
    expect(by('token refresh').extract).toEqual({ newAccessToken: '/access_token', newRefreshToken: '/refresh_token' });
  });

  it('puts each address into the password-reset requests, with a stable unknown address by default', () => {
    const p = planFlow(FlowSchema.parse({ name: 'r', template: 'password-reset', request: { url: 'https://a.test/reset?e={{email}}', json: { user: { email: '{{email}}' } } }, existingEmail: 'ada@shop.test' }), 'seed');
    const unknown = unknownEmailFor('ada@shop.test', 'seed');
    expect(unknown).toMatch(/^lr-no-account-[a-z0-9]+@shop\.test$/);
    expect(p.steps.map((s) => [s.url, s.json])).toEqual([
      ['https://a.test/reset?e=ada%40shop.test', { user: { email: 'ada@shop.test' } }],
      [`https://a.test/reset?e=${encodeURIComponent(unknown)}`, { user: { email: unknown } }],
    ]);
  });
});

describe('judge', () => {
  it('checks statuses, JSON values, text, and the latency budget', () => {
    expect(judge(step(), res(200, { ok: true }))).toEqual([]);
    expect(judge(step({ expect: { status: [201, '4xx'] } }), res(200, {}))).toEqual(['unexpected-status: expected status 201 or 4xx, got status 200 {}']);
    expect(judge(step({ expect: { status: ['2xx'], json: { '/role': 'user' }, contains: ['welcome'], notContains: ['stack'] } }), res(200, { role: 'admin', msg: 'stack trace' }))).toEqual([
      'unexpected-body: expected /role = "user", got /role = "admin"',
      'unexpected-body: expected body containing "welcome", got status 200 {"role":"admin","msg":"stack trace"}',
      'unexpected-body: expected body without "stack", got it is there',
    ]);
    expect(judge(step({ budgetMs: 300 }), res(200, {}), 301)).toEqual(['over-budget: expected within 300 ms, got 301 ms']);
    expect(judge(step({ budgetMs: 300 }), res(200, {}), 300)).toEqual([]);
  });

  it('uses the step\'s failure code for a status mismatch', () => {
    expect(judge(step({ expect: { status: ['4xx'] }, statusFailure: 'session-survives-logout' }), res(200, { email: 'a@b.test' })))
      .toEqual(['session-survives-logout: expected status 4xx, got status 200 {"email":"a@b.test"}']);
  });

  it('extracts from JSON pointers and headers, and lists what is missing', () => {
    const r = res(200, { data: { token: 'tok-123456', n: 7 } }, { 'x-session': 'sess-1' });
    const { vars, missing } = extractVars(step({ extract: { a: '/data/token', n: '/data/n', s: 'header:X-Session', m: '/nope' } }), r);
    expect([...vars]).toEqual([['a', 'tok-123456'], ['n', '7'], ['s', 'sess-1']]);
    expect(missing).toEqual(['m (/nope)']);
  });

  it('sees a refresh token that was not rotated', () => {
    const vars = new Map([['old', 'rt-same-value-1234'], ['new', 'rt-same-value-1234']]);
    expect(judge(step({ expect: { status: ['2xx'], differs: ['old', 'new'] } }), res(200, {}), 10, vars))
      .toEqual(['refresh-token-not-rotated: expected a new refresh token, got the same refresh token came back (rt-s…[redacted, 18 chars])']);
    vars.set('new', 'rt-other-value-5678');
    expect(judge(step({ expect: { status: ['2xx'], differs: ['old', 'new'] } }), res(200, {}), 10, vars)).toEqual([]);
  });

  it('compares reset answers after replacing the echoed address', () => {
    const first = { response: res(202, { message: 'If ada@shop.test has an account, we sent a link.' }), normalize: ['ada@shop.test'] };
    const earlier = new Map([['existing', first]]);
    const s = step({ expect: { status: ['2xx'], sameAs: 'existing' }, normalize: ['zed@shop.test'], statusFailure: 'account-enumeration' });
    const run = (r: StepResponse) => judgeStep({ step: s, response: r, durationMs: 1, vars: new Map(), earlier }).map((f) => f.kind);
    expect(run(res(202, { message: 'If zed@shop.test has an account, we sent a link.' }))).toEqual([]);
    expect(run(res(202, { message: 'No account for zed@shop.test.' }))).toEqual(['account-enumeration']);
    // A status mismatch and a body mismatch are one finding, not two.
    expect(run(res(404, { error: 'unknown' }))).toEqual(['account-enumeration']);
  });

  it('finds reset tokens and links in an answer, but not a plain confirmation', () => {
    expect(tokenLeaks(res(202, { message: 'sent', status: 'ok' }))).toEqual([]);
    expect(tokenLeaks(res(200, { data: { resetToken: 'r3set-t0ken-value' } }))).toEqual(['/data/resetToken = r3se…[redacted, 17 chars]']);
    expect(tokenLeaks(res(200, { debug: 'https://shop.test/reset?token=abcdef123456' }))).toEqual(['/debug holds a link with a token (http…[redacted, 42 chars])']);
    expect(tokenLeaks(res(200, 'ok', { location: '/done?code=987654321' }))).toEqual(['the Location header holds a link with a token']);
  });

  it('treats an error redirect or an error page as a broken callback', () => {
    const cb = step({ expect: { status: ['2xx', '3xx'], callback: true }, statusFailure: 'callback-error' });
    expect(judge(cb, res(302, '', { location: '/app' }))).toEqual([]);
    expect(judge(cb, res(302, '', { location: 'https://shop.test/login?error=access_denied&x=1' }))).toEqual(['callback-error: expected no error, got status 302, redirected with error=access_denied']);
    expect(judge(cb, res(200, '<h1>Error: redirect_uri_mismatch</h1>'))).toEqual(['callback-error: expected no error, got status 200 <h1>Error: redirect_uri_mismatch</h1>']);
    expect(judge(cb, res(500, 'oops'))).toEqual(['callback-error: expected status 2xx or 3xx, got status 500 oops']);
  });

  it('masks known values, credentials and token-like runs in excerpts', () => {
    const jwtish = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxIn0', 'c2lnbmF0dXJlLXBhcnQ'].join('.');
    const out = maskedExcerpt(`{"token":"${jwtish}","secret":"my-known-value"}`, ['my-known-value']);
    expect(out).not.toContain(jwtish);
    expect(out).not.toContain('my-known-value');
    expect(out).toContain('my-…[redacted, 14 chars]');
  });
});

describe('config', () => {
  it('accepts every template and fills defaults', () => {
    const c = ConfigSchema.parse({
      flows: [
        { name: 'a', template: 'session', login: { url: 'https://a.test/l' }, read: { url: 'https://a.test/me' } },
        { name: 'b', steps: [{ name: 'x', url: 'https://a.test/{{id}}' }] },
        { name: 'c', template: 'callbacks', urls: ['https://a.test/cb'] },
      ],
      ai: [{ name: 'bot', url: 'https://a.test/chat' }],
    });
    expect(c.flows[0]).toMatchObject({ rotation: true, login: { accessToken: '/access_token', refreshToken: '/refresh_token' } });
    expect(c.ai[0]).toMatchObject({ method: 'POST', body: { message: '{{prompt}}' }, reply: '/reply', builtins: true, concurrency: 2, canaries: [] });
  });

  it('names the missing key or the unknown template of a flow', () => {
    expect(() => validateConfig({ flows: [{ name: 's', template: 'session', login: { url: 'https://a.test/l' } }] })).toThrow(/^config: flows\[0\]\.read: is required: expected object$/);
    expect(() => validateConfig({ flows: [{ name: 'x', template: 'sesion' }] })).toThrow(/flows\[0\]\.template: expected "template" to be one of session, password-reset, callbacks, signup or custom/);
    expect(() => validateConfig({ flows: [{ name: 'y', steps: [{ name: 'a' }] }] })).toThrow(/flows\[0\]\.steps\[0\]\.url: is required/);
  });

  it('rejects a bad extract source and a bad forbidden regex with a path', () => {
    expect(() => validateConfig({ flows: [{ name: 'b', steps: [{ name: 'x', url: 'https://a.test', extract: { t: 'access_token' } }] }] })).toThrow(/flows\[0\]/);
    expect(() => validateConfig({ ai: [{ name: 'bot', url: 'https://a.test/chat', forbidden: ['('] }] })).toThrow(/ai\[0\]\.forbidden\[0\]: is not a valid regular expression/);
    expect(() => validateConfig({ flows: [{ name: 'b', steps: [{ name: 'x', url: 'https://a.test' }, { name: 'x', url: 'https://a.test' }] }] })).toThrow(/flows\[0\]\.steps\[1\]\.name: step name "x" is used twice/);
    expect(() => validateConfig({ flows: [{ name: 'c', template: 'callbacks', urls: ['https://a.test/cb'] }, { name: 'c', template: 'callbacks', urls: ['https://a.test/cb2'] }] })).toThrow(/flows\[1\]\.name: flow name "c" is used twice/);
  });
});
