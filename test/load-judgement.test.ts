// The load ramp's step judgement against a loopback server whose slow and failed answers are fixed by request
// number, not by timing luck: a step passes on p95 within budget and an error rate under 1%, and only then. Slow
// answers are over twice the budget and fast ones have no delay, so a busy machine moves neither across it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakReason, MAX_STEP_ERROR_RATE, rampEndpoint, rampSteps, stepOk } from '../src/collect/load/index.js';
import { prepareNetwork } from '../src/collect/setup.js';
import type { TargetEndpoint } from '../src/facts/latency.js';
import { startLatencySandbox, type LatencySandbox } from './helpers/latency-sandbox.js';

const BUDGET = 150;
const SLOW = 400;
let web: LatencySandbox;
// The kth request to each route in the current ramp (1-based): the test resets it, so reruns see the same pattern.
const k = new Map<string, number>();
const next = (path: string) => { const n = (k.get(path) ?? 0) + 1; k.set(path, n); return n; };

beforeAll(async () => {
  web = await startLatencySandbox({
    // One answer in 5 is slow: p50 fast, p95 slow.
    '/tail20': { delayMs: () => (next('/tail20') % 5 === 3 ? SLOW : 0) },
    // Two answers in 100 are slow: p95 fast, p99 slow.
    '/tail2': { delayMs: () => ([25, 75].includes(next('/tail2')) ? SLOW : 0) },
    // Two answers in 100 fail (2%), or one in 200 (0.5%).
    '/err2': { status: () => ([25, 75].includes(next('/err2')) ? 503 : 200) },
    '/err05': { status: () => (next('/err05') === 100 ? 503 : 200) },
    // One in 100 fails: exactly 1%.
    '/err1': { status: () => (next('/err1') === 50 ? 503 : 200) },
    '/fast': {},
  });
});
afterAll(async () => { await web.close(); });

/**
 * One step at concurrency 1 that ends at a request cap, not at a time: the same requests are judged however busy
 * the machine is (a capped step is partial, so it sets neither safe concurrency nor a break: its `ok` is the verdict).
 */
async function step(path: string, requests: number) {
  k.delete(path);
  const net = await prepareNetwork({ timeoutMs: 3000, concurrency: 4, resolver: '127.0.0.1:9' });
  const controller = new AbortController();
  const ep: TargetEndpoint = { name: path.slice(1), url: `http://127.0.0.1:${web.port}${path}`, method: 'GET', kind: 'read', budgetP95Ms: BUDGET, critical: true, cacheable: false, authenticated: false };
  try {
    const r = await rampEndpoint(net.context(controller.signal), ep, { endpoints: [ep], maxConcurrency: 1, stepDurationSec: 30 }, { requestsLeft: requests, cap: requests });
    expect(r.stopped).toMatch(/cap of .* requests was reached/);
    // A cut step is no verdict, whether it passed or failed.
    expect(r).toMatchObject({ safeConcurrency: null, brokeAt: null });
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]!.requests).toBeGreaterThanOrEqual(requests - 1);
    return r.steps[0]!;
  } finally {
    controller.abort();
  }
}

