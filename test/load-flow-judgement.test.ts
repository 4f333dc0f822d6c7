// The flow ramp's judgement from step figures: a concurrency step passes only with every flow step's p95 within its
// budget and flow errors under 1%; the break names the step and how (429s, timeouts, errors, latency); the
// bottleneck is the step that added the most milliseconds, not the one with the largest ratio.
import { describe, expect, it } from 'vitest';
import { FLOW_QUERY_CHARS, flowBottleneck, flowBreak, flowNotes, flowQuery, flowStepOk, stepBudgetMs } from '../src/collect/load/flow-judge.js';
import type { StatementDelta, StatementWindow } from '../src/facts/latency.js';
import type { FlowLoadStep, FlowStepStats } from '../src/facts/load.js';

const stats = (o: Partial<FlowStepStats> = {}): FlowStepStats => ({ requests: 100, failed: 0, p50Ms: 1, p95Ms: 2, p99Ms: 3, statusCodes: {}, timeouts: 0, errors: 0, ...o });

function row(concurrency: number, p95: Record<string, number | null>, o: Partial<FlowLoadStep> = {}, per: Record<string, Partial<FlowStepStats>> = {}): FlowLoadStep {
  return {
    concurrency, durationSec: 1, flows: 100, flowsPerSec: 100, requests: 300, rps: 300, errorRate: 0, p50Ms: 1, p95Ms: 2, p99Ms: 3,
    stepP95Ms: p95, perStep: Object.fromEntries(Object.keys(p95).map((n) => [n, stats({ p95Ms: p95[n], ...per[n] })])), ok: true, ...o,
  };
}

const budgets = { login: 700, read: 300 };

describe('flow step judgement', () => {
  it('budgets default by method', () => {
    expect([stepBudgetMs({ method: 'GET' }), stepBudgetMs({ method: 'head' }), stepBudgetMs({ method: 'POST' }), stepBudgetMs({ method: 'GET', budgetMs: 50 })]).toEqual([300, 300, 700, 50]);
  });

  it.each([
    ['all within budget', row(1, { login: 690, read: 299 }), true],
    ['one step at its budget', row(1, { login: 700, read: 300 }), true],
    ['one step past its budget', row(1, { login: 10, read: 301 }), false],
    ['a step that never passed', row(1, { login: 10, read: null }), false],
    ['errors just under 1%', row(1, { login: 10, read: 10 }, { errorRate: 0.0099 }), true],
    ['errors at 1%', row(1, { login: 10, read: 10 }, { errorRate: 0.01 }), false],
    ['no flow ended', row(1, { login: 10, read: 10 }, { flows: 0 }), false],
    ['a budgeted step with no figure at all', row(1, { login: 10 }), false],
  ])('%s', (_label, s, ok) => {
    expect(flowStepOk(s, budgets)).toBe(ok);
  });

  it.each([
    ['mostly 429s', { login: { failed: 50, statusCodes: { 429: 50 } } }, { step: 'login', reason: 'rate-limited' }],
    ['mostly timeouts', { read: { failed: 20, timeouts: 15, statusCodes: { 503: 5 } } }, { step: 'read', reason: 'timeouts' }],
    ['mostly 5xx', { read: { failed: 20, timeouts: 2, statusCodes: { 503: 17, 429: 1 } } }, { step: 'read', reason: 'errors' }],
  ])('errors break at the step with most failures: %s', (_label, per, want) => {
    expect(flowBreak(row(4, { login: 5, read: 5 }, { errorRate: 0.3 }, per), budgets)).toEqual(want);
  });

  it('latency breaks at the step furthest past its budget', () => {
    expect(flowBreak(row(8, { login: 800, read: 600 }), budgets)).toEqual({ step: 'read', reason: 'latency' });
  });

  it('the bottleneck is the step that added the most ms, with its growth factor', () => {
    const steps = [row(1, { login: 1, read: 400 }), row(2, { login: 2, read: 410 }), row(4, { login: 6, read: 800 })];
    expect(flowBottleneck(steps, ['login', 'read'])).toEqual({ step: 'read', growth: 2, fromConcurrency: 1, fromMs: 400, toConcurrency: 4, toMs: 800 });
    // A partial last step is not a measurement.
    expect(flowBottleneck([steps[0]!, { ...steps[2]!, partial: true }], ['login', 'read'])).toBeNull();
    expect(flowBottleneck([steps[0]!], ['login', 'read'])).toBeNull();
    const notes = flowNotes(steps, budgets, { concurrency: 4, step: 'read', reason: 'latency' }, flowBottleneck(steps, ['login', 'read']));
    expect(notes.join(' ')).toMatch(/At 4 concurrent users, "read" has p95 800 ms, past its 300 ms budget.*Bottleneck: "read", whose p95 grows 2× from 400 ms at 1 to 800 ms at 4/);
  });
});

