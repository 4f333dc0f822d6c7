// The load ramp's step judgement against a loopback server whose slow and failed answers are fixed by request
// count, not by timing luck: a step passes on p95 within budget and an error rate under 1%, and only then. The slow
// answers are over twice the budget and the fast ones have no delay, so a busy machine moves neither across it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STEP_ERROR_RATE, rampEndpoint, rampSteps } from '../src/collect/load/index.js';
import { prepareNetwork } from '../src/collect/setup.js';
import type { TargetEndpoint } from '../src/facts/latency.js';
import { startLatencySandbox, type LatencySandbox } from './helpers/latency-sandbox.js';

const BUDGET = 150;
const SLOW = 400;
let web: LatencySandbox;

beforeAll(async () => {
  web = await startLatencySandbox({
    // One answer in 5 is slow: p50 fast, p95 slow.
    '/tail20': { delayMs: (n) => (n % 5 === 4 ? SLOW : 0) },
    // One answer in 50 is slow: p95 fast, p99 slow.
    '/tail2': { delayMs: (n) => (n % 50 === 49 ? SLOW : 0) },
    // One answer in 50 fails (2%), or one in 400 (0.25%).
    '/err2': { status: (n) => (n % 50 === 49 ? 503 : 200) },
    '/err025': { status: (n) => (n % 400 === 399 ? 503 : 200) },
  });
});
afterAll(async () => { await web.close(); });

async function ramp(path: string, maxConcurrency = 1, stepDurationSec = 1) {
  const net = await prepareNetwork({ timeoutMs: 3000, concurrency: 4, resolver: '127.0.0.1:9' });
  const controller = new AbortController();
  const ep: TargetEndpoint = { name: path.slice(1), url: `http://127.0.0.1:${web.port}${path}`, method: 'GET', kind: 'read', budgetP95Ms: BUDGET, critical: true, cacheable: false, authenticated: false };
  try {
    return await rampEndpoint(net.context(controller.signal), ep, { endpoints: [ep], maxConcurrency, stepDurationSec }, { requestsLeft: 100_000 });
  } finally {
    controller.abort();
  }
}

describe('load step judgement', () => {
  it('a fast median with a slow p95 breaks the step on latency', async () => {
    const r = await ramp('/tail20');
    const step = r.steps[0]!;
    expect(step.p50Ms!).toBeLessThan(BUDGET);
    expect(step.p95Ms!).toBeGreaterThan(BUDGET);
    expect(step.ok).toBe(false);
    expect(r).toMatchObject({ safeConcurrency: null, brokeAt: { concurrency: 1, reason: 'latency' } });
  });

  it('a slow p99 with p95 within budget passes the step', async () => {
    const r = await ramp('/tail2');
    const step = r.steps[0]!;
    expect(step.p95Ms!).toBeLessThan(BUDGET);
    expect(step.p99Ms!).toBeGreaterThan(BUDGET);
    expect(step.ok).toBe(true);
    expect(r).toMatchObject({ safeConcurrency: 1, brokeAt: null });
    expect(r.notes).toEqual(['Every step up to the maximum of 1 stayed within budget: the real limit is higher (raise --max-concurrency to find it).']);
  });

  it('an error rate of 1% or more breaks the step on errors; under 1% passes', async () => {
    const bad = await ramp('/err2', 1, 0.5);
    expect(bad.steps[0]!.errorRate).toBeGreaterThanOrEqual(MAX_STEP_ERROR_RATE);
    expect(bad).toMatchObject({ safeConcurrency: null, brokeAt: { concurrency: 1, reason: 'errors' } });
    const good = await ramp('/err025', 1, 0.5);
    expect(good.steps[0]!.errorRate).toBeLessThan(MAX_STEP_ERROR_RATE);
    expect(good.steps[0]!.errorRate).toBeGreaterThan(0);
    expect(good).toMatchObject({ safeConcurrency: 1, brokeAt: null });
  });

  it('ramps by doubling, ending on the maximum', () => {
    expect(rampSteps(1)).toEqual([1]);
    expect(rampSteps(8)).toEqual([1, 2, 4, 8]);
    expect(rampSteps(12)).toEqual([1, 2, 4, 8, 12]);
    expect(MAX_STEP_ERROR_RATE).toBe(0.01);
  });
});
