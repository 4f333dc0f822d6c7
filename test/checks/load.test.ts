// Table tests for the load check, and the ramp's pure parts: steps, bottleneck notes.
import { describe, expect, it } from 'vitest';
import type { AnyCheck } from '../../src/checks/define.js';
import concurrencyLimit from '../../src/checks/load/concurrency-limit.js';
import { bottleneckNotes, rampSteps } from '../../src/collect/load/index.js';
import type { EndpointLoad, LoadFact, LoadStep } from '../../src/facts/load.js';
import { checkTable, type TableFacts } from '../helpers/check-tester.js';

type F = TableFacts & { 'load.ramp': LoadFact };

function step(concurrency: number, over: Partial<LoadStep> = {}): LoadStep {
  return { concurrency, durationSec: 5, requests: 1000 * concurrency, rps: 200 * concurrency, p50Ms: 4.25, p95Ms: 9.5, p99Ms: 12, maxMs: 20, errorRate: 0, non2xx: 0, statusCodes: {}, timeouts: 0, errors: 0, ok: true, ...over };
}

function cart(): EndpointLoad {
  return {
    name: 'cart', url: 'https://api.shop.test/cart', method: 'GET', budgetP95Ms: 300, safeConcurrency: 8,
    brokeAt: { concurrency: 16, reason: 'latency' },
    steps: [step(1), step(2), step(4), step(8), step(16, { rps: 1650, p95Ms: 420, ok: false })],
    notes: ['At concurrency 16, p95 420 ms exceeds the 300 ms budget (p99 12 ms, 1650 req/s).'],
  };
}

const baseline = (): F => ({
  target: { domains: [], now: '2026-11-29T10:00:00.000Z', accept: [] },
  'load.ramp': { requested: true, stepDurationSec: 5, maxConcurrency: 16, interrupted: false, endpoints: [cart()] },
});
const ramp = (f: F) => f['load.ramp'] as Extract<LoadFact, { requested: true }>;

describe('concurrency-limit', () => {
  checkTable(concurrencyLimit as unknown as AnyCheck, baseline, [
    {
      name: 'a ramp that broke reports the safe concurrency and how it broke',
      status: 'fail',
      findings: [{ code: 'breaks-under-load', severity: 'medium', message: /^cart \(GET https:\/\/api\.shop\.test\/cart\) is safe up to 8 concurrent requests and broke at 16 \(latency\)\. At concurrency 16, p95 420 ms.*Steps: 1: p95 10 ms, 200 req\/s, 0% errors;/ }],
    },
    { name: 'every step within budget passes', mutate: (f) => { const e = ramp(f).endpoints[0]!; e.brokeAt = null; e.steps.pop(); e.notes = []; }, status: 'pass' },
    {
      name: 'failing at concurrency 1 is high',
      mutate: (f) => { const e = ramp(f).endpoints[0]!; e.safeConcurrency = null; e.brokeAt = { concurrency: 1, reason: 'errors' }; e.steps = [step(1, { errorRate: 0.5, ok: false })]; },
      status: 'fail',
      findings: [{ code: 'fails-at-one', severity: 'high' }],
    },
    { name: 'not asked for is not applicable', mutate: (f) => { f['load.ramp'] = { requested: false }; }, status: 'not-applicable' },
    {
      name: 'a refused (unconfirmed) endpoint is unknown, never a pass',
      mutate: (f) => { Object.assign(ramp(f).endpoints[0]!, { steps: [], safeConcurrency: null, brokeAt: null, stopped: 'refusing to load-test api.shop.test' }); },
      status: 'error',
      error: /cart: not load-tested \(refusing/,
    },
    {
      name: 'interrupted before any limit is unknown',
      mutate: (f) => { const e = ramp(f).endpoints[0]!; e.brokeAt = null; e.steps = e.steps.slice(0, 2); e.safeConcurrency = 2; e.stopped = 'interrupted'; },
      status: 'error',
      error: /stopped before finding a limit \(interrupted\)/,
    },
  ]);
});

describe('ramp', () => {
  it('doubles up to the maximum, which is always the last step', () => {
    expect(rampSteps(1)).toEqual([1]);
    expect(rampSteps(16)).toEqual([1, 2, 4, 8, 16]);
    expect(rampSteps(20)).toEqual([1, 2, 4, 8, 16, 20]);
  });

  it('notes the knee where throughput stops growing and latency climbs', () => {
    const steps = [step(1), step(2), step(4, { rps: 500, p95Ms: 10 }), step(8, { rps: 520, p95Ms: 30 }), step(16, { rps: 530, p95Ms: 400, ok: false })];
    const notes = bottleneckNotes({ budgetP95Ms: 300 }, steps, { concurrency: 16, reason: 'latency' });
    expect(notes[0]).toMatch(/^Throughput stops growing at concurrency 4 \(~500 req\/s\): from 8 on, requests queue and p95 rises from 10 ms to 30 ms/);
    expect(notes[1]).toMatch(/^At concurrency 16, p95 400 ms exceeds the 300 ms budget/);
    expect(bottleneckNotes({ budgetP95Ms: 300 }, [step(1), step(2)], null)).toEqual([]);
    const t = bottleneckNotes({ budgetP95Ms: 300 }, [step(1), step(2, { timeouts: 40, errorRate: 0.2, ok: false })], { concurrency: 2, reason: 'timeouts' });
    expect(t).toEqual([expect.stringMatching(/At concurrency 2, 40 requests got no answer before the timeout/)]);
  });
});