describe('the database\'s dominant query during a flow ramp', () => {
  const st = (queryId: string, calls: number, totalMs: number, query = `SELECT ${queryId} FROM t WHERE id = $1`): StatementDelta => ({ queryId, query, calls, totalMs, rows: calls, blocksRead: 0 });
  const win = (statements: StatementDelta[], totalMs = statements.reduce((a, s) => a + s.totalMs, 0)): StatementWindow => ({
    requests: 100, statements, totalCalls: statements.reduce((a, s) => a + s.calls, 0), totalMs,
  });

  it('is the statement with the most total time, not the most calls, with its calls, mean and share', () => {
    const q = flowQuery(win([st('lookup', 900, 90), st('scan', 100, 810)]));
    expect(q).toEqual({ queryId: 'scan', query: 'SELECT scan FROM t WHERE id = $1', calls: 100, meanMs: 8.1, totalMs: 810, share: 0.9 });
    // The share counts every statement's time in the window, listed or not.
    expect(flowQuery(win([st('scan', 100, 810)], 1620))!.share).toBe(0.5);
    // Listed out of order: still the costliest.
    expect(flowQuery(win([st('a', 1, 1), st('b', 1, 3), st('c', 1, 2)]))!.queryId).toBe('b');
  });

  it('names none when no statement ran or took time', () => {
    expect(flowQuery(win([]))).toBeNull();
    expect(flowQuery(win([st('idle', 0, 0), st('instant', 5, 0)]))).toBeNull();
    // A statement with time is named even when it ran once.
    expect(flowQuery(win([st('once', 1, 0.5)]))).toMatchObject({ queryId: 'once', calls: 1, meanMs: 0.5, share: 1 });
    // Time without a call (counters from a replayed or hand-made window) gives no mean to report.
    expect(flowQuery(win([st('ghost', 0, 5)]))).toBeNull();
    expect(flowQuery(win([st('ghost', 0, 50), st('real', 2, 4)]))!.queryId).toBe('real');
  });

  it('its share stays within 0 and 1 when the window total is off (counters reset between the snapshots)', () => {
    expect(flowQuery(win([st('a', 2, 4), st('b', 1, -6)]))!.share).toBe(1);
    expect(flowQuery(win([st('a', 2, 4)], 0))!.share).toBe(1);
  });

  it('its text is cut and keeps no literal', () => {
    const long = flowQuery(win([st('long', 2, 4, `SELECT ${'column_name, '.repeat(40)}x FROM t`)]))!;
    expect(long.query).toHaveLength(FLOW_QUERY_CHARS);
    expect(long.query.endsWith('…')).toBe(true);
    // pg_stat_statements leaves some literals (utility statements): none reaches a report.
    expect(flowQuery(win([st('lit', 2, 4, "SET app.token = 'tok-secret-123'")]))!.query).toBe('SET app.token = $1');
    expect(flowQuery(win([st('sleep', 3, 4, 'SELECT pg_sleep($1)')]))!.query).toBe('SELECT pg_sleep($1)');
  });

  it('goes into the notes with its share, and notes say nothing of a database without one', () => {
    const steps = [row(1, { login: 5 }), row(2, { login: 9 })];
    const query = flowQuery(win([st('scan', 40, 400), st('lookup', 40, 100)]))!;
    expect(flowNotes(steps, budgets, null, null, query).join('\n')).toMatch(/^Database: during the ramp, 80% of its statement time went to SELECT scan FROM t WHERE id = \$1 \(40 calls, mean 10 ms\)\.$/m);
    expect(flowNotes(steps, budgets, null, null).join('\n')).not.toMatch(/Database/);
  });
});

