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
