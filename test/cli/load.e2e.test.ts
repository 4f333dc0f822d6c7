// The load ramp end to end: `launch-ready load` against a loopback server that degrades past a known concurrency
// finds the right safe step; the safety rules (critical or named endpoints only, non-loopback needs confirmation,
// hard caps), Ctrl-C printing partial figures, and the k6 export.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommand, type LoadFlags } from '../../src/cli/load.js';
import type { LoadResult } from '../../src/facts/load.js';
import type { Report } from '../../src/types.js';
import { parseZone, startDnsSandbox, type DnsSandbox } from '../../src/sandbox/dns-server.js';
import { Capture, runInProcess } from '../helpers/cli.js';
import { startLatencySandbox, type LatencySandbox } from '../helpers/latency-sandbox.js';

let dns: DnsSandbox;
let web: LatencySandbox;
const SECRET = ['lr', 'load', 'tok', 'z'.repeat(10), '41'].join('_');

beforeAll(async () => {
  dns = await startDnsSandbox({ zones: [parseZone('$ORIGIN shop.test.\n$TTL 60\n@ SOA ns.shop.test. h.shop.test. ( 1 60 60 60 60 )\napi A 127.0.0.1\nfar A 192.0.2.10\n')] });
  web = await startLatencySandbox({
    // Fast while at most 4 requests are in flight; past that, every request queues for 600 ms. The budget (250 ms)
    // sits far from both, so a busy machine (generator and server share this process) cannot move a step across it.
    '/cart': { delayMs: (_n, inflight) => (inflight > 4 ? 600 : 1) },
    // Fast, but answers 503 once more than 2 requests are in flight.
    '/pay': { status: (_n, inflight) => (inflight > 2 ? 503 : 200), delayMs: () => 5 },
    '/slow': { delayMs: () => 150 },
    '/ok': {},
  });
});
afterAll(async () => { await Promise.all([web.close(), dns.close()]); });

function configDir(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lr-load-'));
  const base = `http://api.shop.test:${web.port}`;
  writeFileSync(join(dir, 'launch-ready.config.json'), JSON.stringify({
    endpoints: [
      { name: 'cart', url: `${base}/cart`, critical: true, budgetP95Ms: 250, headers: { authorization: 'Bearer ${env:LR_LOAD_TOKEN}' } },
      { name: 'pay', url: `${base}/pay`, kind: 'write', method: 'POST', body: '{"amount":1}', critical: true },
      { name: 'slow', url: `${base}/slow`, budgetP95Ms: 100 },
      { name: 'ok', url: `${base}/ok` },
      { name: 'far', url: `http://far.shop.test:${web.port}/ok` },
    ],
    network: { resolver: `${dns.address}:${dns.port}` },
    ...extra,
  }));
  return dir;
}

const env = { LR_LOAD_TOKEN: SECRET };