describe('flow break: errors before latency, and which failure dominates', () => {
  // The step that failed most is judged; ties between kinds go to 429s, then timeouts, then other errors.
  it.each([
    ['429s tie with timeouts', { failed: 10, statusCodes: { 429: 5 }, timeouts: 5 }, 'rate-limited'],
    ['429s tie with other failures', { failed: 10, statusCodes: { 429: 5, 503: 5 } }, 'rate-limited'],
    ['one 429 among more timeouts', { failed: 6, statusCodes: { 429: 1 }, timeouts: 5 }, 'timeouts'],
    ['one 429 among more 5xx', { failed: 6, statusCodes: { 429: 1, 503: 5 } }, 'errors'],
    ['only timeouts', { failed: 5, timeouts: 5 }, 'timeouts'],
    ['timeouts tie with other failures', { failed: 10, timeouts: 5, statusCodes: { 503: 5 } }, 'timeouts'],
    ['one timeout among more 5xx', { failed: 6, timeouts: 1, statusCodes: { 503: 5 } }, 'errors'],
    ['connection errors only', { failed: 3, errors: 3 }, 'errors'],
  ] as const)('%s', (_label, per, reason) => {
    expect(flowBreak(row(4, { login: 5, read: 5 }, { errorRate: 0.3 }, { read: per }), budgets)).toEqual({ step: 'read', reason });
  });

  it('the step with the most failures is named, wherever it is in the flow', () => {
    const s = row(4, { login: 5, read: 5, pay: 5 }, { errorRate: 0.2 }, { login: { failed: 1, statusCodes: { 503: 1 } }, read: { failed: 9, timeouts: 9 }, pay: { failed: 2, errors: 2 } });
    expect(flowBreak(s, { ...budgets, pay: 700 })).toEqual({ step: 'read', reason: 'timeouts' });
  });

  it('errors decide from exactly 1%; just under it, the step broke on latency', () => {
    const per = { read: { failed: 1, statusCodes: { 503: 1 } } };
    expect(flowBreak(row(4, { login: 5, read: 5 }, { errorRate: 0.01 }, per), budgets)).toEqual({ step: 'read', reason: 'errors' });
    expect(flowBreak(row(4, { login: 800, read: 5 }, { errorRate: 0.0099 }, per), budgets)).toEqual({ step: 'login', reason: 'latency' });
  });

  it('a step where no flow ended broke on its failures, even at a 0% error rate', () => {
    const s = row(4, { login: null, read: null }, { flows: 0, errorRate: 0 }, { login: { failed: 2, timeouts: 2 } });
    expect(flowBreak(s, budgets)).toEqual({ step: 'login', reason: 'timeouts' });
  });

  it('failures counted nowhere are errors, and without any step figures the step is unknown', () => {
    // Neither step counted a failure: the first one is named, as errors (nothing says 429s or timeouts).
    expect(flowBreak(row(4, { login: 5, read: 5 }, { errorRate: 0.5 }), budgets)).toEqual({ step: 'login', reason: 'errors' });
    expect(flowBreak({ ...row(4, {}), errorRate: 1, flows: 0 }, budgets)).toEqual({ step: '?', reason: 'errors' });
  });

  it('on latency, a step with no passing answer is the furthest past its budget; with no budget, unknown', () => {
    expect(flowBreak(row(8, { login: 10_000, read: null }), budgets)).toEqual({ step: 'read', reason: 'latency' });
    expect(flowBreak(row(8, { login: 10_000 }), budgets)).toEqual({ step: 'read', reason: 'latency' });
    expect(flowBreak(row(8, { login: 10_000 }), {})).toEqual({ step: '?', reason: 'latency' });
  });
});

