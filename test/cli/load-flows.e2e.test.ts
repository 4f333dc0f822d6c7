// Flows under load end to end: `launch-ready load --flow` against a loopback shop whose checkout is a queue of
// 4 workers × 500 ms finds the exact safe concurrency (4 users) and names checkout as the bottleneck; a rate-limited
// login fails from the first step with its 429s counted; a sign-up flow gives every virtual user a new address;
// critical flows are picked by default; the k6 export carries the flow.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommand, type LoadFlags } from '../../src/cli/load.js';
import type { LoadResult } from '../../src/facts/load.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { Capture, runInProcess } from '../helpers/cli.js';
import { startFlowLoadSandbox, type FlowLoadSandbox } from '../helpers/flow-load-sandbox.js';

let dns: DnsSandbox;
let shop: FlowLoadSandbox;
const SECRET = ['lr', 'flow', 'key', 'q'.repeat(10), '77'].join('_');
// Up to 4 users, checkout takes one 500 ms turn; at 8 every user waits for a second turn (~1000 ms). The budget
// (750 ms) is 250 ms from both, so a busy machine cannot move a step across it.
const WORK_MS = 500;
const CHECKOUT_BUDGET = 750;

beforeAll(async () => {
  dns = await startDnsSandbox({ zones: [parseZone('$ORIGIN shop.test.\n$TTL 60\n@ SOA ns.shop.test. h.shop.test. ( 1 60 60 60 60 )\napi A 127.0.0.1\nfar A 192.0.2.10\n')] });
  shop = await startFlowLoadSandbox({ workers: 4, workMs: WORK_MS });
});
afterAll(async () => { await Promise.all([shop.close(), dns.close()]); });

function configDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lr-flowload-'));
  const base = `http://api.shop.test:${shop.port}`;
  const token = { authorization: 'Bearer {{token}}' };
  writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
    endpoints: [{ name: 'health', url: `${base}/health`, critical: true }],
    flows: [
      {
        name: 'buy', critical: true, steps: [
          { name: 'login', method: 'POST', url: `${base}/login`, headers: { 'x-api-key': '${env:LR_FLOW_KEY}' }, json: { email: 'ada@shop.test' }, extract: { token: '/access_token' } },
          { name: 'dashboard', url: `${base}/dashboard`, headers: token, expect: { status: 200 } },
          { name: 'checkout', method: 'POST', url: `${base}/checkout`, headers: token, json: { item: 1 }, budgetMs: CHECKOUT_BUDGET, expect: { status: 200 } },
        ],
      },
      {
        name: 'limited', steps: [
          { name: 'login', method: 'POST', url: `${base}/limited/login`, json: {}, extract: { token: '/access_token' } },
          { name: 'dashboard', url: `${base}/dashboard`, headers: token },
        ],
      },
      {
        name: 'join', template: 'signup',
        signup: { url: `${base}/signup`, extract: { code: '/verification_code' } },
        verify: { url: `${base}/verify`, json: { email: '{{email}}', code: '{{code}}' }, accessToken: '/access_token' },
        read: { url: `${base}/dashboard` },
      },
      { name: 'far', steps: [{ name: 'home', url: `http://far.shop.test:${shop.port}/dashboard` }] },
    ],
    network: { resolver: `${dns.address}:${dns.port}` },
  }));
  return dir;
}

const env = { LR_FLOW_KEY: SECRET };