describe('load step judgement', () => {
  it('a fast median with a slow p95 fails the step', async () => {
    const s = await step('/tail20', 40);
    expect(s.p50Ms!).toBeLessThan(BUDGET);
    expect(s.p95Ms!).toBeGreaterThan(BUDGET);
    expect(s.ok).toBe(false);
  });

  it('a slow p99 with p95 within budget passes the step', async () => {
    const s = await step('/tail2', 100);
    expect(s.p95Ms!).toBeLessThan(BUDGET);
    expect(s.p99Ms!).toBeGreaterThan(BUDGET);
    expect(s.ok).toBe(true);
  });

  it('an error rate of 1% or more fails the step; under 1% passes', async () => {
    const bad = await step('/err2', 100);
    expect(bad.errorRate).toBeGreaterThanOrEqual(MAX_STEP_ERROR_RATE);
    expect(bad.ok).toBe(false);
    const good = await step('/err05', 200);
    expect(good.errorRate).toBeGreaterThan(0);
    expect(good.errorRate).toBeLessThan(MAX_STEP_ERROR_RATE);
    expect(good.ok).toBe(true);
  });

  it('an error rate of exactly 1% fails the step', async () => {
    const s = await step('/err1', 100);
    expect(s.requests).toBe(100);
    expect(s.errorRate).toBe(MAX_STEP_ERROR_RATE);
    expect(s.ok).toBe(false);
  });

  it('a full step that fails is where the ramp broke, and why', async () => {
    k.delete('/tail20');
    const net = await prepareNetwork({ timeoutMs: 3000, concurrency: 4, resolver: '127.0.0.1:9' });
    const controller = new AbortController();
    const ep: TargetEndpoint = { name: 'tail20', url: `http://127.0.0.1:${web.port}/tail20`, method: 'GET', kind: 'read', budgetP95Ms: BUDGET, critical: true, cacheable: false, authenticated: false };
    const r = await rampEndpoint(net.context(controller.signal), ep, { endpoints: [ep], maxConcurrency: 2, stepDurationSec: 1 }, { requestsLeft: 100_000, cap: 100_000 });
    controller.abort();
    // Only when the machine answered at least 5 requests does the pattern hold; it always does in a second.
    expect(r).toMatchObject({ safeConcurrency: null, brokeAt: { concurrency: 1, reason: 'latency' } });
    // The ramp stops at the first failing step.
    expect(r.steps.map((s) => s.concurrency)).toEqual([1]);
    expect(r.stopped).toBeUndefined();
    expect(r.notes.join(' ')).toMatch(/^At concurrency 1, p95 \d+ ms exceeds the 150 ms budget/);
  });

  it('full steps that pass raise the safe concurrency up to the maximum', async () => {
    const net = await prepareNetwork({ timeoutMs: 3000, concurrency: 4, resolver: '127.0.0.1:9' });
    const controller = new AbortController();
    // A generous budget: a loopback answer without delay fits it however busy the machine is.
    const ep: TargetEndpoint = { name: 'fast', url: `http://127.0.0.1:${web.port}/fast`, method: 'GET', kind: 'read', budgetP95Ms: 2000, critical: true, cacheable: false, authenticated: false };
    const r = await rampEndpoint(net.context(controller.signal), ep, { endpoints: [ep], maxConcurrency: 2, stepDurationSec: 0.3 }, { requestsLeft: 100_000, cap: 100_000 });
    controller.abort();
    expect(r).toMatchObject({ safeConcurrency: 2, brokeAt: null });
    expect(r.stopped).toBeUndefined();
    expect(r.steps.map((s) => [s.concurrency, s.ok, s.partial])).toEqual([[1, true, undefined], [2, true, undefined]]);
    expect(r.notes.at(-1)).toMatch(/^Every step up to the maximum of 2 stayed within budget/);
  });

  it('a step passes on p95 within budget and errors under 1%; no successful answer is no pass', () => {
    const s = (p95Ms: number | null, errorRate = 0) => ({ p95Ms, errorRate });
    expect(stepOk(s(150), BUDGET)).toBe(true);
    expect(stepOk(s(150.001), BUDGET)).toBe(false);
    expect(stepOk(s(0.5, 0.0099), BUDGET)).toBe(true);
    expect(stepOk(s(0.5, 0.01), BUDGET)).toBe(false);
    // No 2xx answer and no failure (nothing ended): null is not 0 ms.
    expect(stepOk(s(null), BUDGET)).toBe(false);
  });

  it('a failed step broke on errors from 1% (timeouts when they outnumber the rest), else on latency', () => {
    const s = (errorRate: number, timeouts: number, non2xx: number, errors: number) => ({ errorRate, timeouts, non2xx, errors });
    expect(breakReason(s(0.01, 0, 1, 0))).toBe('errors');
    expect(breakReason(s(0.0099, 0, 1, 0))).toBe('latency');
    expect(breakReason(s(0.2, 8, 5, 2))).toBe('timeouts');
    // A tie is not a majority; connection errors count with the non-2xx answers.
    expect(breakReason(s(0.2, 7, 5, 2))).toBe('errors');
    expect(breakReason(s(0.2, 4, 5, 2))).toBe('errors');
    expect(breakReason(s(0.2, 3, 0, 3))).toBe('errors');
    expect(breakReason(s(1, 3, 0, 0))).toBe('timeouts');
  });

  it('ramps by doubling, ending on the maximum', () => {
    expect(rampSteps(1)).toEqual([1]);
    expect(rampSteps(8)).toEqual([1, 2, 4, 8]);
    expect(rampSteps(12)).toEqual([1, 2, 4, 8, 12]);
    expect(MAX_STEP_ERROR_RATE).toBe(0.01);
  });
});