describe('flow bottleneck: most added milliseconds between the first and last full steps', () => {
  const names = ['a', 'b'];
  it('added time, not the sum or the ratio, and the first listed on a tie', () => {
    expect(flowBottleneck([row(1, { a: 500, b: 10 }), row(2, { a: 510, b: 300 })], names)).toMatchObject({ step: 'b', fromMs: 10, toMs: 300, growth: 30 });
    expect(flowBottleneck([row(1, { a: 10, b: 10 }), row(2, { a: 300, b: 20 })], names)).toMatchObject({ step: 'a', growth: 30 });
    expect(flowBottleneck([row(1, { a: 10, b: 10 }), row(2, { a: 20, b: 20 })], names)).toMatchObject({ step: 'a', toMs: 20 });
    expect(flowBottleneck([row(1, { a: 4, b: 0 }), row(2, { a: 10, b: 3 })], names)).toEqual({ step: 'a', growth: 2.5, fromConcurrency: 1, fromMs: 4, toConcurrency: 2, toMs: 10 });
    // From 0 ms: the ratio stays finite.
    expect(flowBottleneck([row(1, { a: 0 }), row(2, { a: 3 })], ['a'])!.growth).toBe(3000);
  });

  it('no growth, or only shrinking, is no bottleneck', () => {
    expect(flowBottleneck([row(1, { a: 10, b: 10 }), row(2, { a: 10, b: 10 })], names)).toBeNull();
    expect(flowBottleneck([row(1, { a: 10, b: 10 }), row(2, { a: 5, b: 9 })], names)).toBeNull();
    expect(flowBottleneck([], names)).toBeNull();
  });

  it('a step with no passing answer at the first concurrency has no growth to measure', () => {
    expect(flowBottleneck([row(1, { a: null, b: 10 }), row(4, { a: 500, b: 30 })], names)).toMatchObject({ step: 'b', fromMs: 10, toMs: 30 });
    expect(flowBottleneck([row(1, { b: 10 }), row(4, { a: 500, b: 30 })], names)).toMatchObject({ step: 'b' });
  });

  it('steps where no flow ended, or that were cut short, are not the last measurement', () => {
    const first = row(1, { a: 10 });
    const second = row(2, { a: 50 });
    expect(flowBottleneck([first, second, row(4, { a: null }, { flows: 0 })], ['a'])).toMatchObject({ toConcurrency: 2, toMs: 50 });
    expect(flowBottleneck([first, second, row(4, { a: 900 }, { partial: true })], ['a'])).toMatchObject({ toConcurrency: 2, toMs: 50 });
  });
});