describe('launch-ready load --flow', () => {
  it('finds the exact safe concurrency of a flow behind a queue of 4 workers and names checkout the bottleneck', async () => {
    const dir = configDir();
    const r = await runInProcess(['load', '--flow', 'buy', '--max-concurrency', '8', '--step-duration', '1.5', '--format', 'json'], env, dir);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as LoadResult;
    // Naming a flow ramps only that flow: the critical endpoint is left alone.
    expect(result.endpoints).toEqual([]);
    const [buy] = result.flows!;
    expect(buy!.steps.map((s) => s.concurrency)).toEqual([1, 2, 4, 8]);
    expect(buy).toMatchObject({
      name: 'buy', budgets: { login: 700, dashboard: 300, checkout: CHECKOUT_BUDGET },
      safeConcurrency: 4, brokeAt: { concurrency: 8, step: 'checkout', reason: 'latency' },
      bottleneck: { step: 'checkout', fromConcurrency: 1, toConcurrency: 8 },
    });
    expect(buy!.bottleneck!.growth).toBeGreaterThan(1.5);
    for (const s of buy!.steps) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['concurrency', 'flowsPerSec', 'errorRate', 'p50Ms', 'p95Ms', 'p99Ms', 'stepP95Ms']));
      expect(Object.keys(s.stepP95Ms)).toEqual(['login', 'dashboard', 'checkout']);
      expect(s.errorRate).toBe(0);
      expect(s.flows).toBeGreaterThan(0);
      // One token per user per flow: every request of a passing flow was authorized (no 401 anywhere).
      expect(s.perStep.checkout!.requests).toBe(s.flows);
    }
    expect(buy!.steps[2]!.stepP95Ms.checkout).toBeLessThan(CHECKOUT_BUDGET);
    expect(buy!.steps[3]!.stepP95Ms.checkout).toBeGreaterThan(CHECKOUT_BUDGET);
    // The whole flow is at least its slowest step.
    expect(buy!.steps[3]!.p95Ms).toBeGreaterThanOrEqual(buy!.steps[3]!.stepP95Ms.checkout!);
    expect(buy!.notes.join(' ')).toMatch(/At 8 concurrent users, "checkout" has p95 \d+ ms, past its 750 ms budget/);
    expect(buy!.notes.join(' ')).toMatch(/Bottleneck: "checkout", whose p95 grows [\d.]+×/);
    // No database configured: nothing is said of one.
    expect(buy!.database).toBeUndefined();
    expect(buy!.notes.join(' ')).not.toMatch(/Database:/);
    // Microsecond recording: loopback figures are not whole milliseconds.
    expect(buy!.steps.some((s) => s.stepP95Ms.login !== null && !Number.isInteger(s.stepP95Ms.login))).toBe(true);
  }, 45_000);

  it('a rate-limited login fails the flow from the first step, 429s counted (exit 1); the table says so', async () => {
    const dir = configDir();
    // A second's step: on a busy machine a shorter one may fit only two flows (one ok, one limited: exactly 0.5).
    const r = await runInProcess(['load', '--flow', 'limited', '--max-concurrency', '4', '--step-duration', '1', '--max-requests', '100000', '--format', 'json'], env, dir);
    expect(r.code, r.stderr).toBe(1);
    const [limited] = (JSON.parse(r.stdout) as LoadResult).flows!;
    expect(limited).toMatchObject({ safeConcurrency: null, brokeAt: { concurrency: 1, step: 'login', reason: 'rate-limited' } });
    expect(limited!.steps).toHaveLength(1);
    const first = limited!.steps[0]!;
    expect(first.errorRate).toBeGreaterThan(0.5);
    expect(first.perStep.login!.statusCodes['429']).toBe(first.perStep.login!.failed);
    expect(first.perStep.login!.statusCodes['429']).toBeGreaterThan(5);
    // The flow stops at its failing step: the dashboard is not asked for a token that never came.
    expect(first.perStep.dashboard!.requests).toBeLessThanOrEqual(1);
    expect(limited!.notes.join(' ')).toMatch(/flows failed, at "login" \(\d+× 429\): it is rate limited/);
    const table = await runInProcess(['load', '--flow', 'limited', '--max-concurrency', '2', '--step-duration', '0.2', '--max-requests', '100000'], env, dir);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/known safe concurrency: none \(even 1 user fails\); broke at 1 at "login" \(rate-limited\)/);
    expect(table.stdout).toMatch(/login: \d+ failed \(\d+× 429\)/);
  }, 20_000);

  it('the sign-up template gives every virtual user and every run a new address', async () => {
    const dir = configDir();
    const before = shop.signups.length;
    const r = await runInProcess(['load', '--flow', 'join', '--max-concurrency', '4', '--step-duration', '0.4', '--format', 'json'], env, dir);
    expect(r.code, r.stderr).toBe(0);
    const [join_] = (JSON.parse(r.stdout) as LoadResult).flows!;
    expect(join_).toMatchObject({ template: 'signup', safeConcurrency: 4, brokeAt: null });
    expect(Object.keys(join_!.steps[0]!.stepP95Ms)).toEqual(['signup', 'verify', 'first read']);
    // A reused address is a 409: none happened, and every sign-up the server saw is a different address.
    for (const s of join_!.steps) expect(s.errorRate).toBe(0);
    const mine = shop.signups.slice(before);
    expect(mine.length).toBeGreaterThanOrEqual(join_!.steps.reduce((n, s) => n + s.flows, 0));
    expect(new Set(mine).size).toBe(mine.length);
    expect(mine.every((e) => /^lr-signup-[a-z0-9]+-\d+-\d+@example\.test$/.test(e))).toBe(true);
  }, 20_000);

  it('ramps critical flows next to critical endpoints by default; refuses unknown flows and unconfirmed hosts', async () => {
    const dir = configDir();
    const r = await runInProcess(['load', '--max-concurrency', '1', '--step-duration', '0.3', '--format', 'json'], env, dir);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as LoadResult;
    expect(result.endpoints.map((e) => e.name)).toEqual(['health']);
    expect(result.flows!.map((f) => f.name)).toEqual(['buy']);
    const u = await runInProcess(['load', '--flow', 'nope'], env, dir);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--flow nope: not in the config's flows \(buy, limited, join, far\)/);
    const far = await runInProcess(['load', '--flow', 'far', '--max-concurrency', '1', '--step-duration', '0.2'], env, dir);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/refusing to load-test far\.shop\.test \(192\.0\.2\.10\).*--confirm-load far\.shop\.test/);
  }, 20_000);

  it('stops a flow ramp on Ctrl-C and still prints what was measured (exit 3)', async () => {
    const dir = configDir();
    const stdout = new Capture();
    const stderr = new Capture();
    let interrupt!: () => void;
    const stop = new Promise<void>((res) => { interrupt = res; });
    const watcher = setInterval(() => { if (stderr.text.includes('\nflow join: 1 ')) { clearInterval(watcher); interrupt(); } }, 10);
    const flags: LoadFlags = { endpoint: [], flow: ['join'], maxConcurrency: 64, stepDuration: 1, format: 'json', confirmLoad: [], connectTo: [] };
    const code = await loadCommand(flags, { stdout, stderr, env: { ...process.env, ...env } }, dir, { stop });
    clearInterval(watcher);
    expect(code).toBe(3);
    const result = JSON.parse(stdout.text) as LoadResult;
    expect(result.interrupted).toBe(true);
    const join_ = result.flows![0]!;
    expect(join_.steps.length).toBeGreaterThanOrEqual(2);
    expect(join_.steps.length).toBeLessThan(7);
    expect(join_.steps.at(-1)!.partial).toBe(true);
    expect(join_.stopped).toBe('interrupted');
    expect(join_.safeConcurrency).toBe(join_.steps.at(-2)!.concurrency);
  }, 20_000);

  it('--export k6 writes the flow as a scenario: its steps, extractions and per-step thresholds, no secret', async () => {
    const dir = configDir();
    const r = await runInProcess(['load', '--flow', 'buy', '--flow', 'join', '--export', 'k6', '--max-concurrency', '4', '--step-duration', '10', '-o', 'k6/flows.js'], env, dir);
    expect(r.code, r.stderr).toBe(0);
    const script = readFileSync(join(dir, 'k6/flows.js'), 'utf8');
    expect(script).not.toContain(SECRET);
    expect(script).toContain('${__ENV.LR_FLOW_KEY}');
    expect(script).toContain("'http_req_duration{scenario:flow0_buy,step:checkout}': ['p(95)<750']");
    expect(script).toContain("'http_req_duration{scenario:flow0_buy,step:dashboard}': ['p(95)<300']");
    expect(script).toContain("'flow_failed{scenario:flow0_buy}': ['rate<0.01']");
    expect(script).toContain('[`token`]: `/access_token`');
    expect(script).toContain('export function flow1_join()');
    expect(script).toMatch(/lr-signup-\$\{tag\}@example\.test/);
    expect(script).toContain("{ duration: '10s', target: 4 }");
    const { execFileSync } = await import('node:child_process');
    const copy = join(dir, 'check.mjs');
    writeFileSync(copy, script);
    expect(() => execFileSync(process.execPath, ['--check', copy], { stdio: 'pipe' })).not.toThrow();
  });
});
