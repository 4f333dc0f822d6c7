// The pure cause readings: Server-Timing parsing and split, per-endpoint attribution arithmetic, failure classes.
import { describe, expect, it } from 'vitest';
import { attribute } from '../../src/derive/attribution.js';
import { classifyFailure, errorBodyCause, failureCauses } from '../../src/derive/failures.js';
import { correlation, percentile } from '../../src/derive/latency.js';
import { parseServerTiming, serverTimingSplit } from '../../src/derive/server-timing.js';
import type { SampleTrace } from '../../src/facts/latency.js';

const d = (queryId: string, calls: number, totalMs: number) => ({ queryId, query: `q${queryId}`, calls, totalMs, rows: 0, blocksRead: 0 });

describe('parseServerTiming', () => {
  it('reads names, durations and quoted descriptions, and skips what is malformed', () => {
    expect(parseServerTiming('db;dur=53.2, cache;desc="Cache, read";dur=0.1, app, bad name;dur=1, x;dur=-3, y;dur=abc'))
      .toEqual([{ name: 'db', durMs: 53.2 }, { name: 'cache', desc: 'Cache, read', durMs: 0.1 }, { name: 'app' }, { name: 'x' }, { name: 'y' }]);
    expect(parseServerTiming('')).toEqual([]);
  });
  it('splits per phase at p50 and p95, adds repeated names, leaves total out, names a dominant phase only past 40%', () => {
    const trace: SampleTrace[] = [10, 10, 10, 10, 100].map((db, i) => ({
      cold: false, status: 200, phases: { dnsMs: 0, connectMs: 0, tlsMs: 0, ttfbMs: db + 20, downloadMs: 0, totalMs: db + 20 }, serverTiming: `db;dur=${db / 2}, db;dur=${db / 2}, app;dur=${10 + i}, total;dur=1`,
    }));
    const split = serverTimingSplit(trace)!;
    expect(split.phases.map((p) => [p.name, p.p50Ms, p.p95Ms])).toEqual([['db', 10, 100], ['app', 12, 14]]);
    expect(split.dominant?.name).toBe('db');
    expect(serverTimingSplit([{ cold: false, status: 200, phases: trace[0]!.phases!, serverTiming: 'a;dur=3, b;dur=3, c;dur=3, d;dur=3' }])!.dominant).toBeUndefined();
    expect(serverTimingSplit([{ cold: false, status: 200 }])).toBeUndefined();
  });
});

describe('attribute', () => {
  it('names statements called once or k times per request, with their share of server time', () => {
    const a = attribute({ requests: 10, totalCalls: 40, totalMs: 150, statements: [d('1', 10, 100), d('2', 30, 50)] }, 200)!;
    expect(a.statements.map((s) => [s.statement.queryId, s.perRequest, s.share, s.msPerRequest])).toEqual([['1', 1, 0.5, 10], ['2', 3, 0.25, 5]]);
    expect(a.approximate).toBe(false);
  });
  it('never attributes a statement off the per-request pattern, and says the window is approximate', () => {
    const a = attribute({ requests: 10, totalCalls: 27, totalMs: 150, statements: [d('1', 10, 100), d('3', 17, 50)] }, 200)!;
    expect(a.statements.map((s) => s.statement.queryId)).toEqual(['1']);
    expect(a).toMatchObject({ approximate: true, unexplainedShare: 0.33 });
    // Statements past the listed cap count as unexplained too.
    expect(attribute({ requests: 10, totalCalls: 30, totalMs: 200, statements: [d('1', 10, 100)] }, 200)).toMatchObject({ approximate: true, unexplainedShare: 0.5 });
  });
  it('too few requests say nothing', () => {
    expect(attribute({ requests: 2, totalCalls: 2, totalMs: 1, statements: [d('1', 2, 1)] }, 10)).toBeUndefined();
    expect(attribute(undefined, 10)).toBeUndefined();
  });
});

describe('failure classes', () => {
  it('classifies network failures, statuses, database and upstream errors', () => {
    expect([
      { failure: 'dns-failure' }, { failure: 'tls' }, { failure: 'refused' }, { failure: 'timeout' }, { failure: 'reset' },
      { status: 401 }, { status: 429 }, { status: 404 }, { status: 500, bodyCause: 'database' as const }, { status: 503, serverTiming: 'db;desc="pool timeout"' },
      { status: 502 }, { status: 500 }, { status: 200 }, {},
    ].map(classifyFailure)).toEqual(['dns', 'tls', 'connect', 'timeout', 'reset', 'auth', 'rate-limit', 'client', 'database', 'database', 'upstream', 'server', undefined, undefined]);
  });
  it('reads error body shapes', () => {
    expect(errorBodyCause('{"error":"QueryFailedError: deadlock detected"}')).toBe('database');
    expect(errorBodyCause('{"error":"invalid token"}')).toBe('auth');
    expect(errorBodyCause('502 Bad Gateway')).toBe('upstream');
    expect(errorBodyCause('{"error":"oops"}')).toBeUndefined();
  });
  it('names the main cause only when it is at least half', () => {
    expect(failureCauses([{ status: 401 }, { status: 403 }, { status: 500 }])).toMatchObject({ failed: 3, main: 'auth' });
    expect(failureCauses([{ status: 401 }, { status: 500 }, { failure: 'timeout' }]).main).toBeUndefined();
  });
});

describe('percentile and correlation', () => {
  it('nearest rank; no correlation without variance', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 100], 95)).toBe(100);
    expect(correlation([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(correlation([1, 2, 3], [5, 5, 5])).toBeNull();
  });
});