describe('flow notes in words', () => {
  const knee = (flowsPerSec: number, p95Ms: number) => [row(1, { read: 10 }, { flowsPerSec: 20, p95Ms: 100 }), row(2, { read: 10 }, { flowsPerSec, p95Ms })];
  const KNEE = /^Throughput stops growing at 1 concurrent users/;

  it('nothing to say for a ramp that neither slowed, broke nor queued', () => {
    expect(flowNotes([], budgets, null, null)).toEqual([]);
    expect(flowNotes([row(1, { read: 10 }), row(2, { read: 10 }, { flowsPerSec: 200 })], budgets, null, null)).toEqual([]);
  });

  it('the knee: throughput under 15% higher while the flow p95 grew past 1.5 times', () => {
    expect(flowNotes(knee(22.9, 151), budgets, null, null)).toEqual([
      'Throughput stops growing at 1 concurrent users (~20 flows/s): from 2 on, flows queue and their p95 rises from 100 ms to 151 ms.',
    ]);
    // Flat throughput with a doubled p95 is the plainest knee.
    expect(flowNotes(knee(20, 200), budgets, null, null)[0]).toMatch(KNEE);
    // Just outside either limit, no knee: throughput grew 15% (20 to 23: exact in binary), or p95 grew exactly 1.5 times, or not at all.
    expect(flowNotes(knee(23, 200), budgets, null, null)).toEqual([]);
    expect(flowNotes(knee(20, 150), budgets, null, null)).toEqual([]);
    expect(flowNotes(knee(20, 100), budgets, null, null)).toEqual([]);
  });

  it('only the first knee is named, and cut or empty steps are no evidence of one', () => {
    const steps = [...knee(20, 200), row(4, { read: 10 }, { flowsPerSec: 20, p95Ms: 400 })];
    expect(flowNotes(steps, budgets, null, null)).toHaveLength(1);
    expect(flowNotes(steps, budgets, null, null)[0]).toMatch(KNEE);
    const [a, b] = knee(20, 200);
    expect(flowNotes([a!, { ...b!, partial: true }], budgets, null, null)).toEqual([]);
    expect(flowNotes([a!, { ...b!, flows: 0 }], budgets, null, null)).toEqual([]);
  });

  it('a latency break names the step, its p95 (a dash when it had none) and its budget', () => {
    const at = (p95: Record<string, number | null>) => flowNotes([row(4, p95)], budgets, { concurrency: 4, step: 'read', reason: 'latency' }, null);
    expect(at({ login: 5, read: 812.6 })).toEqual(['At 4 concurrent users, "read" has p95 813 ms, past its 300 ms budget.']);
    expect(at({ login: 5, read: null })).toEqual(['At 4 concurrent users, "read" has p95 — ms, past its 300 ms budget.']);
    expect(at({ login: 5 })).toEqual(['At 4 concurrent users, "read" has p95 — ms, past its 300 ms budget.']);
  });

  it('an error break names the share of failed flows, the status codes and what the failure means', () => {
    const note = (reason: 'rate-limited' | 'timeouts' | 'errors', errorRate: number, per: Partial<FlowStepStats>, step = 'login') =>
      flowNotes([row(1, { login: 5 }), row(4, { login: 5 }, { errorRate }, { login: per })], budgets, { concurrency: 4, step, reason }, null);
    expect(note('rate-limited', 0.123, { failed: 12, statusCodes: { 429: 10, 503: 2 } })).toEqual([
      'At 4 concurrent users, 12.3% of flows failed, at "login" (10× 429, 2× 503): it is rate limited (429): users who share a limit, or retry, are turned away.',
    ]);
    expect(note('timeouts', 0.05, { failed: 7, timeouts: 7 })).toEqual([
      'At 4 concurrent users, 5% of flows failed, at "login": 7 requests got no answer before the timeout.',
    ]);
    expect(note('errors', 0.5, { failed: 3, statusCodes: { 503: 3 } })).toEqual([
      'At 4 concurrent users, 50% of flows failed, at "login" (3× 503): the server rejects or mis-answers it under load.',
    ]);
    // A break at a step with no figures (no flow got that far) still reads.
    expect(note('errors', 1, {}, '?')).toEqual(['At 4 concurrent users, 100% of flows failed, at "?": the server rejects or mis-answers it under load.']);
    expect(note('timeouts', 1, {}, '?')).toEqual(['At 4 concurrent users, 100% of flows failed, at "?": 0 requests got no answer before the timeout.']);
  });

  it('the bottleneck is named from 1 ms of added p95, not below', () => {
    const b = (fromMs: number, toMs: number) => flowNotes([], budgets, null, { step: 'read', growth: Math.round((toMs / fromMs) * 100) / 100, fromConcurrency: 1, fromMs, toConcurrency: 4, toMs });
    expect(b(10, 11)).toEqual(['Bottleneck: "read", whose p95 grows 1.1× from 10 ms at 1 to 11 ms at 4 concurrent users: something behind it serializes (a small pool, a lock, a queue of few workers).']);
    expect(b(5, 5.9)).toEqual([]);
  });
});