describe('launch-ready load', () => {
  it('finds the safe concurrency of a server that degrades past 4 in flight, and where errors begin', async () => {
    const dir = configDir();
    const r = await runInProcess(['load', '--max-concurrency', '8', '--step-duration', '0.4', '--format', 'json'], env, dir);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as LoadResult;
    expect(result.endpoints.map((e) => e.name)).toEqual(['cart', 'pay']);
    const [cart, pay] = result.endpoints;
    expect(cart!.steps.map((s) => s.concurrency)).toEqual([1, 2, 4, 8]);
    expect(cart).toMatchObject({ budgetP95Ms: 250, safeConcurrency: 4, brokeAt: { concurrency: 8, reason: 'latency' } });
    expect(cart!.steps[3]!.p95Ms).toBeGreaterThanOrEqual(599);
    for (const s of cart!.steps) expect(Object.keys(s)).toEqual(expect.arrayContaining(['concurrency', 'rps', 'p50Ms', 'p95Ms', 'p99Ms', 'errorRate']));
    expect(cart!.notes.join(' ')).toMatch(/At concurrency 8, p95 \d+ ms exceeds the 250 ms budget/);
    // Our own microsecond recording: loopback figures are not whole milliseconds.
    expect(cart!.steps.some((s) => s.p50Ms !== null && !Number.isInteger(s.p50Ms))).toBe(true);
    expect(pay).toMatchObject({ budgetP95Ms: 700, safeConcurrency: 2, brokeAt: { concurrency: 4, reason: 'errors' } });
    expect(pay!.steps[2]!.statusCodes['503']).toBeGreaterThan(0);
    expect(pay!.notes.join(' ')).toMatch(/At concurrency 4, [\d.]+% of requests failed \(\d+× 503/);
    // The secret header reached the server.
    expect(web.seen.get('/cart')![0]!.authorization).toBe(`Bearer ${SECRET}`);
  }, 30_000);

  it('a step that fails at concurrency 1 leaves no safe concurrency (null), exit 1; the table says so', async () => {
    const dir = configDir();
    const r = await runInProcess(['load', '--endpoint', 'slow', '--max-concurrency', '4', '--step-duration', '0.3'], env, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/known safe concurrency: none \(even concurrency 1 fails\); broke at 1 \(latency\)/);
    expect(r.stdout).toMatch(/^\s+1\s+[\d.]+\s+1\d\d\.\d+|^\s+1\s+[\d.]+\s+1\d\d\s/m);
  }, 15_000);

  it('--max-requests that cuts the ramp leaves a healthy endpoint "not known" (exit 3), never unsafe', async () => {
    const dir = configDir();
    const r = await runInProcess(['load', '--endpoint', 'ok', '--max-requests', '50', '--max-concurrency', '64', '--step-duration', '2', '--format', 'json'], env, dir);
    expect(r.code, r.stderr).toBe(3);
    const result = JSON.parse(r.stdout) as LoadResult;
    const [ok] = result.endpoints;
    // The cap is the run's own limit, not a failure of the server: no step failed, and none is called broken.
    expect(ok!.brokeAt).toBeNull();
    expect(ok!.steps.every((s) => s.errorRate === 0)).toBe(true);
    const sent = ok!.steps.reduce((n, s) => n + s.requests, 0);
    expect(sent).toBeLessThanOrEqual(50);
    expect(JSON.stringify(ok)).toMatch(/cap of 50 requests/);
    const table = await runInProcess(['load', '--endpoint', 'ok', '--max-requests', '50', '--max-concurrency', '64', '--step-duration', '2'], env, dir);
    expect(table.code).toBe(3);
    expect(table.stdout).not.toMatch(/1000000/);
    expect(table.stdout).toMatch(/not known/i);
  }, 30_000);

  it('refuses a non-loopback host unless confirmed by name, before sending anything', async () => {
    const dir = configDir();
    const r = await runInProcess(['load', '--endpoint', 'far', '--max-concurrency', '2', '--step-duration', '0.2'], env, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to load-test far\.shop\.test \(192\.0\.2\.10\).*--confirm-load far\.shop\.test/);
    // Confirmed, the loopback-only guard of the tests still refuses it: nothing ever leaves the machine.
    const c = await runInProcess(['load', '--endpoint', 'far', '--confirm-load', 'far.shop.test', '--max-concurrency', '2', '--step-duration', '0.2', '--format', 'json'], env, dir);
    const result = JSON.parse(c.stdout) as LoadResult;
    expect(result.endpoints[0]).toMatchObject({ safeConcurrency: null, steps: [] });
    expect(result.endpoints[0]!.stopped).toMatch(/loopback-only/);
  }, 15_000);

  it('rejects runs past the hard caps and endpoints it does not know', async () => {
    const dir = configDir();
    expect((await runInProcess(['load', '--max-concurrency', '5000'], env, dir)).stderr).toMatch(/--max-concurrency must be a whole number from 1 to 1024/);
    expect((await runInProcess(['load', '--step-duration', '120'], env, dir)).stderr).toMatch(/--step-duration must be a number from 0.1 to 60/);
    const u = await runInProcess(['load', '--endpoint', 'nope'], env, dir);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--endpoint nope: not in the config's endpoints \(cart, pay, slow, ok, far\)/);
    const none = mkdtempSync(join(tmpdir(), 'lr-load-none-'));
    writeFileSync(join(none, 'launch-ready.config.json'), JSON.stringify({ endpoints: [{ name: 'ok', url: `http://127.0.0.1:${web.port}/ok` }] }));
    expect((await runInProcess(['load'], env, none)).stderr).toMatch(/mark endpoints of critical flows with "critical": true/);
  });

  it('stops on Ctrl-C and still prints what was measured (exit 3)', async () => {
    const dir = configDir();
    const stdout = new Capture();
    const stderr = new Capture();
    let interrupt!: () => void;
    const stop = new Promise<void>((res) => { interrupt = res; });
    // Interrupt once the first step has been reported.
    const watcher = setInterval(() => { if (stderr.text.includes('\nok: 1 ')) { clearInterval(watcher); interrupt(); } }, 10);
    const flags: LoadFlags = { endpoint: ['ok'], maxConcurrency: 64, stepDuration: 2, format: 'json', confirmLoad: [], connectTo: [] };
    const code = await loadCommand(flags, { stdout, stderr, env: { ...process.env, ...env } }, dir, { stop });
    clearInterval(watcher);
    expect(code).toBe(3);
    const result = JSON.parse(stdout.text) as LoadResult;
    expect(result.interrupted).toBe(true);
    const ok = result.endpoints[0]!;
    expect(ok.steps.length).toBeGreaterThanOrEqual(2);
    expect(ok.steps.length).toBeLessThan(7);
    expect(ok.steps.at(-1)!.partial).toBe(true);
    expect(ok.stopped).toBe('interrupted');
    expect(ok.safeConcurrency).toBe(ok.steps.at(-2)!.concurrency);
  }, 20_000);

  it('--export k6 writes the same ramp and thresholds, secrets as environment references', async () => {
    const dir = configDir();
    const r = await runInProcess(['load', '--export', 'k6', '--max-concurrency', '4', '--step-duration', '10', '-o', 'k6/script.js'], env, dir);
    expect(r.code).toBe(0);
    const script = readFileSync(join(dir, 'k6/script.js'), 'utf8');
    expect(script).not.toContain(SECRET);
    expect(script).toContain("'http_req_duration{scenario:ep0_cart}': ['p(95)<250']");
    expect(script).toContain("'http_req_failed{scenario:ep1_pay}': ['rate<0.01']");
    expect(script).toContain("{ duration: '10s', target: 4 }");
    expect(script).toContain("[`authorization`]: `Bearer ${__ENV.LR_LOAD_TOKEN}`");
    expect(script).toContain('http.request(`POST`');
    expect(script).toContain('`{"amount":1}`');
    // The script is valid JavaScript (syntax only: k6's modules exist only inside k6).
    const { execFileSync } = await import('node:child_process');
    const copy = join(dir, 'check.mjs');
    writeFileSync(copy, script);
    expect(() => execFileSync(process.execPath, ['--check', copy], { stdio: 'pipe' })).not.toThrow();
    writeFileSync(copy, `${script}\nexport function (`);
    expect(() => execFileSync(process.execPath, ['--check', copy], { stdio: 'pipe' })).toThrow();
  });

  it('audit --load puts the safe concurrency in the ranked risk list; without --load nothing is sent', async () => {
    const dir = configDir();
    const before = web.seen.get('/cart')?.length ?? 0;
    const plain = await runInProcess(['audit', '--only', 'load', '--format', 'json', '--repo', dir], env, dir);
    expect((JSON.parse(plain.stdout) as Report).checks.find((c) => c.id === 'concurrency-limit')).toMatchObject({ status: 'not-applicable' });
    expect(web.seen.get('/cart')?.length ?? 0).toBe(before);
    const r = await runInProcess(['audit', '--only', 'load', '--load', '--max-concurrency', '8', '--step-duration', '0.3', '--format', 'json', '--repo', dir], env, dir);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const report = JSON.parse(r.stdout) as Report;
    // Two endpoints of one host are two problems (each its own limit and cause): one finding each.
    const limits = report.findings.filter((f) => f.id === 'load.concurrency-limit.breaks-under-load');
    expect(limits.map((f) => f.count)).toEqual([1, 1]);
    const place = (name: string) => limits.find((f) => f.message.startsWith(`${name} (`))!;
    expect(place('cart').message).toMatch(/^cart \(GET http:\/\/api\.shop\.test:\d+\/cart\) is safe up to 4 concurrent requests and broke at 8 \(latency\)\. Throughput stops growing at concurrency 4 .* At concurrency 8, p95 \d+ ms exceeds the 250 ms budget/);
    expect(place('pay').message).toMatch(/safe up to 2 concurrent requests and broke at 4 \(errors\)/);
    const details = report.checks.find((c) => c.id === 'concurrency-limit')!.details as { loadTest: { endpoints: { name: string; safeConcurrency: number }[] } };
    expect(details.loadTest.endpoints.map((e) => [e.name, e.safeConcurrency])).toEqual([['cart', 4], ['pay', 2]]);
  }, 30_000);
});
